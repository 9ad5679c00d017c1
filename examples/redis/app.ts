/**
 * Redis twice: a session store of three members failed over by Sentinel, its data in the
 * append-only file on EBS gp3, and a page cache of three members that keeps nothing on disk and
 * evicts the least recently used keys. The web Deployment finds each primary through the
 * Sentinels (port 26379 of the Service named after each database).
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppendFsync, RedisDatabase, RedisEvictionPolicy, RedisPersistence } from '../../src/database';
import { IStorageClass, Provisioner } from '../../src/storage';

export function build(app: App): void {
  const chart = new Chart(app, 'redis', { namespace: 'web' });
  const gp3: IStorageClass = { storageClassName: 'ebs-gp3', provisioner: Provisioner.awsEbs() };

  const sessions = new RedisDatabase(chart, 'sessions', {
    version: '7.4.2',
    replicas: 3,
    storage: { size: Size.gibibytes(10), storageClass: gp3 },
    persistence: RedisPersistence.appendOnly({ fsync: AppendFsync.EVERY_SECOND }),
    resources: { memory: Size.gibibytes(1), memoryLimit: Size.gibibytes(2) },
    passwordSecretName: 'sessions-redis',
    spreadAcrossZones: true,
  });

  const pages = new RedisDatabase(chart, 'pages', {
    version: '7.4.2',
    replicas: 3,
    // The claim keeps only the Sentinel's state (its last known primary and epoch).
    storage: { size: Size.gibibytes(1), storageClass: gp3 },
    persistence: RedisPersistence.none(),
    evictionPolicy: RedisEvictionPolicy.ALLKEYS_LFU,
    sentinelDownAfter: Duration.seconds(5),
    passwordSecretName: 'pages-redis',
  });

  new kplus.Deployment(chart, 'web', {
    replicas: 2,
    containers: [{
      name: 'web',
      image: 'ghcr.io/example/web:2.3.0',
      portNumber: 8080,
      envVariables: {
        SESSIONS_SENTINELS: kplus.EnvValue.fromValue(`${sessions.sentinelServiceName}:${sessions.sentinelPort}`),
        SESSIONS_MASTER: kplus.EnvValue.fromValue(sessions.masterName!),
        SESSIONS_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(chart, 'sessions-secret', sessions.passwordSecretName), key: sessions.passwordSecretKey }),
        PAGES_SENTINELS: kplus.EnvValue.fromValue(`${pages.sentinelServiceName}:${pages.sentinelPort}`),
        PAGES_MASTER: kplus.EnvValue.fromValue(pages.masterName!),
        PAGES_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(chart, 'pages-secret', pages.passwordSecretName), key: pages.passwordSecretKey }),
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
