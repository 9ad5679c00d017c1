import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BackupBinding, BackupJob, BackupTarget, LogicalBackup, SnapshotBackup } from './private/database-backups';
import { checkCronSchedule, checkDuration } from './private/database-cron';
import { checkDatabaseImage } from './private/database-image';
import { fail } from '../internal/errors';
import { checkDnsSubdomain, checkInteger } from '../internal/validate';
import { ClaimOptions } from '../storage/claim-options';
import { IVolumeSnapshotClass } from '../storage/volume-snapshot-class-ref';

/** What every backup policy has. */
export interface BackupScheduleOptions {
  /** When to run, as a five-field cron schedule in the cluster's time zone, e.g. `0 3 * * *`. */
  readonly schedule: string;
  /** How many backups to keep (the newest N; older ones are deleted). */
  readonly keep: number;
}

/** A logical dump (pg_dumpall, mysqldump, mariadb-dump) of the primary into a claim. */
export interface LogicalBackupOptions extends BackupScheduleOptions {
  /**
   * A new claim `<database>-backups` for the dumps (never one of the database's own claims:
   * a dump on the disk it protects dies with it).
   * @default - none: give `storage` or `existingClaimName`
   */
  readonly storage?: ClaimOptions;
  /**
   * An existing claim for the dumps, in the database's namespace.
   * @default - none: give `storage` or `existingClaimName`
   */
  readonly existingClaimName?: string;
  /**
   * How long one run may take (the Job's `activeDeadlineSeconds`, retries included): a hung
   * dump is stopped, so that it cannot hold every later run back under `concurrencyPolicy: Forbid`.
   * From 1 minute to 7 days.
   * @default Duration.hours(6)
   */
  readonly timeout?: Duration;
}

/** CSI VolumeSnapshots of every replica's claim. */
export interface VolumeSnapshotBackupOptions extends BackupScheduleOptions {
  /** The VolumeSnapshotClass the snapshots are taken with. */
  readonly snapshotClass: IVolumeSnapshotClass;
  /**
   * The image that runs `kubectl` in the backup job: it needs a POSIX shell and the usual
   * tools (`date`, `sleep`, `wc`, `head`, `tr`) beside `kubectl`, so a distroless kubectl image
   * (`registry.k8s.io/kubectl`, `rancher/kubectl`) does not do.
   * @default 'alpine/k8s:1.34.1'
   */
  readonly kubectlImage?: string;
  /**
   * How long a run waits for each new snapshot to report `readyToUse` before it fails (and
   * prunes nothing). The first snapshot of a volume copies every block (EBS: hours for a large
   * volume); later ones are incremental. From 1 minute to 24 hours.
   * @default Duration.hours(3)
   */
  readonly readyTimeout?: Duration;
}

// Shell + kubectl on Alpine (alpine-docker/k8s). Bitnami's versioned tags left Docker Hub in 2025.
const DEFAULT_KUBECTL_IMAGE = 'alpine/k8s:1.34.1';

/**
 * How a `StatefulDatabase` is backed up. Backups are never optional in production, even with
 * replication: replicas copy a `DROP TABLE` within milliseconds. Logical dumps and volume snapshots
 * answer different failures; a database can have both.
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * // Pruning beyond `keep` deletes the cloud snapshots too: deletionPolicy Delete.
 * const snapshots = new VolumeSnapshotClass(chart, 'snapshots', {
 *   provisioner: Provisioner.awsEbs(),
 *   deletionPolicy: SnapshotDeletionPolicy.DELETE,
 * });
 * new StatefulDatabase(chart, 'orders', {
 *   engine: DatabaseEngine.postgres({ version: '16.4' }),
 *   replicas: 3,
 *   storage: { size: Size.gibibytes(50), storageClass: gp3 },
 *   // A nightly dump, the newest 7 kept on a claim of their own:
 *   backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(100), storageClass: gp3 } }),
 * }).addBackup(BackupPolicy.volumeSnapshots({ schedule: '30 1 * * *', keep: 14, snapshotClass: snapshots }));
 */
