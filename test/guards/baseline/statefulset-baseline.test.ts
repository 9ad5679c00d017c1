import * as fs from 'fs';
import * as path from 'path';
import { changed, claimTemplate, compare, REASON, statefulSet, su } from './fixtures';
import { GuardSeverity } from '../../../src/guards';
import { ACK_ANNOTATION } from '../../../src/guards/acknowledgements';
import { parseYaml } from '../../harness';

const DIST = path.join(__dirname, '..', '..', '..', 'examples', 'dist');

describe('an unchanged output', () => {
  test.each(fs.readdirSync(DIST).filter(f => f.endsWith('.yaml')))('example %s compared with itself gives no baseline finding', (file) => {
    // GIVEN the synthesized example as the baseline and as the new output
    const objects = parseYaml(fs.readFileSync(path.join(DIST, file), 'utf8'));
    expect(objects.length).toBeGreaterThan(0);
    // WHEN compared THEN no SU finding
    expect(su(compare(objects, JSON.parse(JSON.stringify(objects))))).toEqual([]);
  });

  test('a run without a baseline reports no SU finding, whatever the objects', () => {
    // GIVEN a StatefulSet WHEN checked alone THEN the SU rules are silent
    const report = compare(undefined as any, [statefulSet()]);
    expect(su(report)).toEqual([]);
  });

  test('spellings the API server reads as the same value are no change', () => {
    // GIVEN sizes written differently, podManagementPolicy defaulted, empty lists and maps
    const before = statefulSet({ volumeClaimTemplates: [claimTemplate('10Gi')] });
    const after = statefulSet({ volumeClaimTemplates: [claimTemplate('10240Mi')], podManagementPolicy: 'OrderedReady', ordinals: undefined });
    after.spec.volumeClaimTemplates[0].spec.volumeMode = 'Filesystem';
    after.spec.volumeClaimTemplates[0].metadata.labels = {};
    // WHEN compared THEN nothing
    expect(su(compare([before], [after]))).toEqual([]);
  });
});

