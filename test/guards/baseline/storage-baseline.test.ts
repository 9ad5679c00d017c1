import { changed, claim, compare, persistentVolume, REASON, storageClass, su, workload } from './fixtures';
import { GuardSeverity } from '../../../src/guards';
import { ACK_ANNOTATION } from '../../../src/guards/acknowledgements';

describe('SU002 claim changes a field the API server keeps', () => {
  test('a request that shrinks is an error: claims never shrink', () => {
    const [f] = su(compare([claim()], [claim({ resources: { requests: { storage: '5Gi' } } })]), 'SU002');
    expect(f).toMatchObject({ severity: GuardSeverity.ERROR, resource: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' } });
    expect(f.message).toContain('its request shrinks from 10Gi to 5Gi');
    expect(f.fix).toContain('Claims never shrink');
    expect(f.fix).toContain('kubectl get pvc data -n default -o yaml');
  });

  test('a request that grows is no finding when the class is not in the input, or allows expansion', () => {
    const grown = claim({ resources: { requests: { storage: '20Gi' } } });
    expect(su(compare([claim()], [grown]))).toEqual([]);
    const sc = storageClass({ allowVolumeExpansion: true });
    expect(su(compare([sc, claim()], [sc, grown]))).toEqual([]);
  });

  test('a request that grows on a class of the input without allowVolumeExpansion is an error', () => {
    const sc = storageClass();
    const [f] = su(compare([sc, claim()], [sc, claim({ resources: { requests: { storage: '20Gi' } } })]), 'SU002');
    expect(f.message).toContain("grows from 10Gi to 20Gi on StorageClass 'fast', which does not allow volume expansion");
    expect(f.fix).toContain("Set allowVolumeExpansion: true on StorageClass 'fast'");
  });

  test('1Gi and 1024Mi are the same request', () => {
    expect(su(compare([claim()], [claim({ resources: { requests: { storage: '10240Mi' } } })]))).toEqual([]);
  });

  test.each([
    ['storageClassName', { storageClassName: 'slow' }, 'its class changes from fast to slow'],
    ['storageClassName removed', { storageClassName: undefined }, 'its class changes from fast to (unset)'],
    ['accessModes', { accessModes: ['ReadWriteMany'] }, 'its accessModes change from ["ReadWriteOnce"] to ["ReadWriteMany"]'],
    ['volumeMode', { volumeMode: 'Block' }, 'its volumeMode change from Filesystem to Block'],
    ['dataSource', { dataSource: { kind: 'PersistentVolumeClaim', name: 'seed' } }, 'its dataSource change from (unset)'],
    ['limits', { resources: { requests: { storage: '10Gi' }, limits: { storage: '20Gi' } } }, 'its resources (other than requests.storage) change'],
  ])('a changed %s is an error that needs a new claim', (_what, spec, phrase) => {
    const [f] = su(compare([claim()], [claim(spec)]), 'SU002');
    expect(f.severity).toBe(GuardSeverity.ERROR);
    expect(f.message).toContain(phrase);
    expect(f.fix).toContain('create a new claim (another name) with the new settings, copy the data into it');
  });

  test('a volumeName that changes is an error', () => {
    const [f] = su(compare([claim({ volumeName: 'pv-a' })], [claim({ volumeName: 'pv-b' })]), 'SU002');
    expect(f.severity).toBe(GuardSeverity.ERROR);
    expect(f.message).toContain('its volumeName changes from pv-a to pv-b');
  });

  test('a volumeName or class set where it was unset is a warning (the server may have set the same value)', () => {
    const [v] = su(compare([claim()], [claim({ volumeName: 'pv-a' })]), 'SU002');
    expect(v.severity).toBe(GuardSeverity.WARNING);
    expect(v.message).toContain('allowed once');
    const [c] = su(compare([claim({ storageClassName: undefined })], [claim()]), 'SU002');
    expect(c.severity).toBe(GuardSeverity.WARNING);
    expect(c.message).toContain("the cluster's default class");
  });

  test('the legacy class annotation and the same spec.storageClassName are one class', () => {
    const before = claim({ storageClassName: undefined }, { annotations: { 'volume.beta.kubernetes.io/storage-class': 'fast' } });
    expect(su(compare([before], [claim()]))).toEqual([]);
  });

  test('volumeAttributesClassName may change (the server allows it for bound claims)', () => {
    expect(su(compare([claim()], [claim({ volumeAttributesClassName: 'gold' })]))).toEqual([]);
  });

  test('the annotation on the new claim acknowledges it', () => {
    const report = compare([claim()], [claim({ storageClassName: 'slow' }, { annotations: { [ACK_ANNOTATION]: `SU002: ${REASON}` } })]);
    expect(su(report, 'SU002')).toEqual([expect.objectContaining({ acknowledged: true })]);
    expect(report.failed).toBe(false);
  });
});

describe('SU003 workload selector changed', () => {
  test.each(['Deployment', 'DaemonSet', 'ReplicaSet', 'Job'])('a %s with another selector is an error', (kind) => {
    const [f] = su(compare([workload(kind)], [workload(kind, { app: 'web', tier: 'front' })]), 'SU003');
    expect(f).toMatchObject({ severity: GuardSeverity.ERROR, resource: { kind, name: 'web' } });
    expect(f.impact).toContain('field is immutable');
    expect(f.fix).toContain('Keep the old selector');
    expect(f.fix).toContain(kind === 'Job' ? 'kubectl delete job web -n default' : `kubectl delete ${kind.toLowerCase()} web -n default --cascade=orphan`);
  });

  test('a selector written with empty matchExpressions is the same selector', () => {
    const after = changed(workload('Deployment'), d => { d.spec.selector.matchExpressions = []; });
    expect(su(compare([workload('Deployment')], [after]))).toEqual([]);
  });

  test('a ReplicationController may change its selector (it is mutable): no finding', () => {
    const rc = (app: string) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web' }, spec: { selector: { app }, template: { metadata: { labels: { app } } } } });
    expect(su(compare([rc('a')], [rc('b')]))).toEqual([]);
  });
});

describe('SU004 StorageClass changes an immutable field', () => {
  test.each([
    ['provisioner', { provisioner: 'efs.csi.aws.com' }, 'provisioner ebs.csi.aws.com → efs.csi.aws.com'],
    ['parameters', { parameters: { type: 'io2' } }, 'parameters {"type":"gp3"} → {"type":"io2"}'],
    ['reclaimPolicy', { reclaimPolicy: 'Delete' }, 'reclaimPolicy Retain → Delete'],
    ['reclaimPolicy (to the default)', { reclaimPolicy: undefined }, 'reclaimPolicy Retain → Delete'],
    ['volumeBindingMode', { volumeBindingMode: 'Immediate' }, 'volumeBindingMode WaitForFirstConsumer → Immediate'],
  ])('a changed %s is an error: delete and recreate the class', (_what, fields, phrase) => {
    const [f] = su(compare([storageClass()], [storageClass(fields)]), 'SU004');
    expect(f).toMatchObject({ severity: GuardSeverity.ERROR, resource: { kind: 'StorageClass', name: 'fast' } });
    expect(f.resource.namespace).toBeUndefined();
    expect(f.message).toContain(phrase);
    expect(f.fix).toContain('kubectl delete storageclass fast');
    expect(f.fix).toContain('existing PersistentVolumes keep their old settings');
  });

  test('allowVolumeExpansion, mountOptions and an explicit default are no finding', () => {
    const before = storageClass({ reclaimPolicy: undefined, volumeBindingMode: undefined });
    const after = storageClass({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', allowVolumeExpansion: true, mountOptions: ['noatime'] });
    expect(su(compare([before], [after]))).toEqual([]);
  });
});

describe('SU005 claim or PersistentVolume removed', () => {
  test('a removed claim is an error on the baseline claim', () => {
    const [f] = su(compare([claim({}, { namespace: 'shop' })], [claim({}, { namespace: 'shop', name: 'data-2' })]), 'SU005');
    expect(f).toMatchObject({ severity: GuardSeverity.ERROR, resource: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data' } });
    expect(f.impact).toContain('deleted for good');
    expect(f.fix).toContain('kubectl get pvc data -n shop');
  });

  test.each([['Retain', 'the disk stays'], ['Delete', 'the disk behind it is deleted with it']])('a removed PersistentVolume (%s) is an error', (policy, impact) => {
    const [f] = su(compare([persistentVolume({ persistentVolumeReclaimPolicy: policy })], []), 'SU005');
    expect(f.resource).toMatchObject({ kind: 'PersistentVolume', name: 'disk-1' });
    expect(f.impact).toContain(impact);
  });

  test('a removed StorageClass or ConfigMap is no SU005 finding', () => {
    expect(su(compare([storageClass(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }], []))).toEqual([]);
  });
});

describe('SU006 PersistentVolume reclaim policy turned to Delete', () => {
  test('Retain (also the default of a static volume) to Delete is an error', () => {
    for (const before of [persistentVolume(), persistentVolume({ persistentVolumeReclaimPolicy: undefined })]) {
      const [f] = su(compare([before], [persistentVolume({ persistentVolumeReclaimPolicy: 'Delete' })]), 'SU006');
      expect(f.severity).toBe(GuardSeverity.ERROR);
      expect(f.message).toContain('turns persistentVolumeReclaimPolicy from Retain to Delete');
    }
  });

  test('Delete to Retain is no finding', () => {
    expect(su(compare([persistentVolume({ persistentVolumeReclaimPolicy: 'Delete' })], [persistentVolume()]))).toEqual([]);
  });
});
