/**
 * PostgreSQL with two hot standbys on EBS gp3: nightly logical dumps to their own claim, hourly
 * CSI snapshots of every replica, a metrics sidecar, and a NetworkPolicy that admits only the
 * API Deployment (and the members and backup job).
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AntiAffinity, BackupPolicy, DatabaseEngine, StatefulDatabase } from '../../src/database';
import { IStorageClass, IVolumeSnapshotClass, Provisioner } from '../../src/storage';

export function build(app: App): void {
  const chart = new Chart(app, 'postgres-ha', { namespace: 'shop' });

  // An existing EBS class and snapshot class of the cluster (or the StorageClass construct).
  const gp3: IStorageClass = { storageClassName: 'ebs-gp3', provisioner: Provisioner.awsEbs() };
  const snapshots: IVolumeSnapshotClass = { volumeSnapshotClassName: 'ebs-snapshots', driver: 'ebs.csi.aws.com' };

  const db = new StatefulDatabase(chart, 'orders', {
    engine: DatabaseEngine.postgres({ version: '16.4' }),
    replicas: 3,
    storage: { size: Size.gibibytes(50), storageClass: gp3 },
    antiAffinity: AntiAffinity.REQUIRED,
    spreadAcrossZones: true,
    parameters: { max_connections: '200', shared_buffers: "'256MB'" },
    metrics: {},
    networkPolicy: true,
    backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(100), storageClass: gp3 } }),
  });
  db.addBackup(BackupPolicy.volumeSnapshots({ schedule: '15 * * * *', keep: 24, snapshotClass: snapshots }));

  // The only client: writes go to the primary Service, the password comes from the Secret.
  const api = new kplus.Deployment(chart, 'api', {
    replicas: 2,
    containers: [{
      name: 'api',
      image: 'ghcr.io/example/orders-api:1.4.2',
      portNumber: 8080,
      envVariables: {
        PGHOST: kplus.EnvValue.fromValue(db.primaryServiceName),
        PGHOST_READ: kplus.EnvValue.fromValue(db.readServiceName),
        PGUSER: kplus.EnvValue.fromValue('postgres'),
        PGPASSWORD: kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(chart, 'creds', db.secretName), key: 'superuser-password' }),
      },
      // The restricted Pod Security profile: cdk8s-plus already runs non-root without escalation.
      securityContext: {
        user: 10001,
        group: 10001,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    }],
  });
  db.allowFrom(api);
}
