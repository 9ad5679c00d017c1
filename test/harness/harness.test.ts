import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { assertValid, find, synth, validateManifest } from '.';

function deployment(extra: (spec: any) => void): any {
  const obj: any = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
  extra(obj.spec);
  return obj;
}

describe('schema harness', () => {
  test('accepts a valid Deployment', () => {
    expect(validateManifest(deployment(() => undefined))).toEqual([]);
  });

  test('rejects a misspelled field', () => {
    const errors = validateManifest(deployment(s => { s.replica = 3; }));
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining('unknown field "replica"') })]);
  });

  test('rejects a misspelled field deep in a pod template', () => {
    const errors = validateManifest(deployment(s => { s.template.spec.containers[0].volumeMount = []; }));
    expect(errors.map(e => e.path)).toEqual(['Deployment/web.spec.template.spec.containers[0].volumeMount']);
  });

  test('rejects a wrong type', () => {
    const errors = validateManifest(deployment(s => { s.replicas = '3'; }));
    expect(errors).toEqual([expect.objectContaining({ message: 'expected a number, got string "3"' })]);
  });

  test('rejects a missing required field', () => {
    const errors = validateManifest(deployment(s => { delete s.selector; }));
    expect(errors).toEqual([expect.objectContaining({ message: 'missing required field selector (V1DeploymentSpec)' })]);
  });

  test('rejects a bad enum value', () => {
    const errors = validateManifest(deployment(s => { s.strategy = { type: 'Rolling' }; }));
    expect(errors[0].message).toContain('"Rolling" is not one of Recreate, RollingUpdate');
  });

  test('rejects a bad access mode inside an array', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteEverywhere'] } };
    expect(validateManifest(pvc)[0].message).toContain('is not one of');
  });

  test('rejects an unknown kind', () => {
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })[0].message)
      .toBe('unknown apiVersion/kind apps/v1/Deploymnet');
  });

  test('accepts numeric quantities but not numeric labels', () => {
    const ok = deployment(s => { s.template.spec.containers[0].resources = { limits: { cpu: 1 } }; });
    expect(validateManifest(ok)).toEqual([]);
    const bad = deployment(s => { s.template.metadata.labels.version = 2; });
    expect(validateManifest(bad)).toHaveLength(1);
  });

  test('checks the CRDs we emit', () => {
    const good = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'c' }, driver: 'ebs.csi.aws.com', deletionPolicy: 'Retain' };
    expect(validateManifest(good)).toEqual([]);
    expect(validateManifest({ ...good, deletionPolicy: 'Keep' })).toHaveLength(1);
    const { driver: _driver, ...noDriver } = good;
    expect(validateManifest({ ...noDriver, drivr: 'x' })).toHaveLength(2); // unknown field + missing driver
    const sm = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { selector: {}, endpoints: [{ port: 'metrics', intervall: '30s' }] } };
    expect(validateManifest(sm)[0].message).toContain('unknown field "intervall"');
  });

  test('synth() throws on an invalid raw object and passes cdk8s-plus output', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    expect(find(synth(chart), 'Deployment').spec.replicas).toBe(2);

    const bad = new Chart(Testing.app(), 'bad');
    new ApiObject(bad, 'pvc', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { accesModes: ['ReadWriteOnce'] } });
    expect(() => synth(bad)).toThrow(/unknown field "accesModes"/);
  });

  test('assertValid lists every violation', () => {
    expect(() => assertValid([deployment(s => { s.replicas = 'x'; s.paused = 'no'; })])).toThrow(/replicas.*\n.*paused/);
  });
});