describe('SU001 StatefulSet changes an immutable spec field', () => {
  test('a claim template that grows is an error telling how to expand each claim in place and recreate with --cascade=orphan', () => {
    // GIVEN three replicas in namespace shop WHEN the template asks for 20Gi
    const before = statefulSet({}, 'shop');
    const after = changed(before, s => { s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi'; });
    const [f] = su(compare([before], [after]), 'SU001');
    // THEN one error naming the field, with the migration
    expect(f).toMatchObject({ severity: GuardSeverity.ERROR, resource: { kind: 'StatefulSet', namespace: 'shop', name: 'db' } });
    expect(f.message).toContain("volumeClaimTemplates[0] 'data' storage 10Gi → 20Gi");
    expect(f.fix).toContain('allowVolumeExpansion: true');
    expect(f.fix).toContain('kubectl patch pvc <claim> -n shop -p \'{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}\'');
    expect(f.fix).toContain('data-db-0, data-db-1, data-db-2');
    expect(f.fix).toContain('kubectl delete statefulset db -n shop --cascade=orphan');
    expect(f.impact).toContain('updates to statefulset spec for fields other than');
  });

  test('a claim template that shrinks says claims never shrink', () => {
    const before = statefulSet();
    const after = changed(before, s => { s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi'; });
    const [f] = su(compare([before], [after]), 'SU001');
    expect(f.message).toContain('storage 10Gi → 5Gi');
    expect(f.fix).toContain('Claims never shrink');
    expect(f.fix).toContain('kubectl delete statefulset db -n default --cascade=orphan');
  });

  test.each([
    ['class', (s: any) => { s.spec.volumeClaimTemplates[0].spec.storageClassName = 'slow'; }, 'storageClassName fast → slow'],
    ['access modes', (s: any) => { s.spec.volumeClaimTemplates[0].spec.accessModes = ['ReadWriteOncePod']; }, 'accessModes ["ReadWriteOnce"] → ["ReadWriteOncePod"]'],
    ['volume mode', (s: any) => { s.spec.volumeClaimTemplates[0].spec.volumeMode = 'Block'; }, 'volumeMode Filesystem → Block'],
    ['class unset to ""', (s: any) => { s.spec.volumeClaimTemplates[0].spec.storageClassName = ''; }, 'storageClassName fast → (unset)'],
  ])('changing a claim template\'s %s is an error that needs a data migration', (_what, edit, phrase) => {
    const before = statefulSet();
    const after = changed(before, edit);
    const [f] = su(compare([before], [after]), 'SU001');
    expect(f.message).toContain(phrase);
    expect(f.fix).toContain('keep their class, access modes and volume mode');
    expect(f.fix).toContain('--cascade=orphan');
  });

  test('an unset class and "" (no class) are different values', () => {
    const before = statefulSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
    const after = changed(before, s => { s.spec.volumeClaimTemplates[0].spec.storageClassName = ''; });
    expect(su(compare([before], [after]), 'SU001')).toHaveLength(1);
  });

  test.each([
    ['claim template labels', (s: any) => { s.spec.volumeClaimTemplates[0].metadata.labels = { tier: 'db' }; }, 'volumeClaimTemplates[0].metadata.labels (unset) → {"tier":"db"}'],
    ['serviceName', (s: any) => { s.spec.serviceName = 'db-headless'; }, 'serviceName db → db-headless'],
    ['podManagementPolicy', (s: any) => { s.spec.podManagementPolicy = 'Parallel'; }, 'podManagementPolicy OrderedReady → Parallel'],
    ['claim template list (one added)', (s: any) => { s.spec.volumeClaimTemplates.push({ ...claimTemplate(), metadata: { name: 'logs' } }); }, 'volumeClaimTemplates [data] → [data, logs]'],
    ['spec field unknown today', (s: any) => { s.spec.someNewField = true; }, 'someNewField (unset) → true'],
  ])('changing the %s is an error with the --cascade=orphan procedure', (_what, edit, phrase) => {
    const before = statefulSet();
    const [f] = su(compare([before], [changed(before, edit)]), 'SU001');
    expect(f.severity).toBe(GuardSeverity.ERROR);
    expect(f.message).toContain(phrase);
    expect(f.fix).toContain('kubectl delete statefulset db -n default --cascade=orphan');
  });

  test.each([
    ['replicas', (s: any) => { s.spec.replicas = 5; }],
    ['template', (s: any) => { s.spec.template.spec.containers[0].image = 'postgres:16.6'; }],
    ['updateStrategy', (s: any) => { s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }; }],
    ['minReadySeconds', (s: any) => { s.spec.minReadySeconds = 30; }],
    ['revisionHistoryLimit', (s: any) => { s.spec.revisionHistoryLimit = 3; }],
    ['ordinals', (s: any) => { s.spec.ordinals = { start: 1 }; }],
    ['retention Delete → Retain', (s: any) => { s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Retain' }; }],
  ])('changing %s is no finding', (_what, edit) => {
    const before = statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    expect(su(compare([before], [changed(before, edit)]))).toEqual([]);
  });

  test('one finding per StatefulSet lists every changed field', () => {
    const before = statefulSet();
    const after = changed(before, s => { s.spec.serviceName = 'x'; s.spec.podManagementPolicy = 'Parallel'; s.spec.volumeClaimTemplates[0].spec.storageClassName = 'slow'; });
    const findings = su(compare([before], [after]), 'SU001');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/podManagementPolicy.*serviceName.*storageClassName/);
  });

  test('another namespace is another StatefulSet: no SU001 (the removal is SU005)', () => {
    const before = statefulSet({}, 'a');
    const after = changed(statefulSet({}, 'b'), s => { s.spec.serviceName = 'x'; });
    const report = compare([before], [after]);
    expect(su(report, 'SU001')).toEqual([]);
    expect(su(report, 'SU005').map(f => f.resource.namespace)).toEqual(['a']);
  });

  test('the namespace of objects that set none is the default namespace (-n)', () => {
    // GIVEN the baseline sets namespace shop, the new output sets none, checked with defaultNamespace shop
    const before = statefulSet({}, 'shop');
    const after = changed(statefulSet(), s => { s.spec.serviceName = 'x'; });
    // THEN they are one object
    expect(su(compare([before], [after], { defaultNamespace: 'shop' }), 'SU001')).toHaveLength(1);
    expect(su(compare([before], [after]), 'SU001')).toHaveLength(0);
  });

  test('another API version of the same group is the same object', () => {
    const before = { ...statefulSet(), apiVersion: 'apps/v1beta2' };
    const after = changed(statefulSet(), s => { s.spec.serviceName = 'x'; });
    expect(su(compare([before], [after]), 'SU001')).toHaveLength(1);
  });

  test('the annotation on the new object acknowledges it', () => {
    const before = statefulSet();
    const after = changed(before, s => {
      s.spec.serviceName = 'x';
      s.metadata.annotations = { [ACK_ANNOTATION]: `SU001: ${REASON}` };
    });
    const report = compare([before], [after]);
    expect(su(report, 'SU001')).toEqual([expect.objectContaining({ acknowledged: true, acknowledgedReason: REASON })]);
    expect(report.failed).toBe(false);
    expect(su(report, 'SG000')).toEqual([]);
  });
});

describe('SU003 a StatefulSet changes its selector', () => {
  test('is an error naming the selector, not an SU001 finding', () => {
    const before = statefulSet();
    const after = changed(before, s => {
      s.spec.selector = { matchLabels: { app: 'db', tier: 'data' } };
      s.spec.template.metadata.labels = { app: 'db', tier: 'data' };
    });
    const report = compare([before], [after]);
    expect(su(report, 'SU001')).toEqual([]);
    const [f] = su(report, 'SU003');
    expect(f.message).toContain('changes spec.selector since the baseline: {"matchLabels":{"app":"db"}} → {"matchLabels":{"app":"db","tier":"data"}}');
    expect(f.fix).toContain('kubectl delete statefulset db -n default --cascade=orphan');
    expect(f.fix).toContain('reuses its claims');
  });
});

describe('SU006 claim retention turned to Delete', () => {
  test.each([
    ['whenDeleted', { whenDeleted: 'Delete' }, 'deleting the StatefulSet'],
    ['whenScaled', { whenScaled: 'Delete' }, 'scaling down deletes'],
  ])('%s: Delete is an error though the server accepts it', (field, policy, impact) => {
    const before = statefulSet();
    const after = statefulSet({ persistentVolumeClaimRetentionPolicy: policy });
    const [f] = su(compare([before], [after]), 'SU006');
    expect(f.severity).toBe(GuardSeverity.ERROR);
    expect(f.message).toContain(`${field} from Retain (the default) to Delete`);
    expect(f.impact).toContain(impact);
    expect(f.fix).toContain(`Keep ${field}: Retain`);
  });

  test('a policy that already was Delete is no SU006 finding (SG013 warns about it)', () => {
    const before = statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } });
    expect(su(compare([before], [changed(before, () => undefined)]), 'SU006')).toEqual([]);
  });

  test('a StatefulSet without claim templates has nothing to delete', () => {
    const before = statefulSet({ volumeClaimTemplates: undefined });
    const after = statefulSet({ volumeClaimTemplates: undefined, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } });
    expect(su(compare([before], [after]), 'SU006')).toEqual([]);
  });
});

