/**
 * Real etcd and ZooKeeper servers for the ConsensusCluster tests: an etcd binary built once from
 * its Go module (tools/etcd, the version of its go.mod), ZooKeeper from Debian's package, both
 * started as local processes on 127.0.0.x with the flags and files the construct renders.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sleep } from './servers';

const ROOT = path.join(__dirname, '..', '..', '..');
const ETCD_MODULE = path.join(ROOT, 'tools', 'etcd');

function cacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk8s-stateful');
}

/** The etcd version tools/etcd/go.mod requires. */
export function etcdModuleVersion(): string {
  const m = /go\.etcd\.io\/etcd\/server\/v3 (v\d+\.\d+\.\d+)/.exec(fs.readFileSync(path.join(ETCD_MODULE, 'go.mod'), 'utf8'));
  if (!m) throw new Error('tools/etcd/go.mod: no go.etcd.io/etcd/server/v3 requirement');
  return m[1];
}

/**
 * The path of the etcd server binary, built with `go build` (one progress line; the Go output goes
 * to a log beside the binary) when this machine has none for the current sources.
 */
export function ensureEtcd(): string {
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) hash.update(f).update(fs.readFileSync(path.join(ETCD_MODULE, f)));
  const dir = path.join(cacheRoot(), 'etcd');
  const binary = path.join(dir, `etcd-${etcdModuleVersion()}-${hash.digest('hex').slice(0, 12)}`);
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  const go = path.join(cacheRoot(), 'go');
  const script = [
    'set -e',
    '[ -x "$OUT" ] && exit 0',
    'echo "building etcd $VERSION from its Go module (first run on this machine; log: $OUT.log)" >&2',
    'go build -trimpath -ldflags "-s -w" -o "$OUT.tmp" . >"$OUT.log" 2>&1 || { tail -n 30 "$OUT.log" >&2; exit 1; }',
    'mv "$OUT.tmp" "$OUT"',
  ].join('\n');
  const r = spawnSync('flock', ['-w', '1200', path.join(dir, '.build.lock'), 'sh', '-c', script], {
    cwd: ETCD_MODULE,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      OUT: binary,
      VERSION: etcdModuleVersion(),
      GOMODCACHE: path.join(go, 'mod'),
      GOCACHE: path.join(go, 'build'),
      GOFLAGS: '-mod=readonly -buildvcs=false',
      GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
      CGO_ENABLED: '0',
    },
    timeout: 1_200_000,
  });
  if (r.status !== 0 || !fs.existsSync(binary)) throw new Error(`building etcd failed (exit ${r.status}); see ${binary}.log`);
  return binary;
}

/** The Java class path of Debian's ZooKeeper server (installed once with apt-get when missing). */
export function ensureZooKeeper(): string {
  const jar = '/usr/share/java/zookeeper.jar';
  if (!fs.existsSync(jar)) {
    const r = spawnSync('sh', [path.join(__dirname, '..', '..', 'harness', 'apt-install.sh'), 'zookeeper', 'zookeeper'], { stdio: 'inherit', timeout: 900_000 });
    if (r.status !== 0 || !fs.existsSync(jar)) throw new Error(`apt-get install zookeeper failed (exit ${r.status}); see ${path.join(cacheRoot(), 'zookeeper', 'apt.log')}`);
  }
  // The jar's manifest names its dependencies; the AdminServer's servlet API and a logger binding are not among them.
  return [jar, '/usr/share/java/slf4j-simple.jar', '/usr/share/java/servlet-api.jar'].join(':');
}

/** A process started for a test, killed (its whole group) by `stop` or `stopAll`. */
export class ServerProcess {
  /** Kills every process still running (afterAll). */
  public static stopAll(): void {
    for (const p of [...ServerProcess.running]) p.kill('SIGKILL');
  }

  private static readonly running = new Set<ServerProcess>();

  private readonly child: ChildProcess;
  private exitCode: number | null | undefined;

  constructor(public readonly label: string, command: string, args: string[], env: Record<string, string>, public readonly logFile: string) {
    const out = fs.openSync(logFile, 'a');
    this.child = spawn(command, args, { env, stdio: ['ignore', out, out], detached: true, cwd: '/' });
    fs.closeSync(out);
    this.child.on('exit', code => { this.exitCode = code; ServerProcess.running.delete(this); });
    ServerProcess.running.add(this);
  }

  public get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Sends a signal to the process group (the shell script and the server it exec'd or started). */
  public kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL after 10 s; resolves once it exited. */
  public async stop(): Promise<void> {
    this.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (!this.exited && Date.now() < deadline) await sleep(100);
    if (!this.exited) this.kill('SIGKILL');
    while (!this.exited) await sleep(50);
  }

  public log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '';
    }
  }
}

/**
 * A directory laid out like a claim under fsGroup: owned by root, group `gid`, setgid and group
 * writable, so a server running as uid `gid` (not the owner) can write only through the group.
 */
export function claimDir(dir: string, gid: number): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, 0, gid);
  fs.chmodSync(dir, 0o2775);
  return dir;
}

/** The argv that runs `command` as uid/gid `id` with `id` as its only supplementary group (a pod's runAsUser, runAsGroup and fsGroup). */
export function asPodUser(id: number, command: string[]): string[] {
  return ['setpriv', `--reuid=${id}`, `--regid=${id}`, `--groups=${id}`, '--', ...command];
}

/** Whether `fn` turns true within `timeoutMs` (polling); never longer. */
export async function within(timeoutMs: number, fn: () => Promise<boolean> | boolean, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await fn()) return true;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

export function whoami(): number {
  return Number(execFileSync('id', ['-u'], { encoding: 'utf8' }).trim());
}
