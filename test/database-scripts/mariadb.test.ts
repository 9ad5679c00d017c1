/**
 * Real-server tests of the MariaDB scripts: mariadbd "pods" on 127.0.0.1 (ports and data dirs under a
 * temporary directory), the scripts run with dash with exactly the environment the pods get.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ensureServers, expectStatus, freePort, HOSTILE_PASSWORD, makeDir, makeTempRoot, MariaDbInstance, nextSecond, runScript, waitFor,
} from './servers/servers';

const ROOT_PASSWORD = `root${HOSTILE_PASSWORD}`;
const REPLICATION_PASSWORD = `repl${HOSTILE_PASSWORD}`;

let root: string;
let primary: MariaDbInstance;
let replica: MariaDbInstance;
let restored: MariaDbInstance | undefined;
let primaryPort: number;

/**
 * The env of a MariaDB pod (contract: shared env + DB_FLAVOR + root password). In the pod the client
 * finds the entrypoint's socket by default; here it reaches its own "pod" over TCP through the
 * client's MYSQL_HOST/MYSQL_TCP_PORT (MariaDB's client ignores MYSQL_UNIX_PORT).
 */
function podEnv(podName: string, db: MariaDbInstance): Record<string, string> {
  return {
    POD_NAME: podName,
    DB_FLAVOR: 'mariadb',
    PRIMARY_HOST: '127.0.0.1',
    PRIMARY_PORT: String(primaryPort),
    REPLICATION_USER: 'replicator',
    REPLICATION_PASSWORD,
    MARIADB_ROOT_PASSWORD: ROOT_PASSWORD,
    MARIADB_USER: 'app',
    CONF_DIR: db.confDir,
    MYSQL_HOST: '127.0.0.1',
    MYSQL_TCP_PORT: String(db.port),
  };
}

async function startPod(name: string, port?: number): Promise<MariaDbInstance> {
  const db = new MariaDbInstance(makeDir(path.join(root, name), undefined, 0o755), port ?? await freePort());
  // The init container writes server-id.cnf into the conf dir the server reads.
  const r = runScript('mysql-server-id.sh', podEnv(name, db));
  if (r.status !== 0) throw new Error(`mysql-server-id.sh failed: ${r.stderr}`);
  db.install();
  await db.start();
  db.setRootPassword(ROOT_PASSWORD);
  // Like the image's entrypoint with MARIADB_DATABASE/MARIADB_USER: created on every pod, binary-logged.
  db.sql("CREATE DATABASE IF NOT EXISTS app; CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw'; GRANT ALL ON app.* TO 'app'@'%';");
  return db;
}

beforeAll(async () => {
  ensureServers();
  root = makeTempRoot('cdk8s-stateful-mariadb-');
  primaryPort = await freePort();
  primary = await startPod('orders-0', primaryPort);
}, 900_000);

