/**
 * Day two on real MariaDB servers: mariadbd "pods" on 127.0.0.1 started through mysql-start.sh (the
 * container's command), new replicas seeded by mysql-seed.sh from a physical copy (mariadb-backup
 * streamed through socat, as the seed-source sidecar serves it), readiness on the replication
 * threads, restore of a replica's data as ordinal 0 and password rotation.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ensureServers, expectStatus, freePort, HOSTILE_PASSWORD, makeDir, makeTempRoot, MariaDbInstance, mysqlLiteral, runScript, SCRIPTS_DIR, waitFor,
} from './servers/servers';

const ROOT_PASSWORD = `root${HOSTILE_PASSWORD}`;
const REPLICATION_PASSWORD = `repl${HOSTILE_PASSWORD}`;
const NEW_ROOT_PASSWORD = `rotated-root:${HOSTILE_PASSWORD}`;
const NEW_REPLICATION_PASSWORD = `rotated-repl:${HOSTILE_PASSWORD}`;

let root: string;
let primary: MariaDbInstance;
let replica: MariaDbInstance;
let seedPort: number;
let seedSource: ChildProcess | undefined;
const secret = { root: ROOT_PASSWORD, replication: REPLICATION_PASSWORD };

function podEnv(podName: string, db: MariaDbInstance): Record<string, string> {
  return {
    POD_NAME: podName,
    DB_FLAVOR: 'mariadb',
    PRIMARY_HOST: '127.0.0.1',
    PRIMARY_PORT: String(primary.port),
    REPLICATION_USER: 'replicator',
    REPLICATION_PASSWORD: secret.replication,
    MARIADB_ROOT_PASSWORD: secret.root,
    CONF_DIR: db.confDir,
    DATA_DIR: db.datadir,
    MYSQL_HOST: '127.0.0.1',
    MYSQL_TCP_PORT: String(db.port),
    SEED_PORT: String(seedPort),
    PRIMARY_WAIT_SECONDS: '20',
  };
}

function newPod(name: string, port: number): MariaDbInstance {
  const db = new MariaDbInstance(makeDir(path.join(root, name), undefined, 0o755), port);
  expectStatus(runScript('mysql-server-id.sh', { POD_NAME: name, DB_FLAVOR: 'mariadb', CONF_DIR: db.confDir }), 0);
  return db;
}

function ready(podName: string, db: MariaDbInstance) {
  return runScript('database-ready.sh', { POD_NAME: podName, DB_ENGINE: 'mariadb', DB_PORT: String(db.port), MARIADB_ROOT_PASSWORD: secret.root, MAX_REPLICA_LAG_SECONDS: '30' });
}

/** A client over TCP as root (like the Service's clients and the backup job). */
function tcpRoot(db: MariaDbInstance, password: string, sql = 'SELECT 1'): number | null {
  return spawnSync('mariadb', ['-h', '127.0.0.1', '-P', String(db.port), '-uroot', '--batch', '-e', sql], { env: { ...process.env, MYSQL_PWD: password }, encoding: 'utf8' }).status;
}

