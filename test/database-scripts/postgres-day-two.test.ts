/**
 * Day two on real PostgreSQL servers: each "pod" is a data directory and a port on 127.0.0.1 started
 * through postgres-start.sh (the container's command), with exactly the environment the pods get.
 * Restore of a standby's data as ordinal 0, slots, readiness on the stream, lowered hot-standby
 * parameters and password rotation.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ensureServers, expectStatus, freePort, HOSTILE_PASSWORD, makeDir, makeTempRoot, PgInstance, postgresIds, runScript, sleep, stageScripts, waitFor,
} from './servers/servers';

const SUPER_PASSWORD = `super${HOSTILE_PASSWORD}`;
const REPLICATION_PASSWORD = `repl${HOSTILE_PASSWORD}`;
// Rotated passwords: a ':' and a '\' exercise the libpq passfile escaping.
const NEW_SUPER_PASSWORD = `rotated-super:${HOSTILE_PASSWORD}`;
const NEW_REPLICATION_PASSWORD = `rotated-repl:\\${HOSTILE_PASSWORD}`;

let bindir: string;
let root: string;
let scriptsDir: string;
let primary: PgInstance;
let replica: PgInstance;
const secret = { super: SUPER_PASSWORD, replication: REPLICATION_PASSWORD };
const owner = () => postgresIds();
// The primary keeps no WAL for standbys on its own: only a slot can.
const PRIMARY_ARGS = ['-c', 'wal_keep_size=0', '-c', 'max_slot_wal_keep_size=-1', '-c', 'min_wal_size=32MB', '-c', 'max_wal_size=64MB'];

function podEnv(podName: string, pg: PgInstance): Record<string, string> {
  return {
    POD_NAME: podName,
    PGDATA: pg.pgdata,
    PRIMARY_HOST: '127.0.0.1',
    PRIMARY_PORT: String(primary.port),
    REPLICATION_USER: 'replicator',
    REPLICATION_PASSWORD: secret.replication,
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: secret.super,
    PRIMARY_WAIT_SECONDS: '20',
  };
}

async function newPod(name: string): Promise<PgInstance> {
  makeDir(path.join(root, name), owner(), 0o755);
  return new PgInstance(bindir, path.join(root, name, 'pgdata'), await freePort(), root);
}

async function startPrimary(): Promise<void> {
  const before = primary.logText().split('applied the Secret').length;
  await primary.startWithScript(scriptsDir, podEnv('orders-0', primary), PRIMARY_ARGS);
  await waitFor('the primary to apply the Secret', () => primary.logText().split('applied the Secret').length > before, 30_000);
}

function clone(podName: string, pg: PgInstance): void {
  expectStatus(runScript('postgres-replica-init.sh', podEnv(podName, pg), { asPostgres: true, pathPrefix: bindir, scriptsDir }), 0);
}

function ready(podName: string, pg: PgInstance, maxLag = 30) {
  return runScript('database-ready.sh', {
    POD_NAME: podName, DB_ENGINE: 'postgres', DB_PORT: String(pg.port), PGHOST: pg.sock, MAX_REPLICA_LAG_SECONDS: String(maxLag),
  }, { asPostgres: true, pathPrefix: bindir, scriptsDir });
}

/** psql over TCP with a password (scram-sha-256), as a client of the Service would connect. */
function tcpLogin(pg: PgInstance, user: string, password: string): number | null {
  return spawnSync('runuser', ['-u', 'postgres', '--', 'env', `PGPASSWORD=${password}`, path.join(bindir, 'psql'), '-X', '-tA', '-w',
    '-h', '127.0.0.1', '-p', String(pg.port), '-U', user, '-d', 'postgres', '-c', 'SELECT 1'], { encoding: 'utf8', cwd: '/' }).status;
}

function copyDataDir(from: PgInstance, toPod: string): string {
  const dest = path.join(root, toPod, 'pgdata');
  makeDir(path.dirname(dest), owner(), 0o755);
  execFileSync('cp', ['-a', from.pgdata, dest]);
  return dest;
}

