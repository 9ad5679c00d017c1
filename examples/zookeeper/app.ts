/**
 * A five-member ZooKeeper ensemble for a message broker's coordination: it survives two members
 * down at once, so a drain may take two; members on separate nodes, 10 GiB claims on the
 * cluster's default class, a 2 GiB memory limit (1 GiB heap).
 */
import { App, Chart, Size } from 'cdk8s';
import { ConsensusCluster, ConsensusEngine } from '../../src/database';

export function build(app: App): void {
  const chart = new Chart(app, 'zookeeper', { namespace: 'messaging' });
  new ConsensusCluster(chart, 'coordination', {
    engine: ConsensusEngine.zookeeper({ version: '3.9.3' }),
    replicas: 5,
    storage: { size: Size.gibibytes(10) },
    resources: { memory: Size.gibibytes(1), memoryLimit: Size.gibibytes(2) },
  });
}
