import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { containerSecurityContext, podSecurityContext } from './database-pod';
import { fail } from '../../internal/errors';
import * as kube from '../../internal/kube-objects';
import { quantities } from '../../internal/kube-objects';
import { AccessMode } from '../../storage/access-mode';
import { ClaimOptions } from '../../storage/claim-options';
import { renderClaimSpec, requireFilesystem } from '../../storage/private/claim-spec';
import { toKubeClaimSpec } from '../../storage/private/storage-claim';
import { SnapshotDeletionPolicy, VolumeSnapshotClass } from '../../storage/volume-snapshot-class';
import { IVolumeSnapshotClass } from '../../storage/volume-snapshot-class-ref';
import { EngineKind } from '../engine-kind';

/** What the backup objects need from their database. */
export interface BackupTarget {
  /** The database as messages name it (`StatefulDatabase 'app/orders'`). */
  readonly who: string;
  readonly name: string;
  readonly kind: EngineKind;
  readonly engineName: string;
  readonly image: string;
  readonly uid: number;
  readonly port: number;
  readonly primaryService: string;
  readonly secretName: string;
  readonly superuserKey: string;
  readonly claims: string[];
  labels(component: string): Record<string, string>;
}

/** What every backup's CronJob takes from its policy. */
export interface BackupSchedule {
  readonly schedule: string;
  readonly keep: number;
}

/** What the database learns from a bound backup. */
export interface BackupBinding {
  /** The backup pods that connect to the database port: its NetworkPolicy admits them. */
  readonly databaseClients: k8s.NetworkPolicyPeer[];
}

/** The part of a backup policy that differs by kind: its checks against the database and its objects. */
export interface BackupJob {
  /**
   * The slot the policy fills on a database, as messages name it: a database holds at most one
   * policy per slot.
   */
  readonly slot: string;
  /** Check the job against its database and emit its objects under `scope`. */
  bind(scope: Construct, db: BackupTarget, policy: BackupSchedule): BackupBinding;
}

/** Where logical dumps go: a new claim `<database>-backups`, or an existing one. */
export type BackupClaim = { readonly storage: ClaimOptions } | { readonly existingClaimName: string };

const BACKUP_DIR = '/backups';
// Any non-root uid does: the kubectl image only needs HOME (/tmp) writable.
const KUBECTL_UID = 1001;
/** What a snapshot run needs beyond its wait for readiness: creating, listing and pruning. */
const SNAPSHOT_RUN_MARGIN_SECONDS = 15 * 60;

/** How the Job of a backup CronJob runs: retries and a deadline over all of them. */
interface JobLimits {
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
}

function cronJob(name: string, labels: Record<string, string>, policy: BackupSchedule, limits: JobLimits, podSpec: Omit<k8s.PodSpec, 'restartPolicy'>): k8s.KubeCronJobProps {
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
          backoffLimit: limits.backoffLimit,
          activeDeadlineSeconds: limits.activeDeadlineSeconds,
          template: { metadata: { labels }, spec: { restartPolicy: 'Never', ...podSpec } },
        },
      },
    },
  };
}

/** A logical dump of the primary (pg_dumpall, mysqldump, mariadb-dump) into a claim. */
export class LogicalBackup implements BackupJob {
  public readonly slot = 'logical';

  /** `timeoutSeconds`: the Job's activeDeadlineSeconds. */
  constructor(private readonly claim: BackupClaim, private readonly timeoutSeconds: number) {}

  public bind(scope: Construct, db: BackupTarget, policy: BackupSchedule): BackupBinding {
    if (db.kind === EngineKind.CUSTOM) fail(db.who, 'backup', this.slot, `volume snapshots for a custom engine (${db.engineName}): no dump tool is known`);
    if ('existingClaimName' in this.claim && new RegExp(`^data-${db.name}-\\d+$`).test(this.claim.existingClaimName)) {
      fail(db.who, 'backup.existingClaimName', this.claim.existingClaimName, "a claim other than the database's own (a dump on the disk it protects is lost with it)");
    }
    const labels = db.labels('backup');
    renderLogical(scope, db, policy, labels, this.claim, this.timeoutSeconds);
    return { databaseClients: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': db.name, 'app.kubernetes.io/component': 'backup' } } }] };
  }
}

/** CSI VolumeSnapshots of every replica's claim, by a kubectl job with its own ServiceAccount. */
export class SnapshotBackup implements BackupJob {
  public readonly slot = 'volume-snapshots';

  /** `readyTimeoutSeconds`: how long a run waits for each new snapshot to be ready. */
  constructor(
    private readonly snapshotClass: IVolumeSnapshotClass,
    private readonly kubectlImage: string,
    private readonly readyTimeoutSeconds: number,
  ) {}

