import { Duration } from 'cdk8s';
import { fail } from '../internal/errors';
import { checkInteger, checkOneOf } from '../internal/validate';
import { RedisPersistenceRendering } from './private/redis-config';

/**
 * When the append-only file is flushed to disk (`appendfsync`).
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/
 */
export enum AppendFsync {
  /** After every write: the safest and the slowest. */
  ALWAYS = 'always',
  /** Once a second: at most one second of writes lost in a crash (Redis' default). */
  EVERY_SECOND = 'everysec',
  /** When the kernel decides (usually within 30 seconds): the fastest, the most lost. */
  NO = 'no',
}

/** A snapshot point: write an RDB snapshot when at least `changes` keys changed within `interval`. */
export interface RedisSnapshotPoint {
  /** The interval, from 1 second to 1 day (whole seconds). */
  readonly interval: Duration;
  /** The number of changed keys, at least 1. */
  readonly changes: number;
}

/** Options of the append-only file. */
export interface AppendOnlyOptions {
  /**
   * When the file is flushed to disk.
   * @default AppendFsync.EVERY_SECOND
   */
  readonly fsync?: AppendFsync;
}

/** Options of RDB snapshots. */
export interface SnapshotOptions {
  /**
   * When to write a snapshot (any point that is reached triggers one).
   * @default - Redis' defaults: after 1 hour and 1 change, 5 minutes and 100 changes, 1 minute and 10000 changes
   */
  readonly points?: RedisSnapshotPoint[];
}

/** Options of AOF and RDB together. */
export interface AppendOnlyAndSnapshotOptions extends AppendOnlyOptions, SnapshotOptions {}

const DEFAULT_POINTS: ReadonlyArray<[number, number]> = [[3600, 1], [300, 100], [60, 10000]];

/**
 * How a `RedisDatabase` keeps its data: the append-only file (AOF: every write, replayed at
 * start), RDB snapshots (a compact point-in-time file, minutes of writes lost in a crash), both,
 * or nothing at all (a cache). AOF and RDB are written to the member's claim.
 *
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/
 *
 * @example
 * new RedisDatabase(chart, 'sessions', {
 *   version: '7.4.2',
 *   replicas: 3,
 *   storage: { size: Size.gibibytes(10) },
 *   persistence: RedisPersistence.appendOnly({ fsync: AppendFsync.EVERY_SECOND }),
 * });
 * // A cache: nothing on disk, the least recently used keys evicted at maxmemory.
 * new RedisDatabase(chart, 'pages', {
 *   version: '7.4.2',
 *   storage: { size: Size.gibibytes(1) },
 *   persistence: RedisPersistence.none(),
 * });
 */
export class RedisPersistence {
  /** The append-only file only (`appendonly yes`, `save ""`): every write is logged and replayed at start. */
  public static appendOnly(options: AppendOnlyOptions = {}): RedisPersistence {
    const fsync = checkFsync('RedisPersistence.appendOnly', options);
    return new RedisPersistence(['appendonly yes', `appendfsync ${fsync}`, 'save ""'], [], true);
  }

  /** RDB snapshots only (`save <seconds> <changes>...`, `appendonly no`): writes since the last snapshot are lost in a crash. */
  public static snapshots(options: SnapshotOptions = {}): RedisPersistence {
    const save = checkPoints('RedisPersistence.snapshots', options);
    return new RedisPersistence(['appendonly no', `save ${save}`], [], true);
  }

  /**
   * The append-only file and RDB snapshots: AOF for durability, snapshots as compact copies for
   * backups (Redis' own recommendation for a database).
   */
  public static appendOnlyAndSnapshots(options: AppendOnlyAndSnapshotOptions = {}): RedisPersistence {
    const who = 'RedisPersistence.appendOnlyAndSnapshots';
    const fsync = checkFsync(who, options);
    const save = checkPoints(who, options);
    return new RedisPersistence(['appendonly yes', `appendfsync ${fsync}`, `save ${save}`], [], true);
  }

  /**
   * Nothing on disk: a cache. A member restarts empty (its start removes any file a replica's
   * full sync left on the claim), and a former primary waits for Sentinel to promote a replica
   * instead of handing its replicas an empty dataset. `--save '' --appendonly no` are on the
   * command line, so the guards see a cache by design.
   */
  public static none(): RedisPersistence {
    return new RedisPersistence(['appendonly no', 'save ""', 'rdb-del-sync-files yes'], ['--save', '', '--appendonly', 'no'], false);
  }

  private constructor(private readonly lines: string[], private readonly args: string[],
    /** Whether the data survives a restart of the member (false: a cache). */
    public readonly keepsData: boolean) {}

  /** @internal */
  public _render(): RedisPersistenceRendering {
    return { lines: [...this.lines], args: [...this.args], keepsData: this.keepsData };
  }
}

function checkFsync(who: string, options: AppendOnlyOptions): AppendFsync {
  if (options === null || typeof options !== 'object') fail(who, 'options', options, 'append-only options ({} for the defaults)');
  return checkOneOf(who, 'fsync', options.fsync ?? AppendFsync.EVERY_SECOND, Object.values(AppendFsync));
}

function checkPoints(who: string, options: SnapshotOptions): string {
  if (options === null || typeof options !== 'object') fail(who, 'options', options, 'snapshot options ({} for the defaults)');
  if (options.points === undefined) return DEFAULT_POINTS.map(([s, c]) => `${s} ${c}`).join(' ');
  if (!Array.isArray(options.points) || options.points.length === 0 || options.points.length > 10) {
    fail(who, 'points', options.points, 'a list of 1 to 10 snapshot points (RedisPersistence.none() turns snapshots off)');
  }
  return options.points.map((p, i) => {
    if (p === null || typeof p !== 'object' || !(p.interval instanceof Duration)) fail(who, `points[${i}].interval`, p?.interval, 'a Duration such as Duration.minutes(5)');
    const ms = p.interval.toMilliseconds();
    if (!Number.isInteger(ms / 1000) || ms < 1000 || ms > 86_400_000) fail(who, `points[${i}].interval`, `${ms} ms`, 'whole seconds from 1 second to 1 day');
    const changes = checkInteger(who, `points[${i}].changes`, p.changes, 1, 1_000_000_000);
    return `${ms / 1000} ${changes}`;
  }).join(' ');
}
