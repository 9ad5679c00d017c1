/**
 * Real-server tests of the PostgreSQL scripts: two "pods" on 127.0.0.1 (a primary, ordinal 0, and a
 * replica, ordinal 1), each a data directory and a port, the scripts run with dash as the postgres
 * user with exactly the environment the StatefulDatabase pods get.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ensureServers, expectStatus, freePort, HOSTILE_PASSWORD, makeDir, makeTempRoot, nextSecond, PgInstance, postgresIds, runScript,
  stageScripts, waitFor,
} from './servers/servers';

const SUPER_PASSWORD = `super${HOSTILE_PASSWORD}`;
const REPLICATION_PASSWORD = `repl${HOSTILE_PASSWORD}`;

let bindir: string;
let root: string;
let primary: PgInstance;
let replica: PgInstance;
let restored: PgInstance | undefined;
let replicaData: string;
let scriptsDir: string;
const owner = () => postgresIds();

/** The env the pods get (contract: shared env + PGDATA), plus libpq's socket for the init script. */
function podEnv(podName: string, pgdata: string): Record<string, string> {
  return {
    POD_NAME: podName,
    PRIMARY_HOST: '127.0.0.1',
    PRIMARY_PORT: String(primary.port),
    REPLICATION_USER: 'replicator',
    REPLICATION_PASSWORD,
    PGDATA: pgdata,
    POSTGRES_USER: 'postgres',
    PRIMARY_WAIT_SECONDS: '30',
  };
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

beforeAll(async () => {
  bindir = ensureServers();
  root = makeTempRoot('cdk8s-stateful-pg-');
  scriptsDir = stageScripts(root);
  primary = new PgInstance(bindir, makeDir(path.join(root, 'orders-0', 'pgdata'), owner()), await freePort(), root);
  // The replica's claim is mounted at .../orders-1; PGDATA is a subdirectory that does not exist yet.
  makeDir(path.join(root, 'orders-1'), owner(), 0o755);
  replicaData = path.join(root, 'orders-1', 'pgdata');
  replica = new PgInstance(bindir, replicaData, await freePort(), root);
  primary.initdb(SUPER_PASSWORD);
  // Like a pod network: no replication line of initdb's sample may admit the replica, only ours.
  const hba = path.join(primary.pgdata, 'pg_hba.conf');
  fs.writeFileSync(hba, fs.readFileSync(hba, 'utf8').split('\n').filter((l) => !/^\s*(host|local)\s+replication\b/.test(l)).join('\n'));
  primary.start();
}, 900_000);

afterAll(() => {
  PgInstance.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('postgres-primary-init.sh', () => {
  test('creates the replication role with its password and admits it for replication in pg_hba.conf', () => {
    // GIVEN the primary after initdb, WHEN the entrypoint runs the init script
    const r = runScript('postgres-primary-init.sh', { ...podEnv('orders-0', primary.pgdata), PGHOST: primary.sock, PGPORT: String(primary.port) },
      { asPostgres: true, pathPrefix: bindir, scriptsDir });

    // THEN
    expect(r.stderr).not.toContain(REPLICATION_PASSWORD);
    expect(r.stdout).not.toContain(REPLICATION_PASSWORD);
    expectStatus(r, 0);
    expect(primary.psql("SELECT rolreplication, rolcanlogin, rolsuper FROM pg_roles WHERE rolname = 'replicator'")).toBe('t|t|f');
    expect(primary.psql("SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = 'replicator'")).toBe('SCRAM-SHA-256');
    const hba = fs.readFileSync(path.join(primary.pgdata, 'pg_hba.conf'), 'utf8').split('\n');
    expect(hba.filter((l) => l === 'host replication replicator all scram-sha-256')).toHaveLength(1);
  });

  test('is idempotent: a second run keeps one pg_hba line and succeeds', () => {
    const r = runScript('postgres-primary-init.sh', { ...podEnv('orders-0', primary.pgdata), PGHOST: primary.sock, PGPORT: String(primary.port) },
      { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expectStatus(r, 0);
    const hba = fs.readFileSync(path.join(primary.pgdata, 'pg_hba.conf'), 'utf8').split('\n');
    expect(hba.filter((l) => l.includes('replication replicator'))).toHaveLength(1);
  });

  test('rejects a replication user name that could break pg_hba.conf or SQL', () => {
    const r = runScript('postgres-primary-init.sh', { ...podEnv('orders-0', primary.pgdata), REPLICATION_USER: 'repl all trust\nhost', PGHOST: primary.sock, PGPORT: String(primary.port) },
      { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('REPLICATION_USER may hold only letters, digits and _');
  });
});

describe('postgres-replica-init.sh', () => {
  test('ordinal 0 exits 0 without touching anything', () => {
    const pgdata = path.join(root, 'orders-0-untouched');
    const r = runScript('postgres-replica-init.sh', podEnv('orders-0', pgdata), { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expectStatus(r, 0);
    expect(r.stderr).toContain('ordinal 0 is the primary');
    expect(fs.existsSync(pgdata)).toBe(false);
  });

  test('a clone that cannot authenticate fails within its bound and leaves no data directory behind', () => {
    const pgdata = path.join(root, 'orders-1', 'bad-clone');
    const r = runScript('postgres-replica-init.sh', { ...podEnv('orders-1', pgdata), REPLICATION_PASSWORD: 'wrong', PRIMARY_WAIT_SECONDS: '0' },
      { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('gave up after 0s');
    expect(fs.existsSync(pgdata)).toBe(false);
    expect(fs.existsSync(`${pgdata}.tmp`)).toBe(false);
  });

  test('an unreachable primary makes the clone give up within PRIMARY_WAIT_SECONDS', async () => {
    const pgdata = path.join(root, 'orders-1', 'unreachable');
    const started = Date.now();
    const r = runScript('postgres-replica-init.sh', { ...podEnv('orders-1', pgdata), PRIMARY_PORT: String(await freePort()), PRIMARY_WAIT_SECONDS: '1' },
      { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expectStatus(r, 1);
    expect(r.stderr).toContain('waiting for the primary');
    expect(r.stderr).toContain('gave up after 1s');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(fs.existsSync(pgdata)).toBe(false);
  });

  test('refuses a non-empty PGDATA that is not a data directory', () => {
    const pgdata = makeDir(path.join(root, 'orders-1', 'junk'), owner());
    fs.writeFileSync(path.join(pgdata, 'something'), 'x');
    const r = runScript('postgres-replica-init.sh', podEnv('orders-2', pgdata), { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not empty but has no PG_VERSION');
    expect(listing(pgdata)).toEqual(['something']);
  });

  test('clones the primary into an empty PGDATA and the replica starts as a hot standby', async () => {
    // GIVEN an empty claim with the leftovers of a clone that was killed half-way
    makeDir(`${replicaData}.tmp`, owner());
    fs.writeFileSync(`${replicaData}.tmp/PG_VERSION`, '15');

    // WHEN the replica pod's init container runs
    const r = runScript('postgres-replica-init.sh', podEnv('orders-1', replicaData), { asPostgres: true, pathPrefix: bindir, scriptsDir });

    // THEN the clone is a complete data directory configured as a standby
    expect(r.stderr).not.toContain(REPLICATION_PASSWORD);
    expectStatus(r, 0);
    expect(fs.existsSync(path.join(replicaData, 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(replicaData, 'standby.signal'))).toBe(true);
    // no password is baked into the clone (no pg_basebackup -R): postgres-start.sh passes primary_conninfo at each start
    expect(fs.readFileSync(path.join(replicaData, 'postgresql.auto.conf'), 'utf8')).not.toContain('primary_conninfo');
    expect(fs.existsSync(`${replicaData}.tmp`)).toBe(false);
    expect((fs.statSync(replicaData).mode % 0o1000).toString(8)).toBe('700');
    // the member's replication slot exists on the primary
    expect(primary.psql("SELECT slot_type FROM pg_replication_slots WHERE slot_name = 'orders_1'")).toBe('physical');

    // AND it starts as a hot standby through the container's start script, streaming through its slot
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replicaData));
    expect(replica.psql('SELECT pg_is_in_recovery()')).toBe('t');
    await waitFor('the standby to stream', () => primary.psql('SELECT application_name FROM pg_stat_replication') === 'orders-1', 30_000);
    expect(primary.psql("SELECT active FROM pg_replication_slots WHERE slot_name = 'orders_1'")).toBe('t');
  });

  test('a row written on the primary becomes visible on the standby', async () => {
    primary.psql('CREATE TABLE orders (id int PRIMARY KEY, item text)');
    primary.psql("INSERT INTO orders VALUES (1, 'first')");
    await waitFor('the row on the standby', () => replica.psql('SELECT item FROM orders WHERE id = 1') === 'first', 30_000);
  });

  test('the standby refuses writes', () => {
    expect(() => replica.psql("INSERT INTO orders VALUES (2, 'second')")).toThrow(/cannot execute INSERT in a read-only transaction/);
  });

  test('running the replica init script again with data present is a no-op', () => {
    const before = listing(replicaData);
    const conf = fs.readFileSync(path.join(replicaData, 'postgresql.auto.conf'), 'utf8');
    const signal = fs.statSync(path.join(replicaData, 'standby.signal')).mtimeMs;

    const r = runScript('postgres-replica-init.sh', podEnv('orders-1', replicaData), { asPostgres: true, pathPrefix: bindir, scriptsDir });

    expectStatus(r, 0);
    expect(r.stderr).toContain('already holds a data directory');
    expect(listing(replicaData)).toEqual(before);
    expect(fs.readFileSync(path.join(replicaData, 'postgresql.auto.conf'), 'utf8')).toBe(conf);
    expect(fs.statSync(path.join(replicaData, 'standby.signal')).mtimeMs).toBe(signal);
    expect(replica.psql('SELECT pg_is_in_recovery()')).toBe('t');
  });
});

describe('a restarted replica', () => {
  test('keeps its role and data: the init script leaves it alone, it comes back as a standby and catches up', async () => {
    // GIVEN the standby stops (pod deleted) and a row is written meanwhile
    replica.stop();
    primary.psql("INSERT INTO orders VALUES (3, 'while the replica was down')");

    // WHEN the pod comes back: init container, then the server
    const r = runScript('postgres-replica-init.sh', podEnv('orders-1', replicaData), { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expectStatus(r, 0);
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replicaData));

    // THEN
    expect(replica.psql('SELECT pg_is_in_recovery()')).toBe('t');
    await waitFor('the standby to catch up', () => replica.psql('SELECT count(*) FROM orders') === '2', 30_000);
  });
});

describe('logical-backup.sh (postgres)', () => {
  const KEEP = 2;
  let backupDir: string;
  const backupEnv = () => ({
    DB_ENGINE: 'postgres',
    DB_HOST: '127.0.0.1',
    DB_PORT: String(primary.port),
    DB_USER: 'postgres',
    DB_PASSWORD: SUPER_PASSWORD,
    BACKUP_DIR: backupDir,
    BACKUP_KEEP: String(KEEP),
  });
  const dumps = () => listing(backupDir);

  const FOREIGN = ['README.txt', 'postgres-before-upgrade.sql.gz', 'mariadb-20200101T000000Z.sql.gz'];
  const STALE = 'postgres-20200101T000000Z.sql.gz.partial';

  beforeAll(() => {
    backupDir = makeDir(path.join(root, 'backups'), owner(), 0o755);
    for (const f of [...FOREIGN, STALE]) fs.writeFileSync(path.join(backupDir, f), 'not ours');
    primary.psql('CREATE DATABASE shop');
    primary.psql('CREATE TABLE customers (id serial PRIMARY KEY, name text)', 'shop');
    primary.psql("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 137) g", 'shop');
    primary.psql('CREATE TABLE lines (id serial PRIMARY KEY, customer int REFERENCES customers, qty int)', 'shop');
    primary.psql('INSERT INTO lines (customer, qty) SELECT 1 + g % 137, g FROM generate_series(1, 2500) g', 'shop');
  });

  test(`dumps ${KEEP + 2} times, keeps the newest ${KEEP}, removes a stale .partial and leaves other files alone`, async () => {
    const written: string[] = [];
    for (let i = 0; i < KEEP + 2; i++) {
      await nextSecond();
      const before = new Set(dumps());
      const r = runScript('logical-backup.sh', backupEnv(), { asPostgres: true, pathPrefix: bindir, scriptsDir });
      expect(r.stderr).not.toContain(SUPER_PASSWORD);
      expectStatus(r, 0);
      const added = dumps().filter((f) => !before.has(f));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^postgres-\d{8}T\d{6}Z\.sql\.gz$/);
      written.push(added[0]);
    }
    expect(new Set(written).size).toBe(KEEP + 2);
    expect(dumps()).toEqual([...written.slice(-KEEP), ...FOREIGN].sort());
  });

  test('the newest dump restores into a fresh instance with identical row counts', async () => {
    // GIVEN a fresh instance
    const newest = dumps().filter((f) => /^postgres-\d/.test(f)).pop()!;
    restored = new PgInstance(bindir, makeDir(path.join(root, 'restored', 'pgdata'), owner()), await freePort(), root);
    restored.initdb(SUPER_PASSWORD);
    restored.start();

    // WHEN the newest dump is restored the documented way (psql -f dump postgres)
    const sql = execFileSync('gzip', ['-dc', path.join(backupDir, newest)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const r = restored.psqlStdin(sql);

    // THEN every row is back
    expectStatus(r, 0);
    const counts = (pg: PgInstance) => pg.psql("SELECT (SELECT count(*) FROM customers) || '/' || (SELECT count(*) FROM lines) || '/' || (SELECT sum(qty) FROM lines)", 'shop');
    expect(counts(restored)).toBe('137/2500/3126250');
    expect(counts(restored)).toBe(counts(primary));
    expect(restored.psql("SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'")).toBe('t');
  });

  test('a failing connection exits non-zero, leaves no .partial file and no new dump', async () => {
    await nextSecond();
    const before = dumps();
    const r = runScript('logical-backup.sh', { ...backupEnv(), DB_PORT: String(await freePort()) }, { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('pg_dumpall failed');
    expect(dumps()).toEqual(before);
  });

  test('a wrong password exits non-zero and leaves nothing behind', async () => {
    await nextSecond();
    const before = dumps();
    const r = runScript('logical-backup.sh', { ...backupEnv(), DB_PASSWORD: 'wrong' }, { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expect(r.status).not.toBe(0);
    expect(dumps()).toEqual(before);
  });
});
