import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GuardFinding, GuardReport, Guards } from '../../src/guards';
import { ACK_ANNOTATION } from '../../src/guards/acknowledgements';
import { collectInputs } from '../../src/guards/app-integration';
import { runGuards } from '../../src/guards/runner';
import { CheckOptions, RESTRICTED, RESTRICTED_JSON, synth } from '../harness';

export const REASON = 'Reviewed by the platform team: acceptable for this test.';

/** A fresh app and chart (guards not enabled: rule tests read the report directly). */
export function newChart(): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'test') };
}

/** Synthesize (checked by the API server) and run the guards over the app, construct acknowledgements included. */
export function checkApp(chart: Chart, options: CheckOptions = {}): { objects: any[]; report: GuardReport } {
  const objects = synth(chart, options);
  return { objects, report: guardReport(chart) };
}

/**
 * Run the guards over the app, construct acknowledgements included, without recording its objects
 * for the API server: only for objects the server refuses too (see the test that says so).
 */
export function guardReport(chart: Chart): GuardReport {
  return runGuards(collectInputs(chart.node.root));
}

export function findingsOf(report: GuardReport, ruleId: string): GuardFinding[] {
  return report.findings.filter(f => f.ruleId === ruleId);
}

export function ruleIds(report: GuardReport): string[] {
  return [...new Set(report.findings.map(f => f.ruleId))].sort();
}

/** A RWO (or other) claim and a volume for it. */
export function claimVolume(chart: Chart, id: string, modes: kplus.PersistentVolumeAccessMode[] = [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  storageClassName?: string, readOnly?: boolean): { claim: kplus.PersistentVolumeClaim; volume: kplus.Volume } {
  const claim = new kplus.PersistentVolumeClaim(chart, `${id}-claim`, { accessModes: modes, storage: Size.gibibytes(10), storageClassName });
  return { claim, volume: kplus.Volume.fromPersistentVolumeClaim(chart, `${id}-volume`, claim, readOnly ? { readOnly } : undefined) };
}

/** A container spec mounting volumes. */
export function container(image: string, mounts: Array<{ path: string; volume: kplus.Volume; readOnly?: boolean }> = [],
  env: Record<string, kplus.EnvValue> = {}): kplus.ContainerProps {
  return {
    image,
    volumeMounts: mounts.map(m => ({ path: m.path, volume: m.volume, readOnly: m.readOnly })),
    envVariables: env,
    securityContext: RESTRICTED,
  };
}

/**
 * A raw container spec with the restricted Pod Security context, for the pod specs tests write as
 * plain JSON (the guards never read security contexts; the API server's admission does).
 */
export function restrictedContainer(spec: Record<string, any>): Record<string, any> {
  return { ...spec, securityContext: RESTRICTED_JSON };
}

/**
 * The two acknowledgement tests of a rule: scoped to a construct (inherited by its children), and
 * as an annotation on the raw manifest given to Guards.check.
 */
export function acknowledgementTests(ruleId: string, build: (chart: Chart) => IConstruct): void {
  test(`acknowledging ${ruleId} on a construct marks its findings acknowledged with the reason`, () => {
    // GIVEN
    const { chart } = newChart();
    const target = build(chart);
    expect(findingsOf(checkApp(chart).report, ruleId).length).toBeGreaterThan(0);
    // WHEN
    Guards.acknowledge(target, ruleId, REASON);
    // THEN
    const findings = findingsOf(checkApp(chart).report, ruleId);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.acknowledged).toBe(true);
      expect(f.acknowledgedReason).toBe(REASON);
    }
  });

  test(`the ${ACK_ANNOTATION} annotation acknowledges ${ruleId} on raw manifests`, () => {
    // GIVEN
    const { chart } = newChart();
    build(chart);
    const objects = synth(chart);
    const before = findingsOf(Guards.check(objects), ruleId);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every(f => !f.acknowledged)).toBe(true);
    // WHEN
    for (const f of before) {
      const o = objects.find(x => x.kind === f.resource.kind && x.metadata.name === f.resource.name);
      o.metadata.annotations = { ...o.metadata.annotations, [ACK_ANNOTATION]: `${ruleId}: ${REASON}` };
    }
    // THEN
    const report = Guards.check(objects);
    const after = findingsOf(report, ruleId);
    expect(after.length).toBe(before.length);
    expect(after.every(f => f.acknowledged && f.acknowledgedReason === REASON)).toBe(true);
    expect(findingsOf(report, 'SG000')).toEqual([]);
  });
}

