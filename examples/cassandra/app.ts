/**
 * An event store on a Cassandra ring: five members on EBS gp3, one per node, spread across
 * zones, keyspaces with replication factor 3 in the datacenter `eu-west-1` (a drain may take one
 * member at a time: every row keeps a QUORUM of 2 of its 3 copies). The ingest Deployment finds
 * the ring through the member names.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CassandraRing } from '../../src/database';
import { IStorageClass, Provisioner } from '../../src/storage';

export function build(app: App): void {
  const chart = new Chart(app, 'cassandra', { namespace: 'events' });
  const gp3: IStorageClass = { storageClassName: 'ebs-gp3', provisioner: Provisioner.awsEbs() };

  const ring = new CassandraRing(chart, 'events', {
    version: '5.0.4',
    replicas: 5,
    replicationFactor: 3,
    clusterName: 'Events',
    datacenter: 'eu-west-1',
    storage: { size: Size.gibibytes(200), storageClass: gp3 },
    resources: { memory: Size.gibibytes(8), memoryLimit: Size.gibibytes(8) },
    spreadAcrossZones: true,
  });

  new kplus.Deployment(chart, 'ingest', {
    replicas: 2,
    containers: [{
      name: 'ingest',
      image: 'ghcr.io/example/ingest:1.4.0',
      portNumber: 8080,
      envVariables: {
        CASSANDRA_CONTACT_POINTS: kplus.EnvValue.fromValue(ring.contactPoints),
        CASSANDRA_PORT: kplus.EnvValue.fromValue(String(ring.cqlPort)),
        CASSANDRA_LOCAL_DC: kplus.EnvValue.fromValue(ring.datacenter),
        CASSANDRA_KEYSPACE_RF: kplus.EnvValue.fromValue(String(ring.replicationFactor)),
      },
      securityContext: {
        user: 10001,
        group: 10001,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    }],
  });
}
