import { changed, compare, statefulSet, su } from './fixtures';
import { GuardSeverity } from '../../../src/guards';
import { imageSeries, seriesMove } from '../../../src/guards/baseline/database-versions';

function database(image: string, container = 'db', withClaim = true): any {
  return changed(statefulSet(), s => {
    s.spec.template.spec.containers[0].image = image;
    s.spec.template.spec.containers[0].name = container;
    if (!withClaim) {
      delete s.spec.volumeClaimTemplates;
      s.spec.template.spec.volumes = [{ name: 'data', emptyDir: {} }];
    }
  });
}

function move(from: string, to: string, options: { container?: string; withClaim?: boolean } = {}) {
  return su(compare([database(from, 'db', options.withClaim)], [database(to, options.container ?? 'db', options.withClaim)]), 'SU007');
}

describe('SU007 database major version its data cannot follow', () => {
  test.each([
    ['postgres:15.6', 'postgres:16.4', 'from 15 (postgres:15.6) to 16 (postgres:16.4)'],
    ['docker.io/library/postgres:16-alpine', 'postgres:17.2-bookworm', 'from 16'],
    ['postgres:9.6.24', 'postgres:10.23', 'from 9.6'],
    ['docker.io/bitnami/postgresql:15.7.0-debian-12-r0', 'docker.io/bitnami/postgresql:16.4.0-debian-12-r0', 'from 15'],
    ['registry.redhat.io/rhel9/postgresql-15', 'registry.redhat.io/rhel9/postgresql-16', 'from 15'],
    ['quay.io/centos7/postgresql-96-centos7', 'quay.io/centos7/postgresql-10-centos7', 'from 9.6'],
    ['timescale/timescaledb:2.14.2-pg15', 'timescale/timescaledb:2.14.2-pg16', 'from 15'],
    ['postgis/postgis:15-3.4', 'postgis/postgis:16-3.4', 'from 15'],
  ])('PostgreSQL %s → %s is an error: pg_upgrade or dump/restore', (from, to, phrase) => {
    const [f] = move(from, to);
    expect(f.severity).toBe(GuardSeverity.ERROR);
    expect(f.message).toContain(phrase);
    expect(f.impact).toContain('database files are incompatible with server');
    expect(f.fix).toContain('pg_upgrade');
    expect(f.fix).toContain('dump and restore');
  });

  test('a PostgreSQL downgrade of major version is an error too', () => {
    const [f] = move('postgres:16.4', 'postgres:15.8');
    expect(f.fix).toContain('a major version never goes back in place');
  });

  test.each([
    ['postgres:16.2', 'postgres:16.4'],
    ['postgres:16', 'postgres:16.4-alpine'],
    ['postgres:latest', 'postgres:17'],
    ['postgres:16.4', 'postgres@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['example.com/acme/custom-db:15', 'example.com/acme/custom-db:16'],
    ['crunchydata/crunchy-postgres:ubi8-15.5-0', 'crunchydata/crunchy-postgres:ubi8-16.1-0'],
    ['postgres:9', 'postgres:9.6'],
  ])('PostgreSQL %s → %s is no finding (same major, or the reference does not say)', (from, to) => {
    expect(move(from, to)).toEqual([]);
  });

  test('a database without a claim keeps no data across the change: no finding', () => {
    expect(move('postgres:15.6', 'postgres:16.4', { withClaim: false })).toEqual([]);
  });

  test('a renamed container of the same engine is still compared', () => {
    expect(move('postgres:15.6', 'postgres:16.4', { container: 'database' })).toHaveLength(1);
  });

  test.each([
    ['mysql:8.0.36', 'mysql:9.1.0', 'skips 8.4'],
    ['mysql:5.7.44', 'mysql:8.4.2', 'skips 8.0'],
    ['mysql:5.6', 'mysql:8.0', 'skips 5.7'],
    ['percona/percona-server:8.0.36-28', 'percona/percona-server:9.1', 'skips 8.4'],
    ['mysql:8.4.2', 'mysql:8.0.39', 'does not downgrade in place'],
    ['mysql:9', 'mysql:8.4', 'does not downgrade in place'],
  ])('MySQL %s → %s is an error (%s)', (from, to, phrase) => {
    const [f] = move(from, to);
    expect(f.severity).toBe(GuardSeverity.ERROR);
    expect(`${f.impact} ${f.fix}`).toContain(phrase);
  });

  test.each([
    ['mysql:8.0.36', 'mysql:8.4.2'],
    ['mysql:8.4.2', 'mysql:9.1.0'],
    ['mysql:5.7', 'mysql:8.0'],
    ['mysql:8.1', 'mysql:8.3'],
    ['mysql:8.4', 'mysql:9.7'],
    ['mysql:8', 'mysql:9.1'],
    ['mysql:8.0.36', 'mysql:8.0.39'],
    ['mysql:lts', 'mysql:innovation'],
  ])('MySQL %s → %s is no finding (one series at a time, or not certain)', (from, to) => {
    expect(move(from, to)).toEqual([]);
  });

  test('MySQL upgrading by two series says to go through the one in between', () => {
    const [f] = move('mysql:8.0', 'mysql:9.0');
    expect(f.fix).toContain('first to 8.4');
  });

  test.each([
    ['mariadb:11.4', 'mariadb:10.11'],
    ['mariadb:11', 'mariadb:10.6.19'],
    ['quay.io/sclorg/mariadb-1011-c9s', 'quay.io/sclorg/mariadb-105-c9s'],
  ])('MariaDB %s → %s (a downgrade of major version) is an error', (from, to) => {
    const [f] = move(from, to);
    expect(f.message).toContain('MariaDB');
    expect(f.fix).toContain('mariadb-dump');
  });

  test.each([
    ['mariadb:10.6', 'mariadb:11.4'],
    ['mariadb:11.4.2', 'mariadb:11.4.3'],
    ['mariadb:11', 'mariadb:11.4'],
    ['mariadb:lts', 'mariadb:10.6'],
  ])('MariaDB %s → %s is no finding (upgrades in place, or not certain)', (from, to) => {
    expect(move(from, to)).toEqual([]);
  });

  test('another engine (MySQL to MariaDB) is not a version move', () => {
    expect(move('mysql:8.0', 'mariadb:10.6')).toEqual([]);
  });

  test('the series of an image: tag, pg token, repository suffix, or unknown', () => {
    expect(imageSeries('postgres', 'postgres:16.4')?.text).toBe('16');
    expect(imageSeries('postgres', 'pgvector/pgvector:0.7.0-pg16')?.text).toBe('16');
    expect(imageSeries('mysql', 'mysql/mysql-server:8.0')?.text).toBe('8.0');
    expect(imageSeries('mysql', 'quay.io/sclorg/mysql-80-c9s')?.text).toBe('8.0');
    expect(imageSeries('mariadb', 'mariadb:10.11.6-jammy')?.text).toBe('10.11');
    expect(imageSeries('postgres', 'postgres')).toBeUndefined();
    expect(imageSeries('redis', 'redis:7.2')).toBeUndefined();
    expect(seriesMove('mysql', imageSeries('mysql', 'mysql:8')!, imageSeries('mysql', 'mysql:8.4')!)).toBeUndefined();
  });
});
