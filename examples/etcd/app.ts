/**
 * A three-member etcd cluster for a platform's own configuration store: members on separate
 * nodes and spread across zones, 8 GiB claims on the cluster's default class. A drain may take
 * one member at a time; the other two keep the quorum.
 */
import { App, Chart, Size } from 'cdk8s';
import { ConsensusCluster, ConsensusEngine } from '../../src/database';

export function build(app: App): void {
  const chart = new Chart(app, 'etcd', { namespace: 'platform' });
  new ConsensusCluster(chart, 'config-store', {
    engine: ConsensusEngine.etcd({ version: '3.6.5' }),
    replicas: 3,
    storage: { size: Size.gibibytes(8) },
    spreadAcrossZones: true,
  });
}
