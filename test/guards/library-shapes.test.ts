import { ApiObject, Chart } from 'cdk8s';
import { PodSecurityLevel } from '../harness';
import { checkApp, goodDatabase, newChart, pdb, headlessService, rawStatefulSet, restrictedContainer, spreadByHost } from './helpers';

/**
 * The shapes the other areas emit (see the contracts in the guards README): with their defaults
 * they must raise no finding at all, errors or warnings.
 */

/**
 * Node agents read the host (hostPath volumes), which no restricted or baseline namespace admits:
 * a cluster admin labels the agents' namespace privileged, and so does the API server check here.
 */
const NODE_AGENT = { podSecurity: PodSecurityLevel.PRIVILEGED };

function daemonSet(chart: Chart, name: string, volumes: Array<Record<string, any>>, mounts: Array<Record<string, any>>): ApiObject {
  return new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `example/${name}:1`, volumeMounts: mounts }], volumes } },
    },
  });
}

describe('shapes of the library constructs raise no finding', () => {
  test.each([
    ['postgres', 'postgres:16', '/var/lib/postgresql/data', 'POSTGRES_PASSWORD'],
    ['mysql', 'mysql:8.0', '/var/lib/mysql', 'MYSQL_ROOT_PASSWORD'],
    ['mariadb', 'mariadb:11', '/var/lib/mysql', 'MARIADB_ROOT_PASSWORD'],
    ['redis', 'redis:7', '/data', 'REDIS_PASSWORD'],
    ['mongo', 'mongo:7', '/data/db', 'MONGO_INITDB_ROOT_PASSWORD'],
    ['cassandra', 'cassandra:5', '/var/lib/cassandra', 'CASSANDRA_PASSWORD'],
  ])('a StatefulDatabase-like %s cluster of three', (name, image, dataPath, passwordVar) => {
    const { chart } = newChart();
    goodDatabase(chart, name, { image, dataPath, env: [{ name: passwordVar, valueFrom: { secretKeyRef: { name: `${name}-auth`, key: 'password' } } }] });
    expect(checkApp(chart).report.findings).toEqual([]);
  });

  test('a single-replica database with its PGDATA below the mount, a Retain class, and a backup CronJob on the default (Delete) class', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'sc', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'db' },
      provisioner: 'ebs.csi.aws.com',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    new ApiObject(chart, 'default-sc', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    });
    goodDatabase(chart, 'orders', { replicas: 1, storageClassName: 'db', env: [{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }] });
    new ApiObject(chart, 'backups', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'orders-backups' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
    });
    new ApiObject(chart, 'backup', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'orders-backup' },
      spec: {
        schedule: '0 3 * * *',
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [restrictedContainer({
                  name: 'dump',
                  image: 'postgres:16',
                  command: ['pg_dump'],
                  env: [{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'orders-auth', key: 'password' } } }],
                  volumeMounts: [{ name: 'backups', mountPath: '/backups' }],
                })],
                volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: 'orders-backups' } }],
              },
            },
          },
        },
      },
    });
    expect(checkApp(chart).report.findings).toEqual([]);
  });

  test('a node exporter DaemonSet with read-only hostPath mounts', () => {
    const { chart } = newChart();
    daemonSet(chart, 'node-exporter',
      [{ name: 'proc', hostPath: { path: '/proc' } }, { name: 'sys', hostPath: { path: '/sys' } }, { name: 'root', hostPath: { path: '/' } }],
      [{ name: 'proc', mountPath: '/host/proc', readOnly: true }, { name: 'sys', mountPath: '/host/sys', readOnly: true }, { name: 'root', mountPath: '/host/root', readOnly: true }]);
    expect(checkApp(chart, NODE_AGENT).report.findings).toEqual([]);
  });

  test('a log collector DaemonSet with a read-write hostPath for its read positions', () => {
    const { chart } = newChart();
    daemonSet(chart, 'log-collector',
      [{ name: 'varlog', hostPath: { path: '/var/log' } }, { name: 'positions', hostPath: { path: '/var/lib/fluent-bit', type: 'DirectoryOrCreate' } }],
      [{ name: 'varlog', mountPath: '/var/log', readOnly: true }, { name: 'positions', mountPath: '/var/lib/fluent-bit' }]);
    expect(checkApp(chart, NODE_AGENT).report.findings).toEqual([]);
  });

  test('a SharedFileVolume-like ReadWriteMany claim with coordinated writers, or one writer and readers', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'efs', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'efs' }, provisioner: 'efs.csi.aws.com', reclaimPolicy: 'Retain' });
    const claim = (name: string, writers: string) => new ApiObject(chart, name, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, annotations: { 'stateful.cdk8s.io/writers': writers } },
      spec: { accessModes: ['ReadWriteMany'], storageClassName: 'efs', resources: { requests: { storage: '5Gi' } } },
    });
    claim('uploads', 'coordinated');
    claim('reports', 'single');
    const deployment = (name: string, replicas: number, claimName: string, readOnly: boolean) => new ApiObject(chart, `d-${name}`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [restrictedContainer({ name, image: 'example/app:1', volumeMounts: [{ name: 'shared', mountPath: '/shared', readOnly }] })],
            volumes: [{ name: 'shared', persistentVolumeClaim: { claimName, readOnly } }],
          },
        },
      },
    });
    deployment('web', 3, 'uploads', false);
    deployment('reporter', 1, 'reports', false);
    deployment('viewer', 3, 'reports', true);
    expect(checkApp(chart).report.findings).toEqual([]);
  });

  test('a StatefulSet of one with a Service defined in the same app and no budget', () => {
    const { chart } = newChart();
    headlessService(chart, 'one-headless', { app: 'one' });
    rawStatefulSet(chart, 'one', { replicas: 1, dataPath: '/var/lib/postgresql/data', env: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'a', key: 'b' } } }] });
    pdb(chart, 'unrelated', { app: 'other' });
    rawStatefulSet(chart, 'other', { image: 'nginx', replicas: 2, dataPath: '/data', labels: { app: 'other' }, serviceName: 'one-headless', affinity: spreadByHost({ app: 'other' }) });
    const ids = checkApp(chart).report.findings.map(f => `${f.ruleId} ${f.resource.name}`);
    // Only the StatefulSet governed by a Service selecting other pods is reported.
    expect(ids).toEqual(['SG015 other']);
  });
});
