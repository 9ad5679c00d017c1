import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { containerSecurityContext, podSecurityContext } from './database-pod';
import { quantities } from './kube-values';
import * as kube from '../../internal/kube-objects';
import { AccessMode } from '../../storage/access-mode';
import { renderClaimSpec, requireFilesystem } from '../../storage/private/claim-spec';
import { toKubeClaimSpec } from '../../storage/private/storage-claim';
import { BackupKind, BackupPolicy } from '../backup-policy';
import { EngineKind } from '../engine-kind';

/** What the backup objects need from their database. */
export interface BackupTarget {
  readonly name: string;
  readonly kind: EngineKind;
  readonly image: string;
  readonly uid: number;
  readonly port: number;
  readonly primaryService: string;
  readonly secretName: string;
  readonly superuserKey: string;
  readonly claims: string[];
  labels(component: string): Record<string, string>;
}

const BACKUP_DIR = '/backups';
const KUBECTL_UID = 1001; // bitnami/kubectl runs as 1001

/** Emit the objects of one backup policy under `scope`. */
export function renderBackup(scope: Construct, who: string, policy: BackupPolicy, db: BackupTarget): void {
  if (policy.kind === BackupKind.LOGICAL) renderLogical(scope, who, policy, db);
  else renderSnapshots(scope, policy, db);
}

function cronJob(name: string, labels: Record<string, string>, policy: BackupPolicy, podSpec: Omit<k8s.PodSpec, 'restartPolicy'>): k8s.KubeCronJobProps {
  return {
    metadata: { name, labels },
    spec: {
      schedule: policy.schedule,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          template: { metadata: { labels }, spec: { restartPolicy: 'Never', ...podSpec } },
        },
      },
    },
  };
}

function renderLogical(scope: Construct, who: string, policy: BackupPolicy, db: BackupTarget): void {
  const labels = db.labels('backup');
  let claimName = policy.existingClaimName;
  if (claimName === undefined) {
    claimName = `${db.name}-backups`;
    const spec = renderClaimSpec(who, policy.storage!, [AccessMode.READ_WRITE_ONCE], 'backup.storage.');
    requireFilesystem(who, 'backup.storage.volumeMode', spec);
    new kube.KubePersistentVolumeClaim(scope, 'BackupClaim', {
      metadata: { name: claimName, labels },
      spec: toKubeClaimSpec(spec),
    });
  }
  const user = db.kind === EngineKind.POSTGRES ? 'postgres' : 'root';
  const container: k8s.Container = {
    name: 'logical-backup',
    image: db.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/scripts/logical-backup.sh'],
    env: [
      { name: 'DB_ENGINE', value: db.kind },
      { name: 'DB_HOST', value: db.primaryService },
      { name: 'DB_PORT', value: String(db.port) },
      { name: 'DB_USER', value: user },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: db.secretName, key: db.superuserKey } } },
      { name: 'BACKUP_DIR', value: BACKUP_DIR },
      { name: 'BACKUP_KEEP', value: String(policy.keep) },
    ],
    resources: { requests: quantities({ cpu: '100m', memory: '256Mi' }), limits: quantities({ memory: '1Gi' }) },
    securityContext: containerSecurityContext(true),
    volumeMounts: [
      { name: 'backups', mountPath: BACKUP_DIR },
      { name: 'scripts', mountPath: '/scripts', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  new kube.KubeCronJob(scope, 'LogicalBackup', cronJob(`${db.name}-logical-backup`, labels, policy, {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: podSecurityContext(db.uid),
    containers: [container],
    volumes: [
      { name: 'backups', persistentVolumeClaim: { claimName } },
      { name: 'scripts', configMap: { name: `${db.name}-scripts`, defaultMode: 0o555 } },
      { name: 'tmp', emptyDir: {} },
    ],
  }));
}

function renderSnapshots(scope: Construct, policy: BackupPolicy, db: BackupTarget): void {
  const labels = db.labels('snapshot-backup');
  const name = `${db.name}-snapshot-backup`;
  new kube.KubeServiceAccount(scope, 'SnapshotServiceAccount', {
    metadata: { name, labels },
    automountServiceAccountToken: false,
  });
  new kube.KubeRole(scope, 'SnapshotRole', {
    metadata: { name, labels },
    rules: [{ apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'list', 'delete'] }],
  });
  new kube.KubeRoleBinding(scope, 'SnapshotRoleBinding', {
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name }],
  });
  const container: k8s.Container = {
    name: 'snapshot-backup',
    image: policy.kubectlImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['/scripts/snapshot-backup.sh'],
    env: [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'CLAIMS', value: db.claims.join(' ') },
      { name: 'SNAPSHOT_CLASS', value: policy.snapshotClass!.volumeSnapshotClassName },
      { name: 'BACKUP_KEEP', value: String(policy.keep) },
      { name: 'DB_NAME', value: db.name },
      { name: 'HOME', value: '/tmp' },
    ],
    resources: { requests: quantities({ cpu: '50m', memory: '64Mi' }), limits: quantities({ memory: '256Mi' }) },
    securityContext: containerSecurityContext(true),
    volumeMounts: [
      { name: 'scripts', mountPath: '/scripts', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  new kube.KubeCronJob(scope, 'SnapshotBackup', cronJob(name, labels, policy, {
    serviceAccountName: name,
    // The only pod of the database that talks to the API server.
    automountServiceAccountToken: true,
    enableServiceLinks: false,
    securityContext: podSecurityContext(KUBECTL_UID),
    containers: [container],
    volumes: [
      { name: 'scripts', configMap: { name: `${db.name}-scripts`, defaultMode: 0o555 } },
      { name: 'tmp', emptyDir: {} },
    ],
  }));
}
