/**
 * Bare metal with NVMe disks: three nodes, one disk each, pooled as local PersistentVolumes.
 * A claim on the pool waits for its pod (WaitForFirstConsumer) and then binds the disk of the
 * node the scheduler picked; the pod stays pinned to that node for life.
 */
import { App, Chart, Size } from 'cdk8s';
import { LocalVolumePool, PersistentClaim } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'local-disks');
  const pool = new LocalVolumePool(chart, 'nvme', {
    storageClassName: 'local-nvme',
    volumes: ['node-a', 'node-b', 'node-c'].map(node => ({
      node,
      path: '/mnt/disks/nvme0',
      size: Size.gibibytes(900),
    })),
  });
  new PersistentClaim(chart, 'cache', {
    name: 'cache-data',
    storageClass: pool,
    size: Size.gibibytes(500),
  });
}
