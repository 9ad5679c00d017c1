import { EngineKind } from './engine-kind';
import { checkDatabaseImage, imageRepository } from './private/database-image';
import { fail } from '../internal/errors';
import { checkAbsolutePath, checkDnsLabel, checkInteger, checkNonEmptyString } from '../internal/validate';

/** Options of the built-in engines. */
export interface EngineVersionOptions {
  /**
   * Version of the official image, e.g. `16.4` (PostgreSQL), `8.0.39` (MySQL), `11.4` (MariaDB).
   * Only numeric versions are accepted: a tag such as `latest` would change the data format
   * under a running StatefulSet.
   */
  readonly version: string;
  /**
   * Image repository, for a mirror of the official image (the tag is always `version`).
   * @default - the official Docker Hub image (`postgres`, `mysql`, `mariadb`)
   */
  readonly repository?: string;
}

/** A database image this library does not know: standalone only. */
export interface CustomEngineOptions {
  /** Short name of the engine, used in the `app.kubernetes.io/name` label, e.g. `redis`. */
  readonly name: string;
  /** Full image reference including a tag or digest, e.g. `redis:7.2.5`. */
  readonly image: string;
  /** The port the server listens on. */
  readonly port: number;
  /** Where the server keeps its data: the per-replica claim is mounted here. */
  readonly dataPath: string;
  /**
   * Command whose success means the server answers (readiness, liveness and startup probes).
   * @default - a TCP check on `port`
   */
  readonly probeCommand?: string[];
  /**
   * The user id the image runs as (also group and fsGroup).
   * @default 999
   */
  readonly uid?: number;
}

/**
 * Which database a `StatefulDatabase` runs: the official image at a pinned version, with
 * the engine's own tools for probes, replication and backups.
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * new StatefulDatabase(chart, 'orders', {
 *   engine: DatabaseEngine.postgres({ version: '16.4' }),
 *   storage: { size: Size.gibibytes(20), storageClass: gp3 },
 * });
 * new StatefulDatabase(chart, 'catalog', {
 *   engine: DatabaseEngine.mariadb({ version: '11.4' }),
 *   storage: { size: Size.gibibytes(20), storageClass: gp3 },
 * });
 */
export class DatabaseEngine {
  /** PostgreSQL (official `postgres` image, uid 999, port 5432), version 13 or later (`wal_keep_size`). */
  public static postgres(options: EngineVersionOptions): DatabaseEngine {
    const who = 'DatabaseEngine.postgres';
    const version = checkVersion(who, options?.version, /^(\d{2})(\.\d{1,2})?$/, 13, "a PostgreSQL version such as '16.4' or '16' (13 or later)");
    return new DatabaseEngine(EngineKind.POSTGRES, version, `${imageRepository(who, options?.repository, 'postgres')}:${version}`, 5432, 999, '/var/lib/postgresql/data');
  }

  /** MySQL (official `mysql` image, uid 999, port 3306), version 8.0.23 or later (replication source syntax). */
  public static mysql(options: EngineVersionOptions): DatabaseEngine {
    const who = 'DatabaseEngine.mysql';
    const version = checkVersion(who, options?.version, /^(\d{1,2})\.(\d{1,2})(\.\d{1,3})?$/, 8, "a MySQL version such as '8.0.39' or '8.4' (8.0.23 or later)");
    const [major, minor, patch] = version.split('.').map(Number);
    if (major === 8 && minor === 0 && patch !== undefined && patch < 23) {
      fail(who, 'version', version, "a MySQL version such as '8.0.39' or '8.4' (8.0.23 or later)");
    }
    return new DatabaseEngine(EngineKind.MYSQL, version, `${imageRepository(who, options?.repository, 'mysql')}:${version}`, 3306, 999, '/var/lib/mysql');
  }

  /** MariaDB (official `mariadb` image, uid 999, port 3306), version 10.5 or later. */
  public static mariadb(options: EngineVersionOptions): DatabaseEngine {
    const who = 'DatabaseEngine.mariadb';
    const accepted = "a MariaDB version such as '11.4' or '10.11.9' (10.5 or later)";
    const version = checkVersion(who, options?.version, /^(\d{2})\.(\d{1,2})(\.\d{1,3})?$/, 10, accepted);
    const [major, minor] = version.split('.').map(Number);
    if (major === 10 && minor < 5) fail(who, 'version', version, accepted);
    return new DatabaseEngine(EngineKind.MARIADB, version, `${imageRepository(who, options?.repository, 'mariadb')}:${version}`, 3306, 999, '/var/lib/mysql');
  }

  /**
   * Any other image. It runs standalone (replicas 1), with the same claim, security context,
   * services, disruption budget and volume snapshot backups; logical backups are not available.
   */
  public static custom(options: CustomEngineOptions): DatabaseEngine {
    const who = 'DatabaseEngine.custom';
    const name = checkDnsLabel(who, 'name', options?.name, 40);
    const image = checkDatabaseImage(who, 'image', options.image, 'redis:7.2.5');
    const port = checkInteger(who, 'port', options.port, 1, 65535);
    const dataPath = checkAbsolutePath(who, 'dataPath', options.dataPath);
    if (dataPath === '/') fail(who, 'dataPath', dataPath, 'a directory below /');
    const uid = checkInteger(who, 'uid', options.uid ?? 999, 1, 2_147_483_647);
    let probe: string[] | undefined;
    if (options.probeCommand !== undefined) {
      if (!Array.isArray(options.probeCommand) || options.probeCommand.length === 0) {
        fail(who, 'probeCommand', options.probeCommand, 'a non-empty list of strings');
      }
      probe = options.probeCommand.map(a => checkNonEmptyString(who, 'probeCommand', a));
    }
    return new DatabaseEngine(EngineKind.CUSTOM, '', image, port, uid, dataPath, name, probe);
  }

  private constructor(
    /** The engine family. */
    public readonly kind: EngineKind,
    /** The version of the image (empty for a custom engine). */
    public readonly version: string,
    /** Full image reference. */
    public readonly image: string,
    /** The port the server listens on. */
    public readonly port: number,
    /** The user (and group) id the server runs as. */
    public readonly uid: number,
    /** Where the per-replica claim is mounted. */
    public readonly dataPath: string,
    /** Name used in the `app.kubernetes.io/name` label. */
    public readonly name: string = kind,
    /** Probe command of a custom engine (not set: a TCP check, or the engine's own tool). */
    public readonly probeCommand?: string[],
  ) {}

  /** Whether the library can replicate this engine (replicas > 1). */
  public get supportsReplication(): boolean {
    return this.kind !== EngineKind.CUSTOM;
  }
}

function checkVersion(who: string, version: unknown, pattern: RegExp, minMajor: number, accepted: string): string {
  const m = typeof version === 'string' ? pattern.exec(version) : null;
  if (!m || Number(m[1]) < minMajor) fail(who, 'version', version, accepted);
  return version as string;
}