function startSeedSource(): void {
  const env = { ...podEnv('orders-0', primary), DB_SOCKET: primary.socket, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  delete (env as Record<string, string>).MYSQL_HOST;
  // Its log goes to a file: a pipe would fill while a synchronous spawn blocks this process.
  const log = fs.openSync(path.join(root, 'seed-source.log'), 'a');
  seedSource = spawn('dash', [path.join(SCRIPTS_DIR, 'mysql-seed.sh'), 'serve'], { env, detached: true, stdio: ['ignore', 'ignore', log] });
  fs.closeSync(log);
}

function stopSeedSource(): void {
  if (seedSource?.pid) {
    try { process.kill(-seedSource.pid, 'SIGTERM'); } catch { /* gone */ }
  }
  seedSource = undefined;
}

async function seedAndStart(name: string): Promise<MariaDbInstance> {
  const db = newPod(name, await freePort());
  const r = runScript('mysql-seed.sh', podEnv(name, db), { timeoutMs: 120_000 });
  expect(r.stderr).not.toContain(secret.replication);
  expectStatus(r, 0);
  await db.startWithScript(SCRIPTS_DIR, podEnv(name, db));
  return db;
}

beforeAll(async () => {
  ensureServers();
  root = makeTempRoot('cdk8s-stateful-mariadb2-');
  seedPort = await freePort();
  // The primary's first initialisation, as the image's entrypoint does it: root@localhost and
  // root@'%' with the Secret's password, the application user, then mysql-replication-init.sh.
  primary = newPod('orders-0', await freePort());
  primary.install();
  await primary.start();
  const lit = mysqlLiteral(ROOT_PASSWORD);
  primary.sql(['SET SESSION sql_log_bin=0;',
    `ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(${lit});`,
    `CREATE USER 'root'@'%' IDENTIFIED BY ${lit};`, "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;", 'SET SESSION sql_log_bin=1;',
    "CREATE DATABASE app; CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw'; GRANT ALL ON app.* TO 'app'@'%';",
    'CREATE TABLE app.orders (id INT PRIMARY KEY, item VARCHAR(60)) ENGINE=InnoDB;',
    "INSERT INTO app.orders VALUES (1, 'first');"].join('\n'));
  expectStatus(runScript('mysql-replication-init.sh', { ...podEnv('orders-0', primary), MYSQL_HOST: '127.0.0.1' }), 0);
  // Later starts go through the container's command.
  await primary.stop();
  await primary.startWithScript(SCRIPTS_DIR, podEnv('orders-0', primary));
  startSeedSource();
}, 900_000);

afterAll(async () => {
  stopSeedSource();
  await MariaDbInstance.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('a replica added after the primary purged its binary logs', () => {
  beforeAll(async () => {
    primary.sql("INSERT INTO app.orders VALUES (2, 'second'); FLUSH BINARY LOGS; INSERT INTO app.orders VALUES (3, 'third'); FLUSH BINARY LOGS;");
    const current = primary.sql('SHOW MASTER STATUS').split('\t')[0];
    // A binary log stays in use until InnoDB has made its transactions durable: retry.
    await waitFor('the old binary logs to be purged', () => {
      primary.sql(`PURGE BINARY LOGS TO '${current}'`);
      return primary.sql('SHOW BINARY LOGS').split('\n').length === 1;
    }, 30_000);
  });

  test('replaying the binary log from the start fails with error 1236 (the failure this prevents)', async () => {
    const control = newPod('control-1', await freePort());
    control.install();
    await control.start();
    control.setRootPassword(secret.root);
    expectStatus(runScript('mysql-replication-init.sh', podEnv('control-1', control)), 0);
    await waitFor('error 1236', () => /Last_IO_Errno: 1236/.test(control.sql('SHOW SLAVE STATUS\\G', true)), 30_000);
    expect(control.sql('SELECT count(*) FROM information_schema.tables WHERE table_schema = \'app\'')).toBe('0');
    await control.stop();
  });

  test('seeded by mysql-seed.sh from a physical copy plus its GTID position, it replicates and is ready', async () => {
    replica = await seedAndStart('orders-1');
    expect(replica.startLog()).toMatch(/seeded from a physical copy at GTID position '0-100-\d+'/);
    expect(replica.sql('SELECT count(*) FROM app.orders')).toBe('3');
    primary.sql("INSERT INTO app.orders VALUES (4, 'after the seed')");
    await waitFor('the new row on the replica', () => replica.sql('SELECT count(*) FROM app.orders') === '4', 30_000)
      .catch((e) => { throw new Error(`${e.message}\n${replica.sql('SHOW SLAVE STATUS\\G', true)}`); });
    const status = replica.sql('SHOW SLAVE STATUS\\G', true);
    expect(status).toMatch(/Using_Gtid: Slave_Pos/);
    expect(status).toMatch(/Last_SQL_Errno: 0/);
    expect(replica.sql('SELECT @@server_id, @@read_only')).toBe('101\t1');
    expectStatus(ready('orders-1', replica), 0);
    // the marker and the init file (with the passwords) are gone once the server runs
    await waitFor('the seed marker and the init file to be removed', () =>
      !fs.existsSync(path.join(replica.datadir, 'cdk8s-seed-gtid')) && !fs.existsSync(path.join(replica.dir, 'cdk8s-start.sql')), 10_000);
  });

  test('the seed source refuses a client that does not know the replication password', async () => {
    const db = newPod('intruder-1', await freePort());
    const r = runScript('mysql-seed.sh', { ...podEnv('intruder-1', db), REPLICATION_PASSWORD: 'wrong-password', PRIMARY_WAIT_SECONDS: '0' });
    expectStatus(r, 1);
    expect(r.stderr).toContain('gave up after 0s');
    expect(fs.existsSync(db.datadir)).toBe(false);
    expect(fs.existsSync(`${db.datadir}.tmp`)).toBe(false);
  });
});

describe('readiness follows the replication threads', () => {
  test('a replica whose stream stops fails the readiness command and passes again once it replicates', async () => {
    await primary.stop();
    await waitFor('the replica to be not ready', () => ready('orders-1', replica).status === 1, 60_000);
    expect(ready('orders-1', replica).stderr).toMatch(/Slave_IO_Running is '(Connecting|No)'/);
    // (mariadb-admin ping, the old probe, still says the replica answers)
    expect(spawnSync('mariadb-admin', [`--socket=${replica.socket}`, '--user=root', 'ping']).status).toBe(0);
    await primary.startWithScript(SCRIPTS_DIR, podEnv('orders-0', primary));
    await waitFor('the replica to be ready again', () => ready('orders-1', replica).status === 0, 60_000);
    expectStatus(ready('orders-0', primary), 0);
  });
});

describe('restore: a replica\'s data directory restored as ordinal 0', () => {
  test('through mysql-start.sh it comes up as a writable primary that replicates from nobody', async () => {
    // GIVEN a copy of the replica's data directory (its claim's snapshot)
    await replica.stop();
    const restored = newPod('restore-0', await freePort());
    execFileSync('cp', ['-a', replica.datadir, restored.datadir]);
    expect(fs.existsSync(path.join(restored.datadir, 'master.info'))).toBe(true);
    await replica.startWithScript(SCRIPTS_DIR, podEnv('orders-1', replica));

    // WHEN it starts as ordinal 0 of a new database
    await restored.startWithScript(SCRIPTS_DIR, podEnv('restore-0', restored));

    // THEN it is writable, for ordinary users too, and replicates from nobody
    expect(restored.startLog()).toContain('removed master.info');
    expect(restored.sql('SELECT @@read_only')).toBe('0');
    expect(restored.sql('SHOW SLAVE STATUS')).toBe('');
    execFileSync('mariadb', ['-h', '127.0.0.1', '-P', String(restored.port), '-uapp', '-papp-pw', '-e', "INSERT INTO app.orders VALUES (100, 'restored')"]);
    expect(restored.sql('SELECT count(*) FROM app.orders')).toBe('5');
    expect(tcpRoot(restored, ROOT_PASSWORD)).toBe(0);
    expectStatus(ready('restore-0', restored), 0);
    await restored.stop();
  });
});

describe('password rotation', () => {
  test('the primary restarted with the new Secret takes the new root and replication passwords', async () => {
    await waitFor('the replica to be ready', () => ready('orders-1', replica).status === 0, 60_000);
    secret.root = NEW_ROOT_PASSWORD;
    secret.replication = NEW_REPLICATION_PASSWORD;
    stopSeedSource();
    await primary.stop();
    await primary.startWithScript(SCRIPTS_DIR, podEnv('orders-0', primary));
    startSeedSource();
    expect(tcpRoot(primary, NEW_ROOT_PASSWORD)).toBe(0);
    expect(tcpRoot(primary, ROOT_PASSWORD)).not.toBe(0);
    expect(primary.startLog()).not.toContain(NEW_ROOT_PASSWORD);
    await waitFor('the init file (it holds the passwords) to be removed', () => !fs.existsSync(path.join(primary.dir, 'cdk8s-start.sql')), 10_000);
  });

  test('a replica with the old replication password stops being ready; restarted with the new Secret it replicates again', async () => {
    await waitFor('the old-password replica to be not ready', () => ready('orders-1', replica).status === 1, 60_000);
    await replica.stop();
    await replica.startWithScript(SCRIPTS_DIR, podEnv('orders-1', replica));
    primary.sql("INSERT INTO app.orders VALUES (5, 'after the rotation')");
    await waitFor('the replica to replicate with the new password', () => replica.sql('SELECT count(*) FROM app.orders WHERE id = 5') === '1', 60_000);
    await waitFor('the replica to be ready', () => ready('orders-1', replica).status === 0, 30_000);
  });

  test('a replica added after the rotation is seeded with the new password', async () => {
    const added = await seedAndStart('orders-2');
    await waitFor('the new replica to be ready', () => ready('orders-2', added).status === 0, 60_000);
    expect(added.sql('SELECT count(*) FROM app.orders')).toBe(primary.sql('SELECT count(*) FROM app.orders'));
  });

  test('a logical backup with the new root password succeeds', () => {
    const dir = makeDir(path.join(root, 'backups'), undefined, 0o755);
    const r = runScript('logical-backup.sh', {
      DB_ENGINE: 'mariadb', DB_HOST: '127.0.0.1', DB_PORT: String(primary.port), DB_USER: 'root', DB_PASSWORD: NEW_ROOT_PASSWORD, BACKUP_DIR: dir, BACKUP_KEEP: '1',
    });
    expectStatus(r, 0);
    expect(fs.readdirSync(dir)).toHaveLength(1);
  });
});
