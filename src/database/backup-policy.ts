import { Construct } from 'constructs';
import { BackupBinding, BackupJob, BackupTarget, LogicalBackup, SnapshotBackup } from './private/database-backups';
import { checkCronSchedule } from './private/database-cron';
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
}

/** CSI VolumeSnapshots of every replica's claim. */
export interface VolumeSnapshotBackupOptions extends BackupScheduleOptions {
  /** The VolumeSnapshotClass the snapshots are taken with. */
  readonly snapshotClass: IVolumeSnapshotClass;
  /**
   * The image that runs `kubectl` in the backup job.
   * @default 'bitnami/kubectl:1.28'
   */
  readonly kubectlImage?: string;
}

const DEFAULT_KUBECTL_IMAGE = 'bitnami/kubectl:1.28';

/**
 * How a {@link StatefulDatabase} is backed up. Backups are never optional in production, even with
 * replication: replicas copy a `DROP TABLE` within milliseconds. Logical dumps and volume snapshots
 * answer different failures; a database can have both.
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
      return new BackupPolicy(schedule, keep, new LogicalBackup({ storage: options.storage }));
    }
    const existingClaimName = checkDnsSubdomain(who, 'existingClaimName', options.existingClaimName);
    return new BackupPolicy(schedule, keep, new LogicalBackup({ existingClaimName }));
  }

  /**
   * A CronJob with its own ServiceAccount and a Role limited to `volumesnapshots` (create, list,
   * delete) that snapshots every replica's claim and prunes beyond `keep` per claim.
   */
  public static volumeSnapshots(options: VolumeSnapshotBackupOptions): BackupPolicy {
    const who = 'BackupPolicy.volumeSnapshots';
    const { schedule, keep } = checkSchedule(who, options);
    const snapshotClass = options.snapshotClass;
    checkDnsSubdomain(who, 'snapshotClass.volumeSnapshotClassName', snapshotClass?.volumeSnapshotClassName);
    const image = checkDatabaseImage(who, 'kubectlImage', options.kubectlImage ?? DEFAULT_KUBECTL_IMAGE, DEFAULT_KUBECTL_IMAGE);
    return new BackupPolicy(schedule, keep, new SnapshotBackup(snapshotClass, image));
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