afterAll(async () => {
  await MariaDbInstance.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('GTID replication with mysql-server-id.sh and mysql-replication-init.sh (mariadb)', () => {
  test('the primary gets server_id 100 and a binary log, and is writable', () => {
    expect(primary.sql('SELECT @@server_id, @@log_bin, @@log_slave_updates, @@read_only')).toBe('100\t1\t1\t0');
  });

  test('ordinal 0 creates the replication user with the replication grant', () => {
    const r = runScript('mysql-replication-init.sh', podEnv('orders-0', primary));
    expect(r.stderr).not.toContain(REPLICATION_PASSWORD);
    expectStatus(r, 0);
    expect(primary.sql("SHOW GRANTS FOR 'replicator'@'%'")).toMatch(/GRANT REPLICATION SLAVE ON \*\.\* TO `replicator`@`%`/);
    // and it is idempotent
    expect(runScript('mysql-replication-init.sh', podEnv('orders-0', primary)).status).toBe(0);
  });

  test('a replica configured by ordinal 1 streams from the primary with GTIDs and is read-only', async () => {
    // GIVEN data on the primary before the replica exists
    primary.sql('CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40)) ENGINE=InnoDB; INSERT INTO shop.orders VALUES (1, \'first\');');

    // WHEN the replica pod initializes
    replica = await startPod('orders-1');
    const r = runScript('mysql-replication-init.sh', podEnv('orders-1', replica));

    // THEN
    expect(r.stderr).not.toContain(REPLICATION_PASSWORD);
    expectStatus(r, 0);
    expect(r.stderr).toContain("dropping the local copy of 'app'@'%'");
    expect(replica.sql('SELECT @@server_id, @@read_only')).toBe('101\t1');
    await waitFor('the replica to catch up', () => replica.sql('SELECT item FROM shop.orders WHERE id = 1') === 'first', 30_000)
      .catch((e) => { throw new Error(`${e.message}\n${replica.sql('SHOW SLAVE STATUS\\G', true)}`); });
    primary.sql("INSERT INTO shop.orders VALUES (2, 'second')");
    await waitFor('the new row on the replica', () => replica.sql('SELECT count(*) FROM shop.orders') === '2', 30_000);
    const status = replica.sql('SHOW SLAVE STATUS\\G', true);
    expect(status).toMatch(/Slave_IO_Running: Yes/);
    expect(status).toMatch(/Slave_SQL_Running: Yes/);
    expect(status).toMatch(/Using_Gtid: Slave_Pos/);
    expect(status).toMatch(/Last_SQL_Errno: 0/);
    // the application user the replica's own init created was replaced by the primary's
    expect(replica.sql("SELECT count(*) FROM mysql.user WHERE user = 'app' AND host = '%'")).toBe('1');
    expect(status).not.toContain(REPLICATION_PASSWORD);
  });

  test('running the replica script again keeps replicating and keeps the replicated application user', async () => {
    const r = runScript('mysql-replication-init.sh', podEnv('orders-1', replica));
    expectStatus(r, 0);
    expect(r.stderr).not.toContain('dropping the local copy');
    primary.sql("INSERT INTO shop.orders VALUES (3, 'third')");
    await waitFor('the third row on the replica', () => replica.sql('SELECT count(*) FROM shop.orders') === '3', 30_000);
    expect(replica.sql("SELECT count(*) FROM mysql.user WHERE user = 'app' AND host = '%'")).toBe('1');
  });

  test('the replica refuses writes from an ordinary user (read_only)', () => {
    replica.sql("SET SESSION sql_log_bin=0; CREATE USER 'app'@'localhost' IDENTIFIED BY 'app'; GRANT ALL ON shop.* TO 'app'@'localhost';");
    expect(() => execFileSync('mariadb', [`--socket=${replica.socket}`, '--user=app', '--password=app', '-e', "INSERT INTO shop.orders VALUES (9, 'x')"],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toThrow(/--read-only/);
  });
});

describe('logical-backup.sh (mariadb)', () => {
  const KEEP = 2;
  let backupDir: string;
  const backupEnv = () => ({
    DB_ENGINE: 'mariadb',
    DB_HOST: '127.0.0.1',
    DB_PORT: String(primary.port),
    DB_USER: 'root',
    DB_PASSWORD: ROOT_PASSWORD,
    BACKUP_DIR: backupDir,
    BACKUP_KEEP: String(KEEP),
  });
  const dumps = () => fs.readdirSync(backupDir).sort();
  const counts = (db: MariaDbInstance) => db.sql('SELECT (SELECT count(*) FROM crm.customers), (SELECT count(*) FROM crm.lines), (SELECT sum(qty) FROM crm.lines)');

  beforeAll(() => {
    backupDir = makeDir(path.join(root, 'backups'), undefined, 0o755);
    primary.sql([
      'CREATE DATABASE crm;',
      'USE crm;',
      'CREATE TABLE crm.customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;',
      'INSERT INTO crm.customers (name) SELECT CONCAT(\'c\', seq) FROM seq_1_to_137;',
      'CREATE TABLE crm.lines (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, qty INT, FOREIGN KEY (customer) REFERENCES crm.customers(id)) ENGINE=InnoDB;',
      'INSERT INTO crm.lines (customer, qty) SELECT 1 + seq % 137, seq FROM seq_1_to_2500;',
      'CREATE TRIGGER crm.no_negative BEFORE INSERT ON crm.lines FOR EACH ROW SET NEW.qty = GREATEST(NEW.qty, 0);',
    ].join('\n'));
  });

  test(`dumps ${KEEP + 2} times and keeps the newest ${KEEP}`, async () => {
    const written: string[] = [];
    for (let i = 0; i < KEEP + 2; i++) {
      await nextSecond();
      const before = new Set(dumps());
      const r = runScript('logical-backup.sh', backupEnv());
      expect(r.stderr).not.toContain(ROOT_PASSWORD);
      expectStatus(r, 0);
      const added = dumps().filter((f) => !before.has(f));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^mariadb-\d{8}T\d{6}Z\.sql\.gz$/);
      written.push(added[0]);
    }
    expect(new Set(written).size).toBe(KEEP + 2);
    expect(dumps()).toEqual(written.slice(-KEEP).sort());
  });

  test('the newest dump restores into a fresh instance with identical row counts', async () => {
    // GIVEN a fresh instance
    restored = await startPod('restore-0');
    const newest = dumps().pop()!;

    // WHEN the newest dump is piped into the client
    const sql = execFileSync('gzip', ['-dc', path.join(backupDir, newest)], { maxBuffer: 256 * 1024 * 1024 });
    execFileSync('mariadb', [`--socket=${restored.socket}`, '--user=root'], { input: sql, stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });

    // THEN every row, and the trigger, is back
    expect(counts(restored)).toBe('137\t2500\t3126250');
    expect(counts(restored)).toBe(counts(primary));
    expect(restored.sql("SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = 'crm'")).toBe('1');
  });

  test('a failing connection exits non-zero, leaves no .partial file and no new dump', async () => {
    await nextSecond();
    const before = dumps();
    const r = runScript('logical-backup.sh', { ...backupEnv(), DB_PORT: String(await freePort()) });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('mariadb-dump failed');
    expect(dumps()).toEqual(before);
  });

  test('a wrong password exits non-zero and leaves nothing behind', async () => {
    await nextSecond();
    const before = dumps();
    const r = runScript('logical-backup.sh', { ...backupEnv(), DB_PASSWORD: 'wrong' });
    expect(r.status).not.toBe(0);
    expect(dumps()).toEqual(before);
  });
});