export class BackupPolicy {
  /** A CronJob (concurrencyPolicy Forbid) dumping the primary into a backup claim, keeping the newest `keep` dumps. */
  public static logical(options: LogicalBackupOptions): BackupPolicy {
    const who = 'BackupPolicy.logical';
    const { schedule, keep } = checkSchedule(who, options);
    if (options.storage === undefined && options.existingClaimName === undefined) {
      fail(who, 'storage', undefined, 'claim options for a new backup claim, or existingClaimName');
    }
    if (options.storage !== undefined) {
      if (options.existingClaimName !== undefined) {
        fail(who, 'existingClaimName', options.existingClaimName, 'unset when storage is given (one backup claim)');
      }
    }
    const timeout = checkDuration(who, 'timeout', options.timeout ?? Duration.hours(6), 60, 7 * 24 * 3600);
    if (options.storage !== undefined) return new BackupPolicy(schedule, keep, new LogicalBackup({ storage: options.storage }, timeout));
    const existingClaimName = checkDnsSubdomain(who, 'existingClaimName', options.existingClaimName);
    return new BackupPolicy(schedule, keep, new LogicalBackup({ existingClaimName }, timeout));
  }

  /**
   * A CronJob with its own ServiceAccount and a Role limited to `volumesnapshots` (create, get,
   * list, delete) that snapshots every replica's claim and prunes beyond `keep` per claim. The
   * Job runs once per schedule (`backoffLimit: 0`: a retry would take a second set of snapshots).
   *
   * Pruning frees the storage: unless the snapshot class is a `VolumeSnapshotClass` with
   * deletionPolicy Delete, the job switches each pruned snapshot's VolumeSnapshotContent from
   * Retain to Delete first (a ClusterRole allowing get and patch on `volumesnapshotcontents`,
   * bound to the job's ServiceAccount in the chart's namespace), else the content and the cloud
   * snapshot would outlive it. A class known to retain in a chart without a namespace is refused
   * (the binding must name the namespace).
   */
  public static volumeSnapshots(options: VolumeSnapshotBackupOptions): BackupPolicy {
    const who = 'BackupPolicy.volumeSnapshots';
    const { schedule, keep } = checkSchedule(who, options);
    const snapshotClass = options.snapshotClass;
    checkDnsSubdomain(who, 'snapshotClass.volumeSnapshotClassName', snapshotClass?.volumeSnapshotClassName);
    const image = checkDatabaseImage(who, 'kubectlImage', options.kubectlImage ?? DEFAULT_KUBECTL_IMAGE, DEFAULT_KUBECTL_IMAGE);
    const readyTimeout = checkDuration(who, 'readyTimeout', options.readyTimeout ?? Duration.hours(3), 60, 24 * 3600);
    return new BackupPolicy(schedule, keep, new SnapshotBackup(snapshotClass, image, readyTimeout));
  }

  private constructor(
    /** Cron schedule. */
    public readonly schedule: string,
    /** How many backups are kept. */
    public readonly keep: number,
    private readonly job: BackupJob,
  ) {}

  /**
   * The slot this policy fills on a database, as messages name it (`logical`,
   * `volume-snapshots`): a database holds at most one policy per slot.
   * @internal
   */
  public get _slot(): string {
    return this.job.slot;
  }

  /**
   * Check this policy against its database and emit its objects (CronJob, backup claim,
   * ServiceAccount and Role) under `scope`; a bad fit throws a StatefulError naming `database.who`.
   * @internal
   */
  public _bind(scope: Construct, database: BackupTarget): BackupBinding {
    return this.job.bind(scope, database, this);
  }
}

function checkSchedule(who: string, options: BackupScheduleOptions): { schedule: string; keep: number } {
  if (!options || typeof options !== 'object') fail(who, 'options', options, 'an options object with schedule and keep');
  return {
    schedule: checkCronSchedule(who, 'schedule', options.schedule),
    keep: checkInteger(who, 'keep', options.keep, 1, 10_000),
  };
}