beforeAll(async () => {
  bindir = ensureServers();
  root = makeTempRoot('cdk8s-stateful-pg2-');
  scriptsDir = stageScripts(root);
  primary = await newPod('orders-0');
  makeDir(primary.pgdata, owner());
  primary.initdb(SUPER_PASSWORD);
  // Like a pod network: only the replication line the scripts add may admit a standby.
  const hba = path.join(primary.pgdata, 'pg_hba.conf');
  fs.writeFileSync(hba, fs.readFileSync(hba, 'utf8').split('\n').filter((l) => !/^\s*(host|local)\s+replication\b/.test(l)).join('\n'));
  await startPrimary();
  primary.psql('CREATE TABLE orders (id int PRIMARY KEY, item text)');
  primary.psql("INSERT INTO orders VALUES (1, 'first')");
  replica = await newPod('orders-1');
  clone('orders-1', replica);
  await replica.startWithScript(scriptsDir, podEnv('orders-1', replica));
}, 900_000);

afterAll(() => {
  PgInstance.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('replication slots and readiness', () => {
  test('the primary started by postgres-start.sh created the replication role; the standby streams through its own slot and is ready', async () => {
    expect(primary.psql("SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'")).toBe('t');
    await waitFor('the standby to stream', () => primary.psql("SELECT application_name || '/' || state FROM pg_stat_replication") === 'orders-1/streaming', 30_000);
    expect(primary.psql("SELECT active FROM pg_replication_slots WHERE slot_name = 'orders_1'")).toBe('t');
    await waitFor('the row on the standby', () => replica.psql('SELECT count(*) FROM orders') === '1', 30_000);
    expectStatus(ready('orders-1', replica), 0);
    expectStatus(ready('orders-0', primary), 0);
    // the password is in a passfile outside the data directory, never in postgresql.auto.conf
    expect(fs.readFileSync(path.join(replica.pgdata, 'postgresql.auto.conf'), 'utf8')).not.toContain('password');
    expect((fs.statSync(path.join(replica.sock, 'replication.pgpass')).mode % 0o1000).toString(8)).toBe('600');
  });

  test('a standby kept down while the primary wrote past wal_keep_size catches up through its slot', async () => {
    // GIVEN the standby is down and the primary writes and checkpoints many WAL segments (wal_keep_size = 0)
    replica.stop();
    const segmentAtStop = primary.psql("SELECT pg_walfile_name(restart_lsn + 1) FROM pg_replication_slots WHERE slot_name = 'orders_1'");
    for (let i = 0; i < 6; i++) {
      primary.psql(`INSERT INTO orders SELECT g, 'bulk' FROM generate_series(${1000 + i * 2000}, ${1000 + i * 2000 + 1999}) g`);
      primary.psql('SELECT pg_switch_wal()');
    }
    primary.psql('CHECKPOINT');
    const current = primary.psql('SELECT pg_walfile_name(pg_current_wal_lsn())');
    expect(parseInt(current.slice(-8), 16) - parseInt(segmentAtStop.slice(-8), 16)).toBeGreaterThanOrEqual(6);
    // THEN the slot kept the segment the standby needs
    expect(primary.psql(`SELECT count(*) FROM pg_ls_waldir() WHERE name = '${segmentAtStop}'`)).toBe('1');

    // WHEN the standby comes back
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replica));

    // THEN it catches up and is ready
    await waitFor('the standby to catch up', () => replica.psql('SELECT count(*) FROM orders') === '12001', 60_000);
    await waitFor('the standby to be ready', () => ready('orders-1', replica).status === 0, 30_000);
  });

  test('a standby whose stream stops fails the readiness command, and passes again once it streams', async () => {
    // WHEN the primary goes away
    primary.stop();
    await waitFor('the WAL receiver to stop streaming', () => ready('orders-1', replica).status === 1, 30_000);
    const r = ready('orders-1', replica);
    expect(r.stderr).toContain('the standby does not stream from the primary');
    // (pg_isready, the old probe, still says the standby answers)
    expect(spawnSync(path.join(bindir, 'pg_isready'), ['-q', '-h', replica.sock, '-p', String(replica.port)]).status).toBe(0);

    // WHEN it comes back
    await startPrimary();
    await waitFor('the standby to stream again', () => ready('orders-1', replica).status === 0, 60_000);
  });

  test('a standby whose replay lags beyond the bound is not ready; a larger bound admits it', async () => {
    replica.psql('SELECT pg_wal_replay_pause()');
    try {
      primary.psql("INSERT INTO orders VALUES (2, 'while replay is paused')");
      await waitFor('the WAL to be received', () => replica.psql('SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()') === 't', 30_000);
      await sleep(2_500);
      const r = ready('orders-1', replica, 1);
      expectStatus(r, 1);
      expect(r.stderr).toMatch(/replication lag \d+s exceeds 1s/);
      expectStatus(ready('orders-1', replica, 3600), 0);
    } finally {
      replica.psql('SELECT pg_wal_replay_resume()');
    }
    await waitFor('the standby to catch up', () => ready('orders-1', replica, 1).status === 0, 30_000);
  });
});

