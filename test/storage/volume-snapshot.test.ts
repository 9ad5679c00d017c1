import { Chart, Size, Testing } from 'cdk8s';
import { expectStatefulError } from './expect-error';
import {
  ClaimDataSource, PersistentClaim, Provisioner, SnapshotDeletionPolicy, StorageClass, VolumeSnapshot, VolumeSnapshotClass,
} from '../../src/storage';
import { find, synth } from '../harness';

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

describe('VolumeSnapshotClass', () => {
  test('takes the driver from the provisioner and retains snapshots by default', () => {
    // GIVEN
    const c = chart();
    // WHEN
    const vsc = new VolumeSnapshotClass(c, 'vsc', { provisioner: Provisioner.awsEbs() });
    // THEN
    const obj = find(synth(c), 'VolumeSnapshotClass');
    expect(obj.apiVersion).toBe('snapshot.storage.k8s.io/v1');
    expect(obj.driver).toBe('ebs.csi.aws.com');
    expect(obj.deletionPolicy).toBe('Retain');
    expect(obj.parameters).toBeUndefined();
    expect(obj.metadata.annotations).toBeUndefined();
    expect(vsc.volumeSnapshotClassName).toBe(obj.metadata.name);
    expect(vsc.driver).toBe('ebs.csi.aws.com');
  });

  test('writes name, Delete, parameters and the default annotation', () => {
    const c = chart();
    new VolumeSnapshotClass(c, 'vsc', {
      name: 'longhorn-backup', provisioner: Provisioner.longhorn(), deletionPolicy: SnapshotDeletionPolicy.DELETE, parameters: { type: 'bak' }, isDefault: true,
    });
    const obj = find(synth(c), 'VolumeSnapshotClass');
    expect(obj).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name: 'longhorn-backup', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } },
      driver: 'driver.longhorn.io',
      deletionPolicy: 'Delete',
      parameters: { type: 'bak' },
    });
  });

  test('rejects a provisioner that cannot snapshot, naming it', () => {
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: Provisioner.awsEfs({ fileSystemId: 'fs-01234567' }) }),
      "VolumeSnapshotClass 'test/vsc': provisioner must be a provisioner whose CSI driver supports snapshots (e.g. awsEbs, gcePd, azureDisk, azureFile, longhorn, cephRbd, cephFs, nfs), got \"efs.csi.aws.com\".");
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: Provisioner.local() }),
      "VolumeSnapshotClass 'test/vsc': provisioner must be a provisioner whose CSI driver supports snapshots (e.g. awsEbs, gcePd, azureDisk, azureFile, longhorn, cephRbd, cephFs, nfs), got \"kubernetes.io/no-provisioner\".");
  });

  test('rejects bad deletion policies, parameters, names and flags', () => {
    const ebs = Provisioner.awsEbs();
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: ebs, deletionPolicy: 'Keep' as any }),
      "VolumeSnapshotClass 'test/vsc': deletionPolicy must be one of 'Retain', 'Delete', got \"Keep\".");
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: ebs, parameters: { tagSpecification_1: 1 as any } }),
      "VolumeSnapshotClass 'test/vsc': parameters.tagSpecification_1 must be a string (snapshot class parameters are strings), got 1.");
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: ebs, parameters: ['a'] as any }),
      "VolumeSnapshotClass 'test/vsc': parameters must be a map of strings, got [\"a\"].");
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: ebs, name: 'EBS' }),
      "VolumeSnapshotClass 'test/vsc': name must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"EBS\".");
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: ebs, isDefault: 1 as any }),
      "VolumeSnapshotClass 'test/vsc': isDefault must be true or false, got 1.");
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', { provisioner: 'ebs.csi.aws.com' as any }),
      "VolumeSnapshotClass 'test/vsc': provisioner must be a Provisioner such as Provisioner.awsEbs(), got \"ebs.csi.aws.com\".");
  });

  test('fails synthesis when a driver has two default classes, but allows one default per driver', () => {
    const c = chart();
    new VolumeSnapshotClass(c, 'ebs-a', { provisioner: Provisioner.awsEbs(), isDefault: true });
    new VolumeSnapshotClass(c, 'longhorn', { provisioner: Provisioner.longhorn(), isDefault: true });
    expect(synth(c)).toHaveLength(2);
    new VolumeSnapshotClass(c, 'ebs-b', { provisioner: Provisioner.awsEbs(), isDefault: true });
    expect(() => synth(c)).toThrow("VolumeSnapshotClass 'test/ebs-b': isDefault must be false because test/ebs-a is already the default class for driver ebs.csi.aws.com (the snapshot controller fails when a driver has several), got true.");
  });

  test('fromName refers to an existing class and checks its provisioner', () => {
    const c = chart();
    expect(VolumeSnapshotClass.fromName(c, 'csi-aws-vsc', Provisioner.awsEbs())).toEqual({ volumeSnapshotClassName: 'csi-aws-vsc', driver: 'ebs.csi.aws.com' });
    expect(VolumeSnapshotClass.fromName(c, 'csi-aws-vsc').driver).toBeUndefined();
    expectStatefulError(() => VolumeSnapshotClass.fromName(c, 'efs', Provisioner.awsEfs({ fileSystemId: 'fs-01234567' })),
      "VolumeSnapshotClass.fromName 'test': provisioner must be a provisioner whose CSI driver supports snapshots (e.g. awsEbs, gcePd, azureDisk, azureFile, longhorn, cephRbd, cephFs, nfs), got \"efs.csi.aws.com\".");
    expectStatefulError(() => VolumeSnapshotClass.fromName(c, ''),
      "VolumeSnapshotClass.fromName 'test': name must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"\".");
  });
});

