import { changed, claim, claimTemplate, compare, persistentVolume, statefulSet, storageClass, su, workload } from './fixtures';
import { GuardSeverity } from '../../../src/guards';
import { applyForReal, updateVerdict } from '../../harness';

/**
 * Every immutable-field fact the baseline rules rely on, proved against the real kube-apiserver
 * (the update oracle: server-side apply of the baseline object, then of the new one). For each
 * refused update the rule reports an error; for each accepted one it is silent (or, where the
 * server accepts an update that loses data later, says so with its own rule).
 */

/** The findings of the SU rules when `after` follows `before` (with objects both versions share). */
function rules(before: any, after: any, shared: any[] = []) {
  return su(compare([...shared, before], [...shared, after]));
}

/** Plays the persistent volume controller: the claim is bound with the capacity it asked for. */
const bind = async (client: any, created: any, path: string) => {
  const status = { ...created, status: { phase: 'Bound', accessModes: created.spec.accessModes, capacity: { storage: created.spec.resources.requests.storage } } };
  const res = await client.request('PUT', `${path}/status`, status);
  if (res.status !== 200) throw new Error(`cannot bind the claim: ${JSON.stringify(res.body)}`);
};

const STS_FORBIDDEN = 'Forbidden: updates to statefulset spec for fields other than';