describe('SU005 StatefulSet removed', () => {
  test('a StatefulSet with claim templates no longer in the output is an error on the baseline object', () => {
    const before = statefulSet({}, 'shop');
    const [f] = su(compare([before], [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'shop' } }]), 'SU005');
    expect(f).toMatchObject({ severity: GuardSeverity.ERROR, resource: { kind: 'StatefulSet', namespace: 'shop', name: 'db' } });
    expect(f.message).toContain("claim template(s) 'data'");
    expect(f.impact).toContain('its claims stay (whenDeleted: Retain)');
    expect(f.fix).toContain('Guards.acknowledge(app');
  });

  test('with whenDeleted: Delete the impact says its claims go with it', () => {
    const before = statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } });
    const [f] = su(compare([before], []), 'SU005');
    expect(f.impact).toContain('its claims and their data are deleted with it');
  });

  test('a renamed StatefulSet is a removal', () => {
    const before = statefulSet();
    const after = changed(before, s => { s.metadata.name = 'db2'; });
    expect(su(compare([before], [after]), 'SU005').map(f => f.resource.name)).toEqual(['db']);
  });

  test('a StatefulSet that holds no data (no template, no claim) is no finding', () => {
    const before = statefulSet({ volumeClaimTemplates: undefined, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } });
    expect(su(compare([before], []))).toEqual([]);
  });

  test('the annotation on the object as the baseline has it acknowledges the removal', () => {
    const before = changed(statefulSet(), s => { s.metadata.annotations = { [ACK_ANNOTATION]: `SU005: ${REASON}` }; });
    const report = compare([before], []);
    expect(su(report, 'SU005')).toEqual([expect.objectContaining({ acknowledged: true, acknowledgedReason: REASON })]);
    expect(report.failed).toBe(false);
  });
});