  public bind(scope: Construct, db: BackupTarget, policy: BackupSchedule): BackupBinding {
    // Pruning must free the storage: a VolumeSnapshot deleted over a Retain content leaves the
    // content and the cloud snapshot behind. Unless the class is known to delete, the job flips
    // each pruned content to Delete first, which takes cluster-scoped RBAC bound in a known namespace.
    const cls = this.snapshotClass;
    const deletes = cls instanceof VolumeSnapshotClass && cls.deletionPolicy === SnapshotDeletionPolicy.DELETE;
    const namespace = Chart.of(scope).namespace;
    if (!deletes && namespace === undefined && cls instanceof VolumeSnapshotClass) {
      fail(db.who, 'backup.snapshotClass', cls.volumeSnapshotClassName,
        'a class with deletionPolicy Delete, or a chart with a namespace: pruning beyond keep under deletionPolicy Retain '
        + 'would leave every pruned VolumeSnapshotContent and its cloud snapshot behind, and the job can only free them '
        + "through a ClusterRoleBinding that names its ServiceAccount's namespace");
    }
    renderSnapshots(scope, db, policy, {
      snapshotClassName: cls.volumeSnapshotClassName,
      kubectlImage: this.kubectlImage,
      readyTimeoutSeconds: this.readyTimeoutSeconds,
      freeContentsIn: deletes ? undefined : namespace,
    });
    // The job talks to the API server, never to the database.
    return { databaseClients: [] };
  }
}

function renderLogical(
  scope: Construct, db: BackupTarget, policy: BackupSchedule, labels: Record<string, string>, claim: BackupClaim, timeoutSeconds: number,
): void {
  let claimName: string;
  if ('existingClaimName' in claim) {
    claimName = claim.existingClaimName;
  } else {
    claimName = `${db.name}-backups`;
    const spec = renderClaimSpec(db.who, claim.storage, [AccessMode.READ_WRITE_ONCE], 'backup.storage.');
    requireFilesystem(db.who, 'backup.storage.volumeMode', spec);
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
  new kube.KubeCronJob(scope, 'LogicalBackup', cronJob(`${db.name}-logical-backup`, labels, policy, { backoffLimit: 2, activeDeadlineSeconds: timeoutSeconds }, {
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

/** How one database's snapshot CronJob runs. */
interface SnapshotJobOptions {
  readonly snapshotClassName: string;
  readonly kubectlImage: string;
  readonly readyTimeoutSeconds: number;
  /** The namespace to bind the content pruning ClusterRole in; undefined: no content pruning. */
  readonly freeContentsIn?: string;
}

function renderSnapshots(scope: Construct, db: BackupTarget, policy: BackupSchedule, options: SnapshotJobOptions): void {
  const { snapshotClassName, kubectlImage, readyTimeoutSeconds, freeContentsIn } = options;
  const labels = db.labels('snapshot-backup');
  const name = `${db.name}-snapshot-backup`;
  new kube.KubeServiceAccount(scope, 'SnapshotServiceAccount', {
    metadata: { name, labels },
    automountServiceAccountToken: false,
  });
  new kube.KubeRole(scope, 'SnapshotRole', {
    metadata: { name, labels },
    rules: [{ apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'get', 'list', 'delete'] }],
  });
  new kube.KubeRoleBinding(scope, 'SnapshotRoleBinding', {
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name }],
  });
  if (freeContentsIn !== undefined) {
    // Cluster-scoped names: the namespace keeps two databases of the same name apart.
    const clusterName = `${freeContentsIn}-${name}`;
    new kube.KubeClusterRole(scope, 'SnapshotContentRole', {
      metadata: { name: clusterName, labels },
      // Content names are generated: no resourceNames. Patch only switches deletionPolicy; the
      // deletion itself happens through the namespaced VolumeSnapshot.
      rules: [{ apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['get', 'patch'] }],
    });
    new kube.KubeClusterRoleBinding(scope, 'SnapshotContentRoleBinding', {
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name, namespace: freeContentsIn }],
    });
  }
  const container: k8s.Container = {
    name: 'snapshot-backup',
    image: kubectlImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['/scripts/snapshot-backup.sh'],
    env: [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'CLAIMS', value: db.claims.join(' ') },
      { name: 'SNAPSHOT_CLASS', value: snapshotClassName },
      { name: 'BACKUP_KEEP', value: String(policy.keep) },
      { name: 'DB_NAME', value: db.name },
      { name: 'SNAPSHOT_READY_TIMEOUT', value: String(readyTimeoutSeconds) },
      { name: 'PRUNE_RETAINED_CONTENTS', value: freeContentsIn === undefined ? 'false' : 'true' },
      { name: 'HOME', value: '/tmp' },
    ],
    resources: { requests: quantities({ cpu: '50m', memory: '64Mi' }), limits: quantities({ memory: '256Mi' }) },
    securityContext: containerSecurityContext(true),
    volumeMounts: [
      { name: 'scripts', mountPath: '/scripts', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  // backoffLimit 0: a retry would start over with a fresh timestamp and take a second set of
  // snapshots; the next schedule is the retry. The deadline covers the wait and the pruning.
  const limits = { backoffLimit: 0, activeDeadlineSeconds: readyTimeoutSeconds + SNAPSHOT_RUN_MARGIN_SECONDS };
  new kube.KubeCronJob(scope, 'SnapshotBackup', cronJob(name, labels, policy, limits, {
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