describe('VolumeSnapshot', () => {
  test('snapshots a claim through a class, and a restored claim refers to it', () => {
    // GIVEN
    const c = chart();
    const ebs = Provisioner.awsEbs();
    const gp3 = new StorageClass(c, 'gp3', { provisioner: ebs });
    const vsc = new VolumeSnapshotClass(c, 'vsc', { provisioner: ebs });
    const data = new PersistentClaim(c, 'data', { storageClass: gp3, size: Size.gibibytes(20) });
    // WHEN
    const snap = new VolumeSnapshot(c, 'snap', { claimName: data.claimName, snapshotClass: vsc });
    new PersistentClaim(c, 'restored', { name: 'restored', storageClass: gp3, size: Size.gibibytes(20), dataSource: snap.toDataSource() });
    // THEN
    const objects = synth(c);
    const obj = find(objects, 'VolumeSnapshot');
    expect(obj.spec).toEqual({ volumeSnapshotClassName: vsc.volumeSnapshotClassName, source: { persistentVolumeClaimName: data.claimName } });
    expect(obj.metadata.name).toBe(snap.volumeSnapshotName);
    expect(find(objects, 'PersistentVolumeClaim', 'restored').spec.dataSource).toEqual({
      kind: 'VolumeSnapshot', name: snap.volumeSnapshotName, apiGroup: 'snapshot.storage.k8s.io',
    });
  });

  test('without a class, leaves the choice to the default class of the driver', () => {
    const c = chart();
    new VolumeSnapshot(c, 'snap', { claimName: 'data-db-0', name: 'data-db-0-nightly' });
    expect(find(synth(c), 'VolumeSnapshot')).toEqual(expect.objectContaining({
      metadata: { name: 'data-db-0-nightly' }, spec: { source: { persistentVolumeClaimName: 'data-db-0' } },
    }));
  });

  test('rejects a bad claim name, snapshot name or class', () => {
    expectStatefulError(() => new VolumeSnapshot(chart(), 'snap', { claimName: 'Data' }),
      "VolumeSnapshot 'test/snap': claimName must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"Data\".");
    expectStatefulError(() => new VolumeSnapshot(chart(), 'snap', { claimName: 'data', name: 'x_y' }),
      "VolumeSnapshot 'test/snap': name must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"x_y\".");
    expectStatefulError(() => new VolumeSnapshot(chart(), 'snap', undefined as any),
      "VolumeSnapshot 'test/snap': props must be an object with a claimName, got undefined.");
    expectStatefulError(() => new VolumeSnapshotClass(chart(), 'vsc', undefined as any),
      "VolumeSnapshotClass 'test/vsc': props must be an object with at least a provisioner, got undefined.");
    expectStatefulError(() => new VolumeSnapshot(chart(), 'snap', { claimName: 'data', snapshotClass: 'ebs' as any }),
      "VolumeSnapshot 'test/snap': snapshotClass must be a VolumeSnapshotClass or VolumeSnapshotClass.fromName(...), got \"ebs\".");
  });

  test('ClaimDataSource refuses a bad snapshot name', () => {
    expectStatefulError(() => ClaimDataSource.fromSnapshot('Nightly'),
      "ClaimDataSource.fromSnapshot: snapshotName must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"Nightly\".");
  });
});
