import { imageRepositoryName, imageTag, normalizedRepositoryName } from '../graph';

/**
 * The release series of a database image, as far as its reference says: from the tag where the
 * image's tags lead with the server version (`postgres:16.4-bookworm`, `bitnami/mysql:8.4.2-debian-12`),
 * from a `pgNN` token (`timescaledb:2.14.2-pg16`, `pgvector:0.7.0-pg16`), else from the version
 * suffix of the repository name (`rhel9/postgresql-16`, `sclorg/mariadb-1011-c9s`). Unknown
 * (undefined) for `latest`, digests only, and images whose tags follow another convention.
 */
export interface SeriesRange {
  /** The lowest release the reference may run, as [major, minor]. */
  readonly low: number[];
  /** The highest (minor Infinity when the tag names only the major: `mysql:8`). */
  readonly high: number[];
  /** How the version reads in messages: `16`, `8.4`, `10.11`. */
  readonly text: string;
}

/** Repositories whose tags start with the server version, per engine. */
const LEADING_VERSION_TAGS: Record<string, ReadonlySet<string>> = {
  postgres: new Set(['postgres', 'postgresql', 'postgis', 'percona-distribution-postgresql', 'postgresql-repmgr']),
  mysql: new Set(['mysql', 'mysql-server', 'percona-server', 'percona', 'percona-xtradb-cluster', 'community-server', 'enterprise-server']),
  mariadb: new Set(['mariadb', 'mariadb-galera', 'mariadb-server']),
};

function range(major: number, minor: number | undefined): SeriesRange {
  return { low: [major, minor ?? 0], high: [major, minor ?? Infinity], text: minor === undefined ? `${major}` : `${major}.${minor}` };
}

/** PostgreSQL's major version: one number from 10 on, two before (9.6). */
function postgresSeries(numbers: number[]): SeriesRange | undefined {
  const [major, minor] = numbers;
  if (major >= 10) return { low: [major, 0], high: [major, 0], text: `${major}` };
  if (major >= 6) return minor === undefined ? range(major, undefined) : range(major, minor);
  return undefined;
}

/** A version suffix of a repository name: `16`, `96` (9.6), `80` (8.0), `1011` (10.11). */
function suffixNumbers(engine: string, digits: string): number[] | undefined {
  if (engine === 'postgres') return digits.length === 2 && digits.startsWith('9') ? [9, Number(digits[1])] : [Number(digits)];
  if (engine === 'mysql' && (digits.length === 2 || digits.length === 3)) return [Number(digits[0]), Number(digits.slice(1))];
  if (engine === 'mariadb' && (digits.length === 3 || digits.length === 4)) return [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  return undefined;
}

/** The release series an image of this engine runs, or undefined when its reference does not say. */
export function imageSeries(engine: string, image: string | undefined): SeriesRange | undefined {
  if (!LEADING_VERSION_TAGS[engine] || image === undefined) return undefined;
  const tag = imageTag(image) ?? '';
  let numbers: number[] | undefined;
  const pg = engine === 'postgres' ? /(?:^|[-_.])pg(\d{1,2})(?=$|[-_.])/.exec(tag) : null;
  const name = normalizedRepositoryName(image) ?? '';
  if (pg) {
    numbers = [Number(pg[1])];
  } else if (LEADING_VERSION_TAGS[engine].has(name)) {
    const m = /^v?(\d+)(?:\.(\d+))?(?=$|[.\-_+])/.exec(tag);
    if (m) numbers = m[2] === undefined ? [Number(m[1])] : [Number(m[1]), Number(m[2])];
  }
  if (!numbers) {
    // `postgresql-16`, `mariadb-1011-c9s`: the part of the name normalization strips.
    const full = imageRepositoryName(image) ?? '';
    const m = full.startsWith(`${name}-`) ? /^-(\d+)(?=$|-)/.exec(full.slice(name.length)) : null;
    if (m) numbers = suffixNumbers(engine, m[1]);
  }
  if (!numbers || numbers.some(n => !Number.isSafeInteger(n))) return undefined;
  if (engine === 'postgres') return postgresSeries(numbers);
  return range(numbers[0], numbers[1]);
}

/** Lexicographic order of two versions. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * MySQL series an in-place upgrade may not skip: each was the long-term release of its time
 * (5.5, 5.6, 5.7, 8.0; then the LTS releases 8.4 and 9.7). Upgrades go from one to the next,
 * innovation releases in between included.
 */
export const MYSQL_UPGRADE_STOPS: ReadonlyArray<readonly number[]> = [[5, 5], [5, 6], [5, 7], [8, 0], [8, 4], [9, 7]];

/** What an in-place move from one series to another does, when the references make it certain. */
export type SeriesMove = { kind: 'upgrade' | 'downgrade'; skipped?: readonly number[] } | undefined;

/** The move between two series when certain: `downgrade`, `upgrade` (with the stop it skips, for MySQL). */
export function seriesMove(engine: string, from: SeriesRange, to: SeriesRange): SeriesMove {
  if (compareVersions(to.high, from.low) < 0) return { kind: 'downgrade' };
  if (compareVersions(to.low, from.high) <= 0) return undefined; // same series, or not certain
  if (engine !== 'mysql') return { kind: 'upgrade' };
  const skipped = MYSQL_UPGRADE_STOPS.find(s => compareVersions(from.high, s) < 0 && compareVersions(s, to.low) < 0);
  return { kind: 'upgrade', skipped };
}
