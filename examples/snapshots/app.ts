/**
 * Snapshot and restore on EBS: a gp3 class, a snapshot class (Retain: the snapshot outlives its
 * VolumeSnapshot object), a claim, a VolumeSnapshot of it, and a new claim restored from the
 * snapshot. Needs the external-snapshotter CRDs and controller in the cluster.
 */
import { App, Chart, Size } from 'cdk8s';
import { EbsVolumeType, PersistentClaim, Provisioner, StorageClass, VolumeSnapshot, VolumeSnapshotClass } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'snapshots');
  const ebs = Provisioner.awsEbs({ type: EbsVolumeType.GP3, iops: 6000, throughput: 250 });
  const gp3 = new StorageClass(chart, 'gp3', { name: 'ebs-gp3', provisioner: ebs });
  const snapshotClass = new VolumeSnapshotClass(chart, 'ebs-snapshots', { name: 'ebs-snapshots', provisioner: ebs });

  const data = new PersistentClaim(chart, 'data', { name: 'orders-data', storageClass: gp3, size: Size.gibibytes(50) });
  const nightly = new VolumeSnapshot(chart, 'snapshot', {
    name: 'orders-data-2026-11-23',
    claimName: data.claimName,
    snapshotClass,
  });
  new PersistentClaim(chart, 'restored', {
    name: 'orders-data-restored',
    storageClass: gp3,
    size: Size.gibibytes(50),
    dataSource: nightly.toDataSource(),
  });
}