describe('lowering a hot-standby parameter (max_connections 100 -> 50)', () => {
  test('without the start script the standby refuses to start below the primary\'s value', () => {
    replica.stop();
    expect(() => replica.start(['-c', 'max_connections=50'])).toThrow();
    expect(fs.readFileSync(replica.log, 'utf8')).toMatch(/insufficient parameter settings|max_connections = 50 is a lower setting than on the primary server/);
  });

  test('the standby restarted first starts with the primary\'s value; after the primary restarts with 50, the next restart uses 50', async () => {
    // GIVEN the rollout restarts the standby first, with max_connections = 50
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replica), ['-c', 'max_connections=50']);
    expect(replica.logText()).toContain("max_connections: configured 50 is lower than the primary's 100 (pg_control): starting with 100");
    expect(replica.psql('SHOW max_connections')).toBe('100');
    await waitFor('the standby to be ready', () => ready('orders-1', replica).status === 0, 30_000);

    // WHEN the primary restarts with 50 (the rollout's last step)
    primary.stop();
    primary.start(['-c', 'max_connections=50', ...PRIMARY_ARGS]);
    primary.psql("INSERT INTO orders VALUES (3, 'after lowering')");
    await waitFor('the standby to replay the change', () => replica.psql('SELECT count(*) FROM orders WHERE id = 3') === '1', 30_000);

    // THEN the standby's next restart runs with 50
    replica.stop();
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replica), ['-c', 'max_connections=50']);
    expect(replica.psql('SHOW max_connections')).toBe('50');
    await waitFor('the standby to be ready', () => ready('orders-1', replica).status === 0, 30_000);
    primary.stop();
    await startPrimary();
  });
});

