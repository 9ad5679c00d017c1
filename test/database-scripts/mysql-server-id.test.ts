/**
 * mysql-server-id.sh, run with dash and the init container's environment, writes the per-ordinal
 * server configuration. (MariaDB reads it for real in mariadb.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { expectStatus, makeTempRoot, runScript } from './servers/servers';

let confDir: string;
beforeEach(() => {
  confDir = makeTempRoot('cdk8s-stateful-cnf-');
});
afterEach(() => {
  fs.rmSync(confDir, { recursive: true, force: true });
});

function write(podName: string, flavor: string) {
  return runScript('mysql-server-id.sh', { POD_NAME: podName, DB_FLAVOR: flavor, CONF_DIR: confDir });
}
/** The [mysqld] settings of the written file, comments dropped. */
function settings(): string[] {
  return fs.readFileSync(path.join(confDir, 'server-id.cnf'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
}

describe('mysql-server-id.sh', () => {
  test('ordinal 0 of mariadb: server_id 100, binary log, slave updates logged, writable', () => {
    expectStatus(write('orders-0', 'mariadb'), 0);
    expect(settings()).toEqual(['[mysqld]', 'server_id=100', 'log_bin=mysql-bin', 'relay_log=relay-bin', 'log_slave_updates=ON']);
  });

  test('ordinal 2 of mariadb: server_id 102 and read_only', () => {
    expectStatus(write('orders-2', 'mariadb'), 0);
    expect(settings()).toEqual(['[mysqld]', 'server_id=102', 'log_bin=mysql-bin', 'relay_log=relay-bin', 'log_slave_updates=ON', 'read_only=ON']);
  });

  test('ordinal 0 of mysql: server_id 100 with GTID mode and consistency enforced', () => {
    expectStatus(write('orders-0', 'mysql'), 0);
    expect(settings()).toEqual(['[mysqld]', 'server_id=100', 'log_bin=mysql-bin', 'relay_log=relay-bin', 'gtid_mode=ON', 'enforce_gtid_consistency=ON']);
  });

  test('ordinal 2 of mysql: server_id 102 and read_only (super_read_only is set by the replication init)', () => {
    expectStatus(write('orders-2', 'mysql'), 0);
    expect(settings()).toEqual(['[mysqld]', 'server_id=102', 'log_bin=mysql-bin', 'relay_log=relay-bin', 'gtid_mode=ON', 'enforce_gtid_consistency=ON', 'read_only=ON']);
  });

  test('a database name with dashes still yields the ordinal after the last dash', () => {
    expectStatus(write('my-orders-db-10', 'mariadb'), 0);
    expect(settings()).toContain('server_id=110');
  });

  test('rewriting replaces the file and leaves no temporary file', () => {
    expectStatus(write('orders-1', 'mariadb'), 0);
    expectStatus(write('orders-1', 'mariadb'), 0);
    expect(fs.readdirSync(confDir)).toEqual(['server-id.cnf']);
  });

  test.each([
    ['orders', 'mariadb', "cannot read an ordinal from POD_NAME 'orders'"],
    ['orders-x', 'mariadb', "cannot read an ordinal from POD_NAME 'orders-x'"],
    ['orders-', 'mariadb', 'cannot read an ordinal'],
    ['orders-0', 'postgres', "DB_FLAVOR must be mysql or mariadb, got 'postgres'"],
  ])('rejects POD_NAME %j with flavor %j and writes nothing', (pod, flavor, message) => {
    const r = write(pod, flavor);
    expectStatus(r, 1);
    expect(r.stderr).toContain(message);
    expect(fs.readdirSync(confDir)).toEqual([]);
  });

  test('a missing CONF_DIR is an error, not a silent default', () => {
    const r = runScript('mysql-server-id.sh', { POD_NAME: 'orders-1', DB_FLAVOR: 'mysql', CONF_DIR: path.join(confDir, 'absent') });
    expectStatus(r, 1);
    expect(r.stderr).toContain('is not a directory');
  });

  test('server_id is 100 + ordinal for any ordinal, leading zeros read as decimal', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), fc.boolean(), fc.constantFrom('mysql', 'mariadb'), (n, pad, flavor) => {
      const pod = `db-${pad ? String(n).padStart(5, '0') : String(n)}`;
      expectStatus(write(pod, flavor), 0);
      const s = settings();
      expect(s).toContain(`server_id=${100 + n}`);
      expect(s.includes('read_only=ON')).toBe(n > 0);
    }), { numRuns: 60 });
  });
});
