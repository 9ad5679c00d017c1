/**
 * Helpers for the real-server tests of assets/database/*.sh: install (once) and start PostgreSQL and
 * MariaDB instances on 127.0.0.1, on free ports, with data directories under a temporary directory,
 * and run the scripts with dash and exactly the environment a pod gives them.
 */
import { execFileSync, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DATABASE_SCRIPTS } from '../../../src/database/private/database-assets';

export const SCRIPTS_DIR = path.join(__dirname, '..', '..', '..', 'assets', 'database');
/** Exactly the scripts the construct ships and mounts: a new one is tested as soon as it is listed. */
export const SCRIPTS: readonly string[] = DATABASE_SCRIPTS;
const ENSURE = path.join(__dirname, 'ensure-servers.sh');
const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A password with everything that breaks naive quoting: quotes, backslash, $, spaces, unicode. */
export const HOSTILE_PASSWORD = 'p\'a"s s\\w$(o)r`d;--ü';

/** Installs the servers when missing (Debian packages) and returns PostgreSQL's server bin dir. */
export function ensureServers(): string {
  const out = execFileSync('sh', [ENSURE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 });
  const bindir = out.trim().split('\n').pop()!;
  if (!fs.existsSync(path.join(bindir, 'postgres'))) throw new Error(`no postgres in ${bindir}`);
  return bindir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * A temporary root the postgres user can traverse. Under /tmp when $TMPDIR is long: Unix socket
 * paths are limited to 107 bytes.
 */
export function makeTempRoot(prefix: string): string {
  const base = os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp';
  const dir = fs.mkdtempSync(path.join(base, prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** mkdir -p, owned by postgres when asked. */
export function makeDir(dir: string, owner?: { uid: number; gid: number }, mode = 0o700): string {
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  fs.mkdirSync(dir, { recursive: true, mode });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  fs.chmodSync(dir, mode);
  return dir;
}

export interface ScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the scripts with dash and ONLY the given environment (plus PATH), as the postgres
 * user when asked (PostgreSQL refuses root; the pods run non-root).
 */
/**
 * Copies the scripts into dir/scripts with mode 0555, like the ConfigMap mount at /scripts: the
 * checkout itself may not be readable by the postgres user (e.g. under /root).
 */
export function stageScripts(dir: string): string {
  const dest = makeDir(path.join(dir, 'scripts'), undefined, 0o755);
  for (const s of SCRIPTS) {
    fs.copyFileSync(path.join(SCRIPTS_DIR, s), path.join(dest, s));
    fs.chmodSync(path.join(dest, s), 0o555);
  }
  return dest;
}

export interface RunOptions {
  /** Run as the postgres user (then scriptsDir must be readable by it: see stageScripts). */
  readonly asPostgres?: boolean;
  /** Where the scripts are. @default - assets/database of this checkout */
  readonly scriptsDir?: string;
  readonly pathPrefix?: string;
  readonly timeoutMs?: number;
}

export function runScript(script: string, env: Record<string, string>, opts: RunOptions = {}): ScriptResult {
  const fullEnv: Record<string, string> = { PATH: `${opts.pathPrefix ? opts.pathPrefix + ':' : ''}${BASE_PATH}`, ...env };
  const assignments = Object.entries(fullEnv).map(([k, v]) => `${k}=${v}`);
  const cmd = ['env', '-i', ...assignments, 'dash', path.join(opts.scriptsDir ?? SCRIPTS_DIR, script)];
  const r: SpawnSyncReturns<string> = opts.asPostgres
    ? spawnSync('runuser', ['-u', 'postgres', '--', ...cmd], { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, cwd: '/' })
    : spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, cwd: '/' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function asPostgres(cmd: string, args: string[], input?: string): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', input, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
}

export async function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until fn returns true or the timeout passes. */
export async function waitFor(what: string, fn: () => boolean, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (fn()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Sleeps until the wall clock enters a new second (dump names have second resolution). */
export async function nextSecond(): Promise<void> {
  const now = Date.now();
  await sleep(1000 - (now % 1000) + 20);
}

/** One PostgreSQL "pod": a data directory and a port on 127.0.0.1, its socket in its own dir. */
export class PgInstance {
  /** Stops every instance started in this test file (teardown, even after a failed setup). */
  public static stopAll(): void {
    for (const pg of [...PgInstance.started]) pg.stop();
  }
  private static readonly started = new Set<PgInstance>();

  public readonly sock: string;
  public readonly log: string;
  private running = false;
  constructor(public readonly bindir: string, public readonly pgdata: string, public readonly port: number, sockParent: string) {
    const owner = postgresIds();
    this.sock = makeDir(path.join(sockParent, `sock-${port}`), owner, 0o755);
    this.log = path.join(this.sock, 'server.log');
  }

  /** initdb with a superuser password, local trust, host scram-sha-256. */
  public initdb(superPassword: string): void {
    const pw = path.join(path.dirname(this.sock), `pw-${this.port}`);
    fs.writeFileSync(pw, superPassword + '\n', { mode: 0o600 });
    const ids = postgresIds();
    fs.chownSync(pw, ids.uid, ids.gid);
    asPostgres(path.join(this.bindir, 'initdb'), ['-D', this.pgdata, '-U', 'postgres', '--pwfile', pw, '-E', 'UTF8', '--locale=C',
      '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--no-instructions']);
    fs.rmSync(pw);
  }

  /** Starts the server with pg_ctl (extra `-c name=value` arguments may not contain spaces). */
  public start(extraArgs: string[] = []): void {
    const opts = [`-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.sock} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      ...extraArgs].join(' ');
    this.running = true;
    PgInstance.started.add(this);
    asPostgres(path.join(this.bindir, 'pg_ctl'), ['-D', this.pgdata, '-l', this.log, '-w', '-t', '60', '-o', opts, 'start']);
  }

  /**
   * Starts the server the way the pod's database container does: through postgres-start.sh (as the
   * postgres user, with exactly `env` plus PATH), the image's entrypoint replaced by `env` so the
   * script's `<entrypoint> postgres <args>` runs the server itself. Waits until it answers.
   * The script's and the server's output go to `this.log`.
   */
  public async startWithScript(scriptsDir: string, env: Record<string, string>, extraArgs: string[] = []): Promise<void> {
    const args = ['-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${this.sock}`,
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', ...extraArgs];
    const fullEnv: Record<string, string> = { PATH: `${this.bindir}:${BASE_PATH}`, DB_ENTRYPOINT: 'env', RUN_DIR: this.sock, ...env };
    const out = fs.openSync(this.log, 'a');
    fs.chownSync(this.log, postgresIds().uid, postgresIds().gid);
    const child = spawn('runuser', ['-u', 'postgres', '--', 'env', '-i', ...Object.entries(fullEnv).map(([k, v]) => `${k}=${v}`),
      'dash', path.join(scriptsDir, 'postgres-start.sh'), ...args], { detached: true, stdio: ['ignore', out, out], cwd: '/' });
    child.unref();
    fs.closeSync(out);
    let exited: number | null | undefined;
    child.on('exit', (code) => { exited = code; });
    this.running = true;
    PgInstance.started.add(this);
    const deadline = Date.now() + 60_000;
    while (spawnSync(path.join(this.bindir, 'pg_isready'), ['-q', '-h', this.sock, '-p', String(this.port)]).status !== 0) {
      if (exited !== undefined) throw new Error(`postgres-start.sh exited with ${exited}:\n${this.logText()}`);
      if (Date.now() > deadline) throw new Error(`postgres-start.sh did not bring up port ${this.port} in 60 s:\n${this.logText()}`);
      await sleep(250);
    }
  }

  /** The script's and the server's log so far. */
  public logText(): string {
    return fs.existsSync(this.log) ? fs.readFileSync(this.log, 'utf8') : '';
  }

  public stop(): void {
    if (!this.running) return;
    this.running = false;
    PgInstance.started.delete(this);
    try {
      asPostgres(path.join(this.bindir, 'pg_ctl'), ['-D', this.pgdata, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    } catch {
      // best effort in teardown
    }
  }

  /** psql over the socket as postgres; returns unaligned tuples-only output. */
  public psql(sql: string, db = 'postgres'): string {
    return asPostgres(path.join(this.bindir, 'psql'), ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', this.sock, '-p', String(this.port), '-U', 'postgres', '-d', db, '-c', sql]).trim();
  }

  /** psql feeding a script on stdin (no ON_ERROR_STOP, like a documented pg_dumpall restore). */
  public psqlStdin(input: string, db = 'postgres'): SpawnSyncReturns<string> {
    return spawnSync('runuser', ['-u', 'postgres', '--', path.join(this.bindir, 'psql'), '-X', '-q', '-h', this.sock, '-p', String(this.port), '-U', 'postgres', '-d', db],
      { encoding: 'utf8', input, cwd: '/', timeout: 120_000 });
  }
}

/** One MariaDB "pod": mariadb-install-db + mariadbd as root (--user=root) on 127.0.0.1. */
export class MariaDbInstance {
  /** Stops every instance started in this test file (teardown, even after a failed setup). */
  public static async stopAll(): Promise<void> {
    for (const db of [...MariaDbInstance.started]) await db.stop();
  }
  private static readonly started = new Set<MariaDbInstance>();

  public readonly datadir: string;
  public readonly confDir: string;
  public readonly socket: string;
  public readonly cnf: string;
  public readonly log: string;
  private pid?: number;
  constructor(public readonly dir: string, public readonly port: number) {
    this.datadir = path.join(dir, 'data');
    this.confDir = makeDir(path.join(dir, 'conf.d'), undefined, 0o755);
    this.socket = path.join(dir, 'mysqld.sock');
    this.cnf = path.join(dir, 'my.cnf');
    this.log = path.join(dir, 'error.log');
    fs.writeFileSync(this.cnf, [
      '[mysqld]',
      'user=root',
      `datadir=${this.datadir}`,
      `socket=${this.socket}`,
      `port=${port}`,
      'bind-address=127.0.0.1',
      `pid-file=${path.join(dir, 'mysqld.pid')}`,
      `log-error=${this.log}`,
      'skip-name-resolve',
      'innodb_buffer_pool_size=32M',
      'innodb_log_file_size=16M',
      'innodb_flush_log_at_trx_commit=0',
      'sync_binlog=0',
      'performance_schema=OFF',
      `!includedir ${this.confDir}`,
      '',
    ].join('\n'));
  }

  public install(): void {
    execFileSync('mariadb-install-db', [`--defaults-file=${this.cnf}`, '--user=root', `--datadir=${this.datadir}`, '--skip-test-db', '--auth-root-authentication-method=socket'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  }

  public async start(): Promise<void> {
    const child = spawn('mariadbd', [`--defaults-file=${this.cnf}`], { detached: true, stdio: 'ignore' });
    child.unref();
    this.pid = child.pid;
    MariaDbInstance.started.add(this);
    await waitFor(`mariadbd on port ${this.port}`, () => spawnSync('mariadb-admin', [`--socket=${this.socket}`, '--user=root', 'ping'], { encoding: 'utf8' }).status === 0, 60_000);
  }

  /**
   * Starts the server the way the pod's database container does: through mysql-start.sh with
   * exactly `env` plus PATH, the image's entrypoint replaced by `env` (so the script's
   * `<entrypoint> mariadbd <args>` runs the server itself). Waits until it answers on its socket.
   */
  public async startWithScript(scriptsDir: string, env: Record<string, string>): Promise<void> {
    const startLog = path.join(this.dir, 'start.log');
    const out = fs.openSync(startLog, 'a');
    const fullEnv: Record<string, string> = {
      PATH: BASE_PATH, DB_ENTRYPOINT: 'env', DATA_DIR: this.datadir, RUN_DIR: this.dir, MYSQL_TCP_PORT: String(this.port), ...env,
    };
    const child = spawn('env', ['-i', ...Object.entries(fullEnv).map(([k, v]) => `${k}=${v}`), 'dash', path.join(scriptsDir, 'mysql-start.sh'),
      `--defaults-file=${this.cnf}`], { detached: true, stdio: ['ignore', out, out] });
    child.unref();
    fs.closeSync(out);
    let exited: number | null | undefined;
    child.on('exit', (code) => { exited = code; });
    this.pid = child.pid;
    MariaDbInstance.started.add(this);
    const deadline = Date.now() + 60_000;
    while (spawnSync('mariadb-admin', [`--socket=${this.socket}`, '--user=root', 'ping'], { encoding: 'utf8' }).status !== 0) {
      if (exited !== undefined) throw new Error(`mysql-start.sh exited with ${exited}:\n${fs.readFileSync(startLog, 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`mysql-start.sh did not bring up port ${this.port} in 60 s:\n${fs.readFileSync(startLog, 'utf8')}`);
      await sleep(250);
    }
  }

  /** The start script's log so far. */
  public startLog(): string {
    const f = path.join(this.dir, 'start.log');
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  }

  public async stop(): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    this.pid = undefined;
    MariaDbInstance.started.delete(this);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    await waitFor(`mariadbd ${pid} to exit`, () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 30_000).catch(() => {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    });
  }

  /** SQL over the socket as OS root (unix_socket auth); returns batch output. */
  public sql(sql: string, columnNames = false): string {
    return execFileSync('mariadb', [`--socket=${this.socket}`, '--user=root', '--batch', ...(columnNames ? [] : ['--skip-column-names'])],
      { encoding: 'utf8', input: sql, stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 }).trim();
  }

  /** Like the official image's entrypoint: root@localhost and root@127.0.0.1 with a password, not binlogged. */
  public setRootPassword(password: string): void {
    const lit = mysqlLiteral(password);
    this.sql([
      'SET SESSION sql_log_bin=0;',
      `ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(${lit});`,
      `CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY ${lit};`,
      "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
      'FLUSH PRIVILEGES;',
    ].join('\n'));
  }
}

/** A MySQL/MariaDB string literal (backslash escapes on). */
export function mysqlLiteral(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Asserts a script's exit status, showing its stderr when it differs. */
export function expectStatus(r: ScriptResult, status: number): void {
  if (r.status !== status) {
    throw new Error(`expected exit status ${status}, got ${r.status}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout}`);
  }
}
