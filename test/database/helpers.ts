import { Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { DatabaseEngine, StatefulDatabase, StatefulDatabaseProps } from '../../src/database';
import { IStorageClass, Provisioner } from '../../src/storage';
import { find, synth } from '../harness';

/** An EBS-backed class, as a literal IStorageClass. */
export const gp3: IStorageClass = { storageClassName: 'gp3', provisioner: Provisioner.awsEbs() };

/** Build one database in a fresh chart and synthesize it through the harness. */
export function synthDatabase(props: Partial<StatefulDatabaseProps> = {}, id = 'orders', extra?: (db: StatefulDatabase, chart: Construct) => void): any[] {
  const chart = Testing.chart();
  const db = new StatefulDatabase(chart, id, {
    engine: DatabaseEngine.postgres({ version: '16.4' }),
    storage: { size: Size.gibibytes(50), storageClass: gp3 },
    ...props,
  });
  extra?.(db, chart);
  return synth(chart);
}

/** Every pod spec in the objects (StatefulSets, Deployments, CronJobs, Jobs). */
export function podSpecs(objects: any[]): any[] {
  return objects.flatMap(o => {
    if (o.kind === 'CronJob') return [o.spec.jobTemplate.spec.template.spec];
    if (o.spec?.template?.spec) return [o.spec.template.spec];
    return [];
  });
}

/** Every container (init containers included) in the objects. */
export function containers(objects: any[]): any[] {
  return podSpecs(objects).flatMap(s => [...(s.initContainers ?? []), ...(s.containers ?? [])]);
}

/** The database pod template. */
export function podTemplate(objects: any[]): any {
  return find(objects, 'StatefulSet').spec.template;
}

/** A container of the database pod by name. */
export function container(objects: any[], name: string): any {
  const spec = podTemplate(objects).spec;
  const found = [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

/** Env entries of a container by name. */
export function envOf(c: any): Record<string, any> {
  return Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|_KEY$|_PASS$/;

/** Env entries whose name says secret and whose value is not from a Secret. */
export function literalSecrets(objects: any[]): string[] {
  return containers(objects).flatMap(c => (c.env ?? [])
    .filter((e: any) => SECRET_NAME.test(e.name) && !e.valueFrom?.secretKeyRef)
    .map((e: any) => `${c.name}/${e.name}`));
}
