/**
 * The input the checker benchmark reads: N Kubernetes objects as one multi-document YAML stream, a
 * realistic mix of what `helm template` or `cdk8s synth` prints for stateful apps. Per group of
 * twelve objects: a StatefulSet with claim templates and its headless Service, a Deployment with
 * its Service, ConfigMaps (one holding an embedded multi-document YAML, `---` inside a block
 * scalar), Secrets, PersistentVolumeClaims and a StorageClass; every fourth group renders from a
 * Helm chart (`# Source:` comments) and every tenth group has its ConfigMaps wrapped in a
 * `kind: List`. About 3.5 KB per object, so N = 10,000 is about 35 MB.
 */
import { stringify as toYaml } from 'yaml';

// Tools print every object in full: no anchors and aliases for the label maps the objects share.
const stringify = (value: unknown) => toYaml(value, { aliasDuplicateObjects: false });

/** The manifests of group `g`: `count` objects (the last group may be cut short). */
function group(g: number): Array<Record<string, any>> {
  const ns = `team-${g % 7}`;
  const app = `app-${g}`;
  const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `release-${g}`, 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': `stateful-${g % 5}.2.${g % 11}` };
  const meta = (name: string, extra: Record<string, any> = {}) => ({ name, namespace: ns, labels, ...extra });
  const container = (name: string, image: string, port: number) => ({
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'main', containerPort: port, protocol: 'TCP' }, { name: 'metrics', containerPort: 9187, protocol: 'TCP' }],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${app}-credentials`, key: 'password' } } },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'CACHE_SIZE', value: '256Mi' },
      ...Array.from({ length: 30 }, (_, i) => ({ name: `FEATURE_FLAG_${i}`, value: i % 3 ? 'on' : 'off' })),
    ],
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
    readinessProbe: { tcpSocket: { port }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
    livenessProbe: { exec: { command: ['sh', '-c', `pg_isready -h 127.0.0.1 -p ${port} || exit 1`] }, initialDelaySeconds: 30, periodSeconds: 20 },
    securityContext: { runAsNonRoot: true, runAsUser: 999, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }, { name: 'config', mountPath: '/etc/app', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
  });
  const podSpec = (image: string, port: number, volumes: any[]) => ({
    serviceAccountName: app,
    securityContext: { fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': app } } } }] } },
    terminationGracePeriodSeconds: 60,
    initContainers: [{ name: 'init-permissions', image: 'busybox:1.36', command: ['sh', '-c', 'chown -R 999:999 /var/lib/postgresql/data'], volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] }],
    containers: [container('main', image, port), { ...container('exporter', 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0', 9187), volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }],
    volumes: [{ name: 'config', configMap: { name: `${app}-config` } }, { name: 'tmp', emptyDir: {} }, ...volumes],
  });
  const storageClass = `fast-${g % 3}`;
  const settings = Array.from({ length: 380 }, (_, i) => `setting_${i} = ${i * 7 + g}`).join('\n');
  const embedded = [0, 1, 2].map(i => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: embedded-${g}-${i}\ndata:\n  key: value-${i}\n`).join('---\n');
  return [
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: `${storageClass}-${g}`, labels }, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true', iops: '3000', throughput: '125' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta(`${app}-credentials`), type: 'Opaque', data: { password: Buffer.from(`secret-${g}`).toString('base64'), username: Buffer.from('app').toString('base64'), 'replication-password': Buffer.from(`repl-${g}`).toString('base64') } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${app}-config`), data: { 'app.conf': `${settings}\n`, 'LOG_FORMAT': 'json' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${app}-bootstrap`), data: { 'objects.yaml': embedded, 'init.sql': 'CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, name text NOT NULL);\n' } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(`${app}-db-headless`), spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/name': app, component: 'db' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'main' }] } },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta(`${app}-db`), spec: { serviceName: `${app}-db-headless`, replicas: 3, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' }, selector: { matchLabels: { 'app.kubernetes.io/name': app, component: 'db' } }, template: { metadata: { labels: { ...labels, component: 'db' }, annotations: { 'checksum/config': `${g}`.padStart(64, 'a') } }, spec: podSpec('postgres:16.4', 5432, []) }, volumeClaimTemplates: [{ metadata: { name: 'data', labels }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: `${storageClass}-${g}`, resources: { requests: { storage: '50Gi' } } } }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(`${app}-web`), spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': app, component: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'main' }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(`${app}-web`), spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, selector: { matchLabels: { 'app.kubernetes.io/name': app, component: 'web' } }, template: { metadata: { labels: { ...labels, component: 'web' } }, spec: podSpec('nginx:1.27', 8080, [{ name: 'data', emptyDir: {} }]) } } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(`${app}-uploads`), spec: { accessModes: ['ReadWriteOnce'], storageClassName: `${storageClass}-${g}`, resources: { requests: { storage: '20Gi' } } } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(`${app}-backups`), spec: { accessModes: ['ReadWriteOnce'], storageClassName: `${storageClass}-${g}`, resources: { requests: { storage: '100Gi' } } } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta(`${app}-tls`), type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(`certificate ${g} `.repeat(300)).toString('base64'), 'tls.key': Buffer.from(`key ${g} `.repeat(150)).toString('base64') } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${app}-env`), data: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`FEATURE_${i}`, i % 2 ? 'enabled' : 'disabled'])) },
  ];
}

/** N objects as one YAML stream (documents separated by `---`). */
export function checkerInput(n: number): string {
  const docs: string[] = [];
  let count = 0;
  for (let g = 0; count < n; g++) {
    const objects = group(g).slice(0, n - count);
    count += objects.length;
    const helm = g % 4 === 1;
    const source = (o: Record<string, any>) => (helm ? `# Source: stateful/templates/${o.kind.toLowerCase()}.yaml\n` : '');
    if (g % 10 === 3) {
      const configMaps = objects.filter(o => o.kind === 'ConfigMap');
      const rest = objects.filter(o => o.kind !== 'ConfigMap');
      docs.push(...rest.map(o => source(o) + stringify(o)));
      if (configMaps.length > 0) docs.push(stringify({ apiVersion: 'v1', kind: 'List', items: configMaps }));
    } else {
      docs.push(...objects.map(o => source(o) + stringify(o)));
    }
  }
  return docs.map(d => `---\n${d}`).join('');
}
