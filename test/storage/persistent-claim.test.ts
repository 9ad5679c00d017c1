import { Chart, Size, Testing } from 'cdk8s';
import { expectStatefulError } from './expect-error';
import {
  AccessMode, ClaimDataSource, PersistentClaim, Provisioner, StorageClass, VolumeMode,
} from '../../src/storage';
import { find, synth } from '../harness';

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

describe('PersistentClaim', () => {
  test('defaults to ReadWriteOnce Filesystem on the cluster default class', () => {
    // GIVEN
    const c = chart();
    // WHEN
    const claim = new PersistentClaim(c, 'data', { size: Size.gibibytes(10) });
    // THEN
    const obj = find(synth(c), 'PersistentVolumeClaim');
    expect(obj.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, volumeMode: 'Filesystem' });
    expect(claim.claimName).toBe(obj.metadata.name);
    expect(claim.storageClass).toBeUndefined();
  });

  test('keeps labels and annotations added through apiObject.metadata', () => {
    // GIVEN
    const c = chart();
    const claim = new PersistentClaim(c, 'data', { size: Size.gibibytes(10), name: 'data' });
    // WHEN
    claim.apiObject.metadata.addLabel('app.kubernetes.io/part-of', 'shop');
    claim.apiObject.metadata.addAnnotation('example.com/owner', 'team-a');
    // THEN
    const obj = find(synth(c), 'PersistentVolumeClaim');
    expect(obj.metadata).toEqual({ name: 'data', labels: { 'app.kubernetes.io/part-of': 'shop' }, annotations: { 'example.com/owner': 'team-a' } });
    expect(obj.spec.resources.requests.storage).toBe('10Gi');
  });

  test('names its class, access modes, volume mode and clone source', () => {
    const c = chart();
    const rbd = new StorageClass(c, 'rbd', { provisioner: Provisioner.cephRbd({ clusterId: 'c1', pool: 'kube' }) });
    new PersistentClaim(c, 'disk', {
      name: 'shared-disk',
      storageClass: rbd,
      size: Size.tebibytes(2),
      accessModes: [AccessMode.READ_WRITE_MANY],
      volumeMode: VolumeMode.BLOCK,
      dataSource: ClaimDataSource.fromClaim('golden-image'),
    });
    const obj = find(synth(c), 'PersistentVolumeClaim');
    expect(obj.metadata.name).toBe('shared-disk');
    expect(obj.spec).toEqual({
      accessModes: ['ReadWriteMany'],
      volumeMode: 'Block',
      storageClassName: rbd.storageClassName,
      resources: { requests: { storage: '2Ti' } },
      dataSource: { kind: 'PersistentVolumeClaim', name: 'golden-image' },
    });
  });

  test('restores a snapshot into a class whose provisioner can snapshot', () => {
    const c = chart();
    const gp3 = new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs() });
    new PersistentClaim(c, 'r', { storageClass: gp3, size: Size.gibibytes(1), dataSource: ClaimDataSource.fromSnapshot('nightly') });
    expect(find(synth(c), 'PersistentVolumeClaim').spec.dataSource).toEqual({ kind: 'VolumeSnapshot', name: 'nightly', apiGroup: 'snapshot.storage.k8s.io' });
  });

  test('rejects a snapshot restore into a class whose provisioner cannot snapshot', () => {
    const c = chart();
    const efs = new StorageClass(c, 'efs', { provisioner: Provisioner.awsEfs({ fileSystemId: 'fs-01234567' }) });
    expectStatefulError(() => new PersistentClaim(c, 'r', { storageClass: efs, size: Size.gibibytes(1), dataSource: ClaimDataSource.fromSnapshot('nightly') }),
      "PersistentClaim 'test/r': dataSource must be a claim source that provisioner efs.csi.aws.com supports: it cannot restore snapshots, so restore into a class whose provisioner can, got \"VolumeSnapshot/nightly\".");
  });

  test('rejects an access mode the provisioner does not serve', () => {
    const c = chart();
    const gp3 = new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs() });
    expectStatefulError(() => new PersistentClaim(c, 'r', { storageClass: gp3, size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_MANY] }),
      "PersistentClaim 'test/r': accessModes must be one that provisioner ebs.csi.aws.com serves in Filesystem mode (ReadWriteOnce, ReadWriteOncePod), got \"ReadWriteMany\".");
  });

  test('rejects ReadWriteOncePod combined with another mode, and duplicate modes', () => {
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE_POD, AccessMode.READ_WRITE_ONCE] }),
      "PersistentClaim 'test/r': accessModes must be ReadWriteOncePod alone (it cannot be combined with other modes), got [\"ReadWriteOncePod\",\"ReadWriteOnce\"].");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE, AccessMode.READ_WRITE_ONCE] }),
      "PersistentClaim 'test/r': accessModes must be a list without duplicates, got [\"ReadWriteOnce\",\"ReadWriteOnce\"].");
  });

  test('accepts ReadWriteOncePod alone on a CSI provisioner', () => {
    const c = chart();
    const gp3 = new StorageClass(c, 'gp3', { provisioner: Provisioner.awsEbs() });
    new PersistentClaim(c, 'r', { storageClass: gp3, size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE_POD] });
    expect(find(synth(c), 'PersistentVolumeClaim').spec.accessModes).toEqual(['ReadWriteOncePod']);
  });

  test('rejects bad sizes, names, classes and sources', () => {
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.kibibytes(1.5) }),
      "PersistentClaim 'test/r': size must be a whole number of KiB, got \"1.5 KiB\".");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: 10 as any }),
      "PersistentClaim 'test/r': size must be a cdk8s Size such as Size.gibibytes(10), got 10.");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.gibibytes(1), name: 'Data' }),
      "PersistentClaim 'test/r': name must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"Data\".");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.gibibytes(1), storageClass: 'gp3' as any }),
      "PersistentClaim 'test/r': storageClass must be a StorageClass or StorageClass.fromName(...), got \"gp3\".");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.gibibytes(1), dataSource: { kind: 'VolumeSnapshot', name: 'x' } as any }),
      "PersistentClaim 'test/r': dataSource must be a ClaimDataSource such as ClaimDataSource.fromSnapshot(name), got {\"kind\":\"VolumeSnapshot\",\"name\":\"x\"}.");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.gibibytes(1), storageClass: { storageClassName: 'gp3', provisioner: 'ebs.csi.aws.com' } as any }),
      "PersistentClaim 'test/r': storageClass.provisioner must be a Provisioner or undefined, got \"ebs.csi.aws.com\".");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', { size: Size.gibibytes(1), storageClass: { storageClassName: 'GP3' } as any }),
      "PersistentClaim 'test/r': storageClass.storageClassName must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"GP3\".");
    expectStatefulError(() => new PersistentClaim(chart(), 'r', null as any),
      "PersistentClaim 'test/r': props must be an object with at least a size, got null.");
  });
});
