/**
 * mysql-seed.sh with DB_FLAVOR=mysql: a new MySQL replica clones the primary through a throwaway
 * local server (MySQL's CLONE plugin).
 *
 * A MOCK, as a last resort: MySQL's server cannot be obtained on our machines (Debian ships
 * MariaDB only, and there is no container registry), so `mysqld`, `mysql` and `mysqladmin` are
 * small shell stand-ins that record what the script asks of them. They check the script's
 * sequence (initialise, start on a socket with the clone plugin, CLONE INSTANCE into the
 * temporary directory, stop, rename), its escaping of a hostile password, that the password never
 * reaches a command line, its retries and its refusals; not MySQL's behaviour. The MariaDB branch
 * of the same script runs against the real MariaDB server in mariadb-day-two.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expectStatus, HOSTILE_PASSWORD, makeTempRoot, runScript } from './servers/servers';

let root: string;
let bin: string;
let dataDir: string;
let logFile: string;

/** The stand-ins (test/database-scripts/fakes/mysql/): see the file comment. */
const FAKES = path.join(__dirname, 'fakes', 'mysql');

beforeEach(() => {
  root = makeTempRoot('cdk8s-stateful-clone-');
  bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  for (const name of fs.readdirSync(FAKES)) {
    fs.copyFileSync(path.join(FAKES, name), path.join(bin, name));
    fs.chmodSync(path.join(bin, name), 0o755);
  }
  dataDir = path.join(root, 'mysql', 'data');
  fs.mkdirSync(path.dirname(dataDir));
  logFile = path.join(root, 'calls.log');
  fs.writeFileSync(logFile, '');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function seed(podName: string, extra: Record<string, string> = {}) {
  return runScript('mysql-seed.sh', {
    POD_NAME: podName,
    DB_FLAVOR: 'mysql',
    DATA_DIR: dataDir,
    PRIMARY_HOST: 'orders-0.orders-headless',
    PRIMARY_PORT: '3306',
    PRIMARY_WAIT_SECONDS: '30',
    REPLICATION_USER: 'replicator',
    REPLICATION_PASSWORD: HOSTILE_PASSWORD,
    TMPDIR: root,
    FAKE_LOG: logFile,
    ...extra,
  }, { pathPrefix: bin, timeoutMs: 60_000 });
}
const calls = () => fs.readFileSync(logFile, 'utf8');
const statements = () => (fs.existsSync(`${logFile}.sql`) ? fs.readFileSync(`${logFile}.sql`, 'utf8') : '');

describe('mysql-seed.sh for MySQL (CLONE)', () => {
  test('a new replica clones the primary into a temporary directory and renames it into place', () => {
    const r = seed('orders-2');
    expectStatus(r, 0);
    // THEN the copy is the data directory; the throwaway server's files are gone
    expect(fs.existsSync(path.join(dataDir, 'mysql', 'cloned'))).toBe(true);
    expect(fs.existsSync(`${dataDir}.boot`)).toBe(false);
    expect(fs.existsSync(`${dataDir}.tmp`)).toBe(false);
    // AND the throwaway server was initialised, started on a socket only with the clone plugin, and stopped
    const log = calls();
    expect(log).toMatch(new RegExp(`^mysqld --initialize-insecure --datadir=${dataDir}.boot `, 'm'));
    const server = log.split('\n').find(l => l.startsWith(`mysqld --datadir=${dataDir}.boot`))!;
    expect(server).toContain('--skip-networking');
    expect(server).toContain('--plugin-load-add=mysql_clone.so');
    expect(log).toMatch(/^mysqladmin .*shutdown$/m);
    // AND the statements name the donor, the user, the escaped password and the target directory
    const password = HOSTILE_PASSWORD.replace(/\\/g, '\\\\').replace(/'/g, "''");
    expect(statements()).toContain("SET GLOBAL clone_valid_donor_list = 'orders-0.orders-headless:3306';");
    expect(statements()).toContain(`CLONE INSTANCE FROM 'replicator'@'orders-0.orders-headless':3306 IDENTIFIED BY '${password}' DATA DIRECTORY = '${dataDir}.tmp';`);
    // AND the password is on no command line (nor in the script's log)
    expect(log).not.toContain('s s');
    expect(r.stderr).not.toContain('s s');
  });

  test('a failed clone (the primary not up yet) is retried', () => {
    fs.writeFileSync(`${logFile}.failures`, '1');
    const r = seed('orders-1');
    expectStatus(r, 0);
    expect(r.stderr).toContain('cloning failed (attempt 1)');
    expect(r.stderr).toContain('(attempt 2)');
    expect(fs.existsSync(path.join(dataDir, 'mysql', 'cloned'))).toBe(true);
  });

  test('gives up after PRIMARY_WAIT_SECONDS and stops the throwaway server', () => {
    fs.writeFileSync(`${logFile}.failures`, '100');
    const r = seed('orders-1', { PRIMARY_WAIT_SECONDS: '0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('gave up after 0s: could not clone orders-0.orders-headless:3306');
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(`${dataDir}.boot`)).toBe(false);
    expect(calls()).toMatch(/^mysqladmin .*shutdown$/m);
  });

  test('ordinal 0 and an existing data directory are left alone', () => {
    expectStatus(seed('orders-0'), 0);
    expect(calls()).toBe('');
    fs.mkdirSync(path.join(dataDir, 'mysql'), { recursive: true });
    const r = seed('orders-1');
    expectStatus(r, 0);
    expect(r.stderr).toContain('already holds a data directory');
    expect(calls()).toBe('');
  });

  test('refuses a non-empty data directory without mysql/ instead of overwriting it', () => {
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'keep.me'), 'x');
    const r = seed('orders-1');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refusing to overwrite it');
    expect(fs.existsSync(path.join(dataDir, 'keep.me'))).toBe(true);
  });

  test('refuses a replication user that would break the statement', () => {
    const r = seed('orders-1', { REPLICATION_USER: "x'; DROP" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('REPLICATION_USER may hold only letters, digits and _');
    expect(calls()).toBe('');
  });
});
