import { Chart, Size, Testing } from 'cdk8s';
import { expectStatefulError } from './expect-error';
import { LocalVolumePool, PersistentClaim, VolumeMode } from '../../src/storage';
import { all, find, synth } from '../harness';

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}
const disk = (node: string, path = '/mnt/disks/ssd0') => ({ node, path, size: Size.gibibytes(100) });

describe('LocalVolumePool', () => {
  test('makes a no-provisioner class (WaitForFirstConsumer, Retain, no expansion) and one pinned PersistentVolume per disk', () => {
    // GIVEN
    const c = chart();
    // WHEN
    const pool = new LocalVolumePool(c, 'pool', { storageClassName: 'local-ssd', volumes: [disk('node-a'), disk('node-b', '/mnt/disks/ssd1')] });
    // THEN
    const objects = synth(c);
    const sc = find(objects, 'StorageClass');
    expect(sc).toEqual(expect.objectContaining({
      provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain', allowVolumeExpansion: false,
    }));
    expect(sc.metadata.name).toBe('local-ssd');
    const pvs = all(objects, 'PersistentVolume');
    expect(pvs.map(pv => pv.spec)).toEqual([
      {
        capacity: { storage: '100Gi' },
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'local-ssd',
        local: { path: '/mnt/disks/ssd0' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }] } },
      },
      expect.objectContaining({
        local: { path: '/mnt/disks/ssd1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-b'] }] }] } },
      }),
    ]);
    expect(pool.persistentVolumeNames).toEqual(pvs.map(pv => pv.metadata.name));
    expect(pool.storageClassName).toBe('local-ssd');
    expect(pool.provisioner?.name).toBe('kubernetes.io/no-provisioner');
  });

  test('serves raw block devices and sizes that are not whole GiB', () => {
    const c = chart();
    new LocalVolumePool(c, 'pool', { volumes: [{ node: 'n1.example.com', path: '/dev/nvme1n1', size: Size.mebibytes(1500), volumeMode: VolumeMode.BLOCK }] });
    const pv = find(synth(c), 'PersistentVolume');
    expect(pv.spec.volumeMode).toBe('Block');
    expect(pv.spec.capacity.storage).toBe('1500Mi');
  });

  test('is a class claims can use: the claim gets ReadWriteOnce on the pool class', () => {
    const c = chart();
    const pool = new LocalVolumePool(c, 'pool', { volumes: [disk('node-a')] });
    new PersistentClaim(c, 'claim', { storageClass: pool, size: Size.gibibytes(50) });
    const claim = find(synth(c), 'PersistentVolumeClaim');
    expect(claim.spec.storageClassName).toBe(pool.storageClassName);
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  test('the same path on different nodes, and paths that sanitize alike, give distinct volumes', () => {
    const c = chart();
    new LocalVolumePool(c, 'pool', { volumes: [disk('node-a', '/mnt/a-b'), disk('node-a', '/mnt/a/b'), disk('node-b', '/mnt/a-b')] });
    const names = all(synth(c), 'PersistentVolume').map(pv => pv.metadata.name);
    expect(new Set(names).size).toBe(3);
  });

  test('rejects a disk listed twice', () => {
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [disk('node-a'), disk('node-b'), disk('node-a')] }),
      "LocalVolumePool 'test/pool': volumes[2] must be a node and path not already in the pool (each disk once), got \"node-a:/mnt/disks/ssd0\".");
  });

  test('rejects an empty or missing list', () => {
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [] }),
      "LocalVolumePool 'test/pool': volumes must be a non-empty list of { node, path, size }, got [].");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', {} as any),
      "LocalVolumePool 'test/pool': volumes must be a non-empty list of { node, path, size }, got undefined.");
  });

  test('rejects relative paths and paths with ..', () => {
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [disk('node-a', 'mnt/disks/ssd0')] }),
      "LocalVolumePool 'test/pool': volumes[0].path must be an absolute path (starting with '/', without '..' segments), got \"mnt/disks/ssd0\".");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [disk('node-a', '/mnt/../etc')] }),
      "LocalVolumePool 'test/pool': volumes[0].path must be an absolute path (starting with '/', without '..' segments), got \"/mnt/../etc\".");
  });

  test('rejects bad node names, sizes, volume modes and class names', () => {
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [disk('Node_A')] }),
      "LocalVolumePool 'test/pool': volumes[0].node must be a node name as in its kubernetes.io/hostname label (lower-case letters, digits, '-' and '.', at most 63 characters), such as 'node-a', got \"Node_A\".");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [{ node: 'a', path: '/d', size: '100Gi' as any }] }),
      "LocalVolumePool 'test/pool': volumes[0].size must be a cdk8s Size such as Size.gibibytes(10), got \"100Gi\".");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [{ node: 'a', path: '/d', size: Size.gibibytes(0) }] }),
      "LocalVolumePool 'test/pool': volumes[0].size must be at least 1 KiB, got \"0 KiB\".");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [{ ...disk('a'), volumeMode: 'Raw' as any }] }),
      "LocalVolumePool 'test/pool': volumes[0].volumeMode must be one of 'Filesystem', 'Block', got \"Raw\".");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [disk('a', `/${'d'.repeat(5000)}`)] }),
      "LocalVolumePool 'test/pool': volumes[0].path must be a path of at most 4096 characters, got \"/ddddddddddddddddddd...\".");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', undefined as any),
      "LocalVolumePool 'test/pool': props must be an object with a list of volumes, got undefined.");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [null as any] }),
      "LocalVolumePool 'test/pool': volumes[0] must be an object { node, path, size }, got null.");
    expectStatefulError(() => new LocalVolumePool(chart(), 'pool', { volumes: [disk('a')], storageClassName: 'Local SSD' }),
      "LocalVolumePool 'test/pool': storageClassName must be a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, '-' and '.'), got \"Local SSD\".");
  });
});