describe('restore: the data directory of a standby restored as ordinal 0', () => {
  let restored: PgInstance;
  test('started as it is, it stays a read-only standby (the failure this prevents)', async () => {
    replica.stop();
    const dest = copyDataDir(replica, 'restore-control-0');
    restored = new PgInstance(bindir, dest, await freePort(), root);
    restored.start();
    expect(restored.psql('SELECT pg_is_in_recovery()')).toBe('t');
    expect(() => restored.psql("INSERT INTO orders VALUES (10, 'x')")).toThrow(/read-only transaction/);
    restored.stop();
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replica));
  });

  test('through postgres-start.sh as ordinal 0 it comes up as a writable primary with all the data', async () => {
    // GIVEN a crash-consistent copy of the standby (like a VolumeSnapshot of its claim): it is
    // stopped with -m immediate (no shutdown checkpoint) and copied
    await waitFor('the standby to be ready', () => ready('orders-1', replica).status === 0, 30_000);
    const rows = Number(replica.psql('SELECT count(*) FROM orders'));
    replica.stop();
    const dest = copyDataDir(replica, 'restore-0');
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replica));
    restored = new PgInstance(bindir, dest, await freePort(), root);
    expect(fs.existsSync(path.join(dest, 'standby.signal'))).toBe(true);

    // WHEN it starts as ordinal 0 of a new database
    await restored.startWithScript(scriptsDir, { ...podEnv('restore-0', restored), PRIMARY_PORT: String(restored.port) });

    // THEN it is a primary and takes writes
    expect(restored.logText()).toContain('ordinal 0 is the primary: removed standby.signal');
    expect(fs.existsSync(path.join(dest, 'standby.signal'))).toBe(false);
    expect(fs.readFileSync(path.join(dest, 'postgresql.auto.conf'), 'utf8')).not.toMatch(/primary_conninfo|primary_slot_name/);
    await waitFor('recovery to end', () => restored.psql('SELECT pg_is_in_recovery()') === 'f', 30_000);
    restored.psql("INSERT INTO orders VALUES (11, 'written on the restored primary')");
    expect(restored.psql('SELECT count(*) FROM orders')).toBe(String(rows + 1));
    expectStatus(ready('restore-0', restored), 0);
    restored.stop();
  });
});

describe('password rotation', () => {
  let added: PgInstance;

  test('a new Secret takes effect at the primary\'s restart: clients use the new superuser password, the old one fails', async () => {
    expect(tcpLogin(primary, 'postgres', SUPER_PASSWORD)).toBe(0);
    // WHEN the Secret changes and the primary restarts (step 2 of the documented procedure)
    secret.super = NEW_SUPER_PASSWORD;
    secret.replication = NEW_REPLICATION_PASSWORD;
    primary.stop();
    await startPrimary();
    // THEN
    expect(primary.logText()).not.toContain(NEW_SUPER_PASSWORD);
    expect(primary.logText()).not.toContain(NEW_REPLICATION_PASSWORD);
    expect(tcpLogin(primary, 'postgres', NEW_SUPER_PASSWORD)).toBe(0);
    expect(tcpLogin(primary, 'postgres', SUPER_PASSWORD)).not.toBe(0);
  });

  test('a replica still holding the old password stops being ready; restarted with the new Secret, it streams again', async () => {
    await waitFor('the old-password standby to be not ready', () => ready('orders-1', replica).status === 1, 60_000);
    replica.stop();
    await replica.startWithScript(scriptsDir, podEnv('orders-1', replica));
    await waitFor('the standby to stream with the new password', () => ready('orders-1', replica).status === 0, 60_000);
    expect(fs.readFileSync(path.join(replica.pgdata, 'postgresql.auto.conf'), 'utf8')).not.toContain('rotated');
  });

  test('a replica added after the rotation clones with the new password and streams', async () => {
    added = await newPod('orders-2');
    clone('orders-2', added);
    await added.startWithScript(scriptsDir, podEnv('orders-2', added));
    await waitFor('the new standby to be ready', () => ready('orders-2', added).status === 0, 60_000);
    expect(added.psql('SELECT count(*) FROM orders')).toBe(primary.psql('SELECT count(*) FROM orders'));
    expect(primary.psql('SELECT string_agg(slot_name, \',\' ORDER BY slot_name) FROM pg_replication_slots')).toBe('orders_1,orders_2');
  });

  test('a logical backup with the new password succeeds', () => {
    const dir = makeDir(path.join(root, 'backups'), owner(), 0o755);
    const r = runScript('logical-backup.sh', {
      DB_ENGINE: 'postgres', DB_HOST: '127.0.0.1', DB_PORT: String(primary.port), DB_USER: 'postgres', DB_PASSWORD: NEW_SUPER_PASSWORD, BACKUP_DIR: dir, BACKUP_KEEP: '1',
    }, { asPostgres: true, pathPrefix: bindir, scriptsDir });
    expectStatus(r, 0);
    expect(fs.readdirSync(dir)).toHaveLength(1);
  });
});
