import { synthExample } from '../../examples/examples';
import { checkedByApiServer, find, parseYaml } from '../harness';

describe('example snapshots', () => {
  // GIVEN the example app WHEN synthesized
  const objects = checkedByApiServer(parseYaml(synthExample('snapshots')));

  test('provisions EBS gp3 with expansion, waiting for the first consumer, retained', () => {
    const sc = find(objects, 'StorageClass');
    expect(sc.metadata.name).toBe('ebs-gp3');
    expect(sc.provisioner).toBe('ebs.csi.aws.com');
    expect(sc.parameters).toEqual(expect.objectContaining({ type: 'gp3', iops: '6000', throughput: '250', encrypted: 'true' }));
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.allowVolumeExpansion).toBe(true);
    expect(sc.reclaimPolicy).toBe('Retain');
  });

  test('snapshots the claim through a retaining EBS snapshot class', () => {
    const vsc = find(objects, 'VolumeSnapshotClass');
    expect(vsc.apiVersion).toBe('snapshot.storage.k8s.io/v1');
    expect(vsc.driver).toBe('ebs.csi.aws.com');
    expect(vsc.deletionPolicy).toBe('Retain');
    const snap = find(objects, 'VolumeSnapshot');
    expect(snap.spec).toEqual({ volumeSnapshotClassName: 'ebs-snapshots', source: { persistentVolumeClaimName: 'orders-data' } });
  });

  test('restores a new claim from the snapshot', () => {
    const restored = find(objects, 'PersistentVolumeClaim', 'restored');
    expect(restored.spec.dataSource).toEqual({ kind: 'VolumeSnapshot', name: 'orders-data-2026-11-23', apiGroup: 'snapshot.storage.k8s.io' });
    expect(restored.spec.storageClassName).toBe('ebs-gp3');
    expect(restored.spec.resources.requests.storage).toBe('50Gi');
  });
});