describe('StatefulSet: the server refuses, SU001 or SU003 says error', () => {
  test.each([
    ['a claim template size', 'SU001', (s: any) => { s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi'; }],
    ['a claim template class', 'SU001', (s: any) => { s.spec.volumeClaimTemplates[0].spec.storageClassName = 'slow'; }],
    ['a claim template access mode', 'SU001', (s: any) => { s.spec.volumeClaimTemplates[0].spec.accessModes = ['ReadWriteOncePod']; }],
    ['a claim template label', 'SU001', (s: any) => { s.spec.volumeClaimTemplates[0].metadata.labels = { tier: 'db' }; }],
    ['the serviceName', 'SU001', (s: any) => { s.spec.serviceName = 'db-headless'; }],
    ['the podManagementPolicy', 'SU001', (s: any) => { s.spec.podManagementPolicy = 'Parallel'; }],
    ['the selector', 'SU003', (s: any) => { s.spec.selector = { matchLabels: { app: 'db', tier: 'db' } }; s.spec.template.metadata.labels = { app: 'db', tier: 'db' }; }],
  ])('changing %s', async (_what, ruleId, edit) => {
    // GIVEN the baseline StatefulSet WHEN the new output changes the field
    const before = statefulSet();
    const after = changed(before, edit);
    // THEN the server refuses the update
    const verdict = await updateVerdict(before, after);
    expect(verdict.accepted).toBe(false);
    expect(verdict.message).toContain(STS_FORBIDDEN);
    // AND the rule reports an error, and only that rule
    const findings = rules(before, after);
    expect(findings.map(f => [f.ruleId, f.severity])).toEqual([[ruleId, GuardSeverity.ERROR]]);
  });
});

describe('StatefulSet: the server accepts, the rules are silent', () => {
  test.each([
    ['replicas', (s: any) => { s.spec.replicas = 5; }],
    ['the pod template', (s: any) => { s.spec.template.spec.containers[0].image = 'postgres:16.6'; }],
    ['updateStrategy', (s: any) => { s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }; }],
    ['minReadySeconds', (s: any) => { s.spec.minReadySeconds = 10; }],
    ['revisionHistoryLimit', (s: any) => { s.spec.revisionHistoryLimit = 3; }],
    ['the claim retention policy (Delete back to Retain)', (s: any) => { s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Retain' }; }],
    ['a claim template size written another way (10Gi → 10240Mi)', (s: any) => { s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '10240Mi'; }],
    ['podManagementPolicy from unset to its default OrderedReady', (s: any) => { s.spec.podManagementPolicy = 'OrderedReady'; }],
    ['a claim template volumeMode from unset to its default Filesystem', (s: any) => { s.spec.volumeClaimTemplates[0].spec.volumeMode = 'Filesystem'; }],
    ['a claim template with apiVersion and kind written out', (s: any) => { Object.assign(s.spec.volumeClaimTemplates[0], { apiVersion: 'v1', kind: 'PersistentVolumeClaim' }); }],
  ])('changing %s', async (_what, edit) => {
    const before = statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    const after = changed(before, edit);
    expect(await updateVerdict(before, after)).toEqual({ accepted: true });
    expect(rules(before, after)).toEqual([]);
  });

  test('turning the claim retention to Delete: accepted, and SU006 says it loses data', async () => {
    const before = statefulSet();
    const after = statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    expect(await updateVerdict(before, after)).toEqual({ accepted: true });
    expect(rules(before, after).map(f => [f.ruleId, f.severity])).toEqual([['SU006', GuardSeverity.ERROR]]);
  });
});

describe('workload selectors: the server refuses, SU003 says error', () => {
  test.each(['Deployment', 'DaemonSet', 'ReplicaSet', 'Job'])('a %s changing its selector', async (kind) => {
    const before = workload(kind);
    const after = workload(kind, { app: 'web', tier: 'front' });
    const verdict = await updateVerdict(before, after);
    expect(verdict.accepted).toBe(false);
    expect(verdict.message).toContain('spec.selector');
    expect(rules(before, after).map(f => [f.ruleId, f.severity])).toEqual([['SU003', GuardSeverity.ERROR]]);
  });

  test('a Deployment changing its pod template only: accepted, silent', async () => {
    const before = workload('Deployment');
    const after = changed(before, d => { d.spec.template.metadata.labels.tier = 'front'; d.spec.replicas = 2; });
    expect(await updateVerdict(before, after)).toEqual({ accepted: true });
    expect(rules(before, after)).toEqual([]);
  });
});

describe('claims: the server refuses, SU002 says error', () => {
  beforeAll(async () => {
    await applyForReal([
      storageClass({ metadata: { name: 'baseline-fixed' } }),
      storageClass({ metadata: { name: 'baseline-expandable' }, allowVolumeExpansion: true }),
    ]);
  });

  test.each([
    ['shrinking its request', {}, { resources: { requests: { storage: '5Gi' } } }],
    ['changing its class', {}, { storageClassName: 'slow' }],
    ['changing its access modes', {}, { accessModes: ['ReadWriteMany'] }],
    ['changing its volume mode', {}, { volumeMode: 'Block' }],
    ['changing its volumeName', { volumeName: 'pv-a' }, { volumeName: 'pv-b' }],
    ['changing its dataSource', {}, { dataSource: { kind: 'PersistentVolumeClaim', name: 'seed' } }],
  ])('a bound claim %s', async (_what, base, change) => {
    const before = claim(base);
    const after = claim({ ...base, ...change });
    const verdict = await updateVerdict(before, after, { afterCreate: bind });
    expect(verdict.accepted).toBe(false);
    expect(verdict.message).toMatch(/Forbidden|Invalid value/);
    expect(rules(before, after).map(f => [f.ruleId, f.severity])).toEqual([['SU002', GuardSeverity.ERROR]]);
  });

  test('a bound claim growing on a class that does not allow expansion', async () => {
    const sc = storageClass({ metadata: { name: 'baseline-fixed' } });
    const before = claim({ storageClassName: 'baseline-fixed' });
    const after = claim({ storageClassName: 'baseline-fixed', resources: { requests: { storage: '20Gi' } } });
    const verdict = await updateVerdict(before, after, { afterCreate: bind });
    expect(verdict.message).toContain('the storageclass that provisions the pvc must support resize');
    expect(rules(before, after, [sc]).map(f => [f.ruleId, f.severity])).toEqual([['SU002', GuardSeverity.ERROR]]);
  });
});

describe('claims: the server accepts, SU002 is silent or only warns', () => {
  test('a bound claim growing on a class that allows expansion: accepted, silent', async () => {
    const sc = storageClass({ metadata: { name: 'baseline-expandable' }, allowVolumeExpansion: true });
    const before = claim({ storageClassName: 'baseline-expandable' });
    const after = claim({ storageClassName: 'baseline-expandable', resources: { requests: { storage: '20Gi' } } });
    expect(await updateVerdict(before, after, { afterCreate: bind })).toEqual({ accepted: true });
    expect(rules(before, after, [sc])).toEqual([]);
  });

  test('an unbound claim getting a volumeName where it had none: accepted once, so a warning, not an error', async () => {
    const before = claim();
    const after = claim({ volumeName: 'pv-a' });
    expect(await updateVerdict(before, after)).toEqual({ accepted: true });
    expect(rules(before, after).map(f => [f.ruleId, f.severity])).toEqual([['SU002', GuardSeverity.WARNING]]);
  });

  test('a claim changing its request spelling only (10Gi → 10240Mi): accepted, silent', async () => {
    const before = claim();
    const after = claim({ resources: { requests: { storage: '10240Mi' } } });
    expect(await updateVerdict(before, after, { afterCreate: bind })).toEqual({ accepted: true });
    expect(rules(before, after)).toEqual([]);
  });
});

describe('StorageClass: the server refuses, SU004 says error', () => {
  test.each([
    ['provisioner', { provisioner: 'efs.csi.aws.com' }],
    ['parameters', { parameters: { type: 'io2' } }],
    ['reclaimPolicy', { reclaimPolicy: 'Delete' }],
    ['volumeBindingMode', { volumeBindingMode: 'Immediate' }],
  ])('changing its %s', async (_field, fields) => {
    const before = storageClass();
    const after = storageClass(fields);
    const verdict = await updateVerdict(before, after);
    expect(verdict.accepted).toBe(false);
    expect(verdict.message).toMatch(/forbidden|immutable/);
    expect(rules(before, after).map(f => [f.ruleId, f.severity])).toEqual([['SU004', GuardSeverity.ERROR]]);
  });

  test('changing allowVolumeExpansion: accepted, silent', async () => {
    const before = storageClass();
    const after = storageClass({ allowVolumeExpansion: true });
    expect(await updateVerdict(before, after)).toEqual({ accepted: true });
    expect(rules(before, after)).toEqual([]);
  });
});

describe('PersistentVolume reclaim policy', () => {
  test('Retain to Delete: accepted, and SU006 says it loses data', async () => {
    const before = persistentVolume();
    const after = persistentVolume({ persistentVolumeReclaimPolicy: 'Delete' });
    expect(await updateVerdict(before, after)).toEqual({ accepted: true });
    expect(rules(before, after).map(f => [f.ruleId, f.severity])).toEqual([['SU006', GuardSeverity.ERROR]]);
  });
});

test('claimTemplate fixture is what the StatefulSet fixture uses (the facts above change it)', () => {
  expect(statefulSet().spec.volumeClaimTemplates).toEqual([claimTemplate()]);
});
