/** Inputs of the inventory tests: the postgres-ha example and hostile manifests. */
import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../../src/guards/files/manifest-files';

export const ROOT = path.join(__dirname, '..', '..');
export const POSTGRES_HA = path.join(ROOT, 'examples', 'dist', 'postgres-ha.yaml');

export function loadYaml(file: string): Record<string, any>[] {
  return parseManifests(fs.readFileSync(file, 'utf8'), file).map(m => m.manifest);
}

/** The cluster's own StorageClass and VolumeSnapshotClass the example names (they are not in its output). */
export const CLUSTER_CLASSES: Record<string, any>[] = [
  { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'ebs-gp3' }, provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', parameters: { type: 'gp3' } },
  { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'ebs-snapshots' }, driver: 'ebs.csi.aws.com', deletionPolicy: 'Retain' },
];

export const SECRET_VALUE = 'hunter2-TOP-SECRET-value';
export const HOSTILE = '<script>alert(1)</script>"]-->x;%%|`';

/** Manifests with a Secret value, a literal ConfigMap value and hostile names everywhere. */
export function hostileManifests(): Record<string, any>[] {
  const name = `db${HOSTILE}`;
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: `creds${HOSTILE}`, namespace: 'app' }, stringData: { password: SECRET_VALUE }, data: { token: Buffer.from(SECRET_VALUE).toString('base64') } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `conf${HOSTILE}`, namespace: 'app' }, data: { 'app.conf': `password=${SECRET_VALUE}` } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: `fast${HOSTILE}` }, provisioner: `evil${HOSTILE}`, reclaimPolicy: 'Delete' },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: 'app' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [{
              name: 'db',
              image: 'postgres:16.4',
              env: [{ name: 'POSTGRES_PASSWORD', value: SECRET_VALUE }, { name: 'X', valueFrom: { secretKeyRef: { name: `creds${HOSTILE}`, key: 'password' } } }],
              volumeMounts: [{ name: `data${HOSTILE}`, mountPath: '/var/lib/postgresql/data' }, { name: 'conf', mountPath: '/etc/conf' }],
            }],
            volumes: [{ name: 'conf', configMap: { name: `conf${HOSTILE}` } }],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: `data${HOSTILE}` }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: `fast${HOSTILE}`, resources: { requests: { storage: '1Gi' } } } }],
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `primary${HOSTILE}`, namespace: 'app' }, spec: { selector: { 'app': 'db', 'statefulset.kubernetes.io/pod-name': `${name}-0` } } },
  ];
}