export interface RawStatefulSetOptions {
  readonly image?: string;
  readonly replicas?: number;
  readonly serviceName?: string;
  readonly labels?: Record<string, string>;
  /** Mount path of the claim template 'data' (undefined: no template). */
  readonly dataPath?: string;
  readonly storageClassName?: string;
  readonly env?: Array<Record<string, any>>;
  readonly args?: string[];
  readonly affinity?: Record<string, any>;
  readonly retention?: Record<string, string>;
  readonly extraVolumes?: Array<Record<string, any>>;
  readonly extraMounts?: Array<Record<string, any>>;
}

/** A StatefulSet with a claim template, as raw JSON (cdk8s-plus has no volumeClaimTemplates). */
export function rawStatefulSet(chart: Chart, name: string, o: RawStatefulSetOptions = {}): ApiObject {
  const labels = o.labels ?? { app: name };
  const mounts = [...(o.dataPath ? [{ name: 'data', mountPath: o.dataPath }] : []), ...(o.extraMounts ?? [])];
  return new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: o.serviceName ?? `${name}-headless`,
      replicas: o.replicas ?? 3,
      selector: { matchLabels: labels },
      ...(o.retention ? { persistentVolumeClaimRetentionPolicy: o.retention } : {}),
      template: {
        metadata: { labels },
        spec: {
          ...(o.affinity ? { affinity: o.affinity } : {}),
          containers: [restrictedContainer({ name: 'main', image: o.image ?? 'postgres:16', ...(o.args ? { args: o.args } : {}), ...(o.env ? { env: o.env } : {}), volumeMounts: mounts })],
          ...(o.extraVolumes ? { volumes: o.extraVolumes } : {}),
        },
      },
      ...(o.dataPath ? {
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, ...(o.storageClassName ? { storageClassName: o.storageClassName } : {}) },
        }],
      } : {}),
    },
  });
}

/** A headless Service selecting `labels`. */
export function headlessService(chart: Chart, name: string, labels: Record<string, string>, headless = true): ApiObject {
  return new ApiObject(chart, `svc-${name}`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ...(headless ? { clusterIP: 'None' } : {}), selector: labels, ports: [{ port: 5432 }] },
  });
}

/** A PodDisruptionBudget selecting `labels`. */
export function pdb(chart: Chart, name: string, labels: Record<string, string>, budget: Record<string, any> = { maxUnavailable: 1 }): ApiObject {
  return new ApiObject(chart, `pdb-${name}`, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name },
    spec: { selector: { matchLabels: labels }, ...budget },
  });
}

/** Preferred anti-affinity on the hostname for pods with `labels` (what StatefulDatabase emits). */
export function spreadByHost(labels: Record<string, string>): Record<string, any> {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 100,
        podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } },
      }],
    },
  };
}

/** A well-formed database StatefulSet: claim template at the data dir, headless Service, PDB, anti-affinity, secret password. */
export function goodDatabase(chart: Chart, name: string, o: RawStatefulSetOptions = {}): ApiObject {
  const labels = o.labels ?? { app: name };
  headlessService(chart, `${name}-headless`, labels);
  pdb(chart, name, labels);
  return rawStatefulSet(chart, name, {
    dataPath: '/var/lib/postgresql/data',
    affinity: spreadByHost(labels),
    env: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: `${name}-auth`, key: 'password' } } }],
    ...o,
  });
}
