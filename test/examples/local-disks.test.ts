import { synthExample } from '../../examples/examples';
import { all, checkedByApiServer, find, parseYaml } from '../harness';

describe('example local-disks', () => {
  // GIVEN the example app WHEN synthesized
  const objects = checkedByApiServer(parseYaml(synthExample('local-disks')));

  test('pools the NVMe disks behind a no-provisioner class that waits for the first consumer and retains', () => {
    const sc = find(objects, 'StorageClass');
    expect(sc.metadata.name).toBe('local-nvme');
    expect(sc.provisioner).toBe('kubernetes.io/no-provisioner');
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.reclaimPolicy).toBe('Retain');
  });

  test('makes one PersistentVolume per node, each pinned to its node by a required nodeAffinity', () => {
    const pvs = all(objects, 'PersistentVolume');
    expect(pvs).toHaveLength(3);
    const nodes = pvs.map(pv => {
      expect(pv.spec.local).toEqual({ path: '/mnt/disks/nvme0' });
      expect(pv.spec.capacity).toEqual({ storage: '900Gi' });
      expect(pv.spec.storageClassName).toBe('local-nvme');
      expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Retain');
      expect(pv.spec.accessModes).toEqual(['ReadWriteOnce']);
      const terms = pv.spec.nodeAffinity.required.nodeSelectorTerms;
      expect(terms).toHaveLength(1);
      expect(terms[0].matchExpressions).toHaveLength(1);
      const [expr] = terms[0].matchExpressions;
      expect(expr.key).toBe('kubernetes.io/hostname');
      expect(expr.operator).toBe('In');
      return expr.values;
    });
    expect(nodes).toEqual([['node-a'], ['node-b'], ['node-c']]);
  });

  test('claims one disk from the pool', () => {
    const claim = find(objects, 'PersistentVolumeClaim');
    expect(claim.metadata.name).toBe('cache-data');
    expect(claim.spec.storageClassName).toBe('local-nvme');
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.spec.resources.requests.storage).toBe('500Gi');
  });
});
