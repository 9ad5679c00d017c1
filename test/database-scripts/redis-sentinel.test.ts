/**
 * RedisDatabase on real servers: redis-server and redis-sentinel from Debian run the
 * configuration and the start/probe scripts exactly as the synthesized ConfigMap holds them, with
 * the environment and the command of the synthesized pod spec, as the redis user (non-root, like
 * uid 999 in the pod). Each "pod" is one loopback address (127.0.0.x) with the manifest's ports
 * 6379 and 26379.
 *
 * What differs from a cluster, and why: there is no cluster DNS here, so REDIS_MEMBERS (in the pod
 * `<name>-<i>.<name>-headless.$(POD_NAMESPACE).svc`) lists the members' loopback addresses
 * instead, and REDIS_BIND (in the pod every address) is the member's own address, so that three
 * members share the ports on one machine. REDIS_CONFIG, REDIS_DATA and REDIS_RUN (the ConfigMap
 * mount, the claim and the emptyDir) point into a temporary directory.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size, Testing } from 'cdk8s';
import { HOSTILE_PASSWORD, makeTempRoot, sleep, waitFor } from './servers/servers';
import { RedisDatabase, RedisDatabaseProps, RedisPersistence } from '../../src/database';

const ENSURE = path.join(__dirname, 'servers', 'ensure-redis.sh');
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Rendered {
  readonly files: Record<string, string>;
  readonly containers: Record<string, { command: string[]; env: Record<string, string> }>;
}

/** The ConfigMap and the containers' commands and literal env of a synthesized RedisDatabase. */
function render(props: Omit<RedisDatabaseProps, 'storage'>): Rendered {
  const chart = Testing.chart();
  new RedisDatabase(chart, 'r', { storage: { size: Size.gibibytes(1) }, ...props });
  const objects = Testing.synth(chart);
  const cm = objects.find(o => o.kind === 'ConfigMap');
  const sts = objects.find(o => o.kind === 'StatefulSet');
  const containers: Rendered['containers'] = {};
  for (const c of sts.spec.template.spec.containers) {
    containers[c.name] = {
      command: c.command,
      env: Object.fromEntries(c.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value])),
    };
  }
  return { files: cm.data, containers };
}

/** The uid and gid of the redis user, which the package creates: read once it is installed (in beforeAll), never before. */
function redisUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, 'redis'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error(`no redis user (is redis-server installed?): ${uid.stderr.trim()}`);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function cli(host: string, port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['--no-auth-warning', '--raw', '-h', host, '-p', String(port), ...args], {
    encoding: 'utf8', timeout: 5000, env: { PATH, REDISCLI_AUTH: HOSTILE_PASSWORD },
  });
  return (r.stdout ?? '').trim();
}

/** One pod's worth of members: the rendered files, a data dir (the claim) and a run dir per member. */
class RedisSet {
  /** Stops every member started in this file, then removes their directories (kept with KEEP_REDIS_DIRS=1). */
  public static async stopAll(): Promise<void> {
    await Promise.all(RedisSet.all.flatMap(s => [...s.procs.keys()].map(key => s.stop(key))));
    if (process.env.KEEP_REDIS_DIRS !== '1') for (const s of RedisSet.all) if (s.rootDir) fs.rmSync(s.rootDir, { recursive: true, force: true });
  }
  private static readonly all: RedisSet[] = [];

  private rootDir?: string;
  private readonly procs = new Map<string, ChildProcess>();
  constructor(public readonly rendered: Rendered, public readonly hosts: string[]) {
    RedisSet.all.push(this);
  }

  /**
   * The set's directories, made on first use: the describe blocks construct their sets while jest
   * collects the tests, before beforeAll has installed redis and created its user.
   */
  public get root(): string {
    if (this.rootDir) return this.rootDir;
    const root = makeTempRoot('redis-');
    const cfg = path.join(root, 'config');
    fs.mkdirSync(cfg, { mode: 0o755 });
    for (const [name, text] of Object.entries(this.rendered.files)) fs.writeFileSync(path.join(cfg, name), text, { mode: 0o444 });
    const user = redisUser();
    this.hosts.forEach((_, i) => {
      for (const d of [`data-${i}`, `run-${i}`]) {
        fs.mkdirSync(path.join(root, d), { mode: 0o700 });
        fs.chownSync(path.join(root, d), user.uid, user.gid);
      }
    });
    this.rootDir = root;
    return root;
  }

  /** The environment the pod gives container `name` of member `i`, with the loopback substitutions. */
  public env(container: string, i: number): Record<string, string> {
    return {
      PATH,
      ...this.rendered.containers[container].env,
      POD_NAME: `r-${i}`,
      REDIS_PASSWORD: HOSTILE_PASSWORD,
      REDIS_MEMBERS: this.hosts.join(' '),
      REDIS_BIND: this.hosts[i],
      REDIS_CONFIG: path.join(this.root, 'config'),
      REDIS_DATA: path.join(this.root, `data-${i}`),
      REDIS_RUN: path.join(this.root, `run-${i}`),
    };
  }

  public log(container: string, i: number): string {
    const file = path.join(this.root, `${container}-${i}.log`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  /** Start container `name` of member `i` with the manifest's command (its /etc/redis mapped to the config dir). */
  public start(container: string, i: number): void {
    const command = this.rendered.containers[container].command.map(a => a.replace(/^\/etc\/redis\//, `${path.join(this.root, 'config')}/`));
    const out = fs.openSync(path.join(this.root, `${container}-${i}.log`), 'a');
    const env = this.env(container, i);
    const child = spawn('runuser', ['-u', 'redis', '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command],
      { detached: true, stdio: ['ignore', out, out], cwd: '/' });
    fs.closeSync(out);
    this.procs.set(`${container}-${i}`, child);
  }

  /** Stop container `key` (`redis-0`): SIGTERM to its process group, as the kubelet does; SIGKILL after 15 s. */
  public async stop(key: string): Promise<void> {
    const child = this.procs.get(key);
    if (!child?.pid) return;
    this.procs.delete(key);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  public startMember(i: number): void {
    this.start('redis', i);
    if (this.rendered.containers.sentinel) this.start('sentinel', i);
  }

  public async stopMember(i: number): Promise<void> {
    await Promise.all([this.stop(`redis-${i}`), this.stop(`sentinel-${i}`)]);
  }

  /** The probe script of the manifest, run as the kubelet would (exit status 0: passing). */
  public probe(i: number, what: string): number | null {
    const env = this.env('redis', i);
    return spawnSync('runuser', ['-u', 'redis', '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'sh',
      path.join(this.root, 'config', 'redis-probe.sh'), what], { encoding: 'utf8', timeout: 5000 }).status;
  }

  public masterOf(sentinel: number): string {
    return cli(this.hosts[sentinel], 26379, 'SENTINEL', 'get-master-addr-by-name', this.rendered.containers.redis.env.REDIS_MASTER_NAME).split('\n')[0];
  }
}

function role(host: string): string {
  return /role:(\w+)/.exec(cli(host, 6379, 'INFO', 'replication'))?.[1] ?? '';
}

beforeAll(() => {
  spawnSync('sh', [ENSURE], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
}, 900_000);

afterAll(async () => {
  await RedisSet.stopAll();
}, 30_000);

describe('three members with Sentinel and the append-only file', () => {
  const rendered = render({ version: '7.4.2', replicas: 3, persistence: RedisPersistence.appendOnly(), sentinelDownAfter: Duration.seconds(2) });
  const set = new RedisSet(rendered, ['127.0.0.31', '127.0.0.32', '127.0.0.33']);

  beforeAll(async () => {
    for (const i of [0, 1, 2]) set.startMember(i);
    await waitFor('three Ready members', () => [0, 1, 2].every(i => set.probe(i, 'ready') === 0), 60_000);
    // (a Sentinel learns the replicas from the primary's INFO, every 10 seconds)
    await waitFor('three Sentinels that know each other and both replicas', () => [0, 1, 2].every(i =>
      /num-slaves\n2\n[\s\S]*num-other-sentinels\n2\n/.test(cli(set.hosts[i], 26379, 'SENTINEL', 'MASTER', 'r'))), 60_000);
  }, 130_000);

  test('ordinal 0 starts as the primary and the others follow it; a write on the primary is read on both replicas', async () => {
    // GIVEN the three members started together, with no Sentinel state
    expect(set.hosts.map(role)).toEqual(['master', 'slave', 'slave']);
    expect(cli(set.hosts[1], 6379, 'INFO', 'replication')).toMatch(/master_host:127\.0\.0\.31/);
    // WHEN a key is written on the primary
    expect(cli(set.hosts[0], 6379, 'SET', 'order:1', 'paid')).toBe('OK');
    // THEN both replicas serve it, and they refuse writes
    await waitFor('the key on both replicas', () => [1, 2].every(i => cli(set.hosts[i], 6379, 'GET', 'order:1') === 'paid'), 10_000);
    expect(cli(set.hosts[1], 6379, 'SET', 'x', 'y')).toMatch(/READONLY/);
    // AND the hostile password reached requirepass and masterauth intact (the replicas authenticated)
    expect(cli(set.hosts[0], 6379, 'INFO', 'replication')).toMatch(/connected_slaves:2/);
    expect(spawnSync('redis-cli', ['-h', set.hosts[0], 'PING'], { encoding: 'utf8', env: { PATH } }).stdout).toMatch(/NOAUTH/);
    // AND the Sentinels agree on the primary and monitor it with a majority quorum
    expect([0, 1, 2].map(i => set.masterOf(i))).toEqual(['127.0.0.31', '127.0.0.31', '127.0.0.31']);
    expect(cli(set.hosts[0], 26379, 'SENTINEL', 'MASTER', 'r')).toMatch(/\nquorum\n2\n/);
  });

  test('when the primary stops, Sentinel promotes a replica; the old primary restarts as a replica of the new one', async () => {
    // GIVEN a key on the primary
    cli(set.hosts[0], 6379, 'SET', 'order:2', 'shipped');
    await waitFor('the key on both replicas', () => [1, 2].every(i => cli(set.hosts[i], 6379, 'GET', 'order:2') === 'shipped'), 10_000);
    // WHEN member 0 (its server and its Sentinel, the whole pod) stops
    await set.stopMember(0);
    // THEN a replica whose link to the primary is down is not Ready
    await waitFor('a replica not Ready while its primary is gone', () => set.probe(1, 'ready') !== 0, 2_000, 100);
    // AND the two remaining Sentinels (a majority) promote a replica
    let promoted = '';
    await waitFor('a promotion', () => {
      promoted = set.masterOf(1);
      return promoted !== '127.0.0.31' && promoted !== '' && role(promoted) === 'master';
    }, 60_000);
    const newPrimary = set.hosts.indexOf(promoted);
    const other = newPrimary === 1 ? 2 : 1;
    await waitFor('the other replica following the new primary', () => set.probe(other, 'ready') === 0
      && cli(set.hosts[other], 6379, 'INFO', 'replication').includes(`master_host:${promoted}`), 60_000);
    expect(cli(promoted, 6379, 'GET', 'order:2')).toBe('shipped');
    // WHEN member 0 comes back (the StatefulSet recreates the pod)
    set.startMember(0);
    // THEN it asks the Sentinels, follows the new primary and is Ready once its link is up
    await waitFor('member 0 Ready as a replica', () => set.probe(0, 'ready') === 0 && role(set.hosts[0]) === 'slave', 60_000);
    expect(cli(set.hosts[0], 6379, 'INFO', 'replication')).toContain(`master_host:${promoted}`);
    expect(set.log('redis', 0)).toContain(`starting as a replica of ${promoted} 6379`);
    cli(promoted, 6379, 'SET', 'order:3', 'new');
    await waitFor('a write on the new primary read on member 0', () => cli(set.hosts[0], 6379, 'GET', 'order:3') === 'new', 10_000);
    // AND its data from before the failover is there too (its append-only file, then the sync)
    expect(cli(set.hosts[0], 6379, 'GET', 'order:2')).toBe('shipped');
    await waitFor('the Sentinels of member 0 agreeing', () => set.masterOf(0) === promoted, 30_000);
  }, 150_000);
  test('liveness fails for a replica that follows a host the Sentinels do not name; restarted, it follows the primary', async () => {
    // GIVEN a replica pointed at a host that is gone (as one the Sentinels did not know of when they failed over)
    const primaryHost = set.masterOf(0);
    const replica = set.hosts.findIndex(h => h !== primaryHost);
    expect(set.probe(replica, 'live')).toBe(0);
    expect(cli(set.hosts[replica], 6379, 'REPLICAOF', '127.0.0.99', '6379')).toBe('OK');
    // THEN its liveness probe fails (and readiness: its link is down)
    await waitFor('a failing liveness probe', () => set.probe(replica, 'live') !== 0, 5_000, 200);
    expect(set.probe(replica, 'ready')).not.toBe(0);
    // WHEN the kubelet restarts the container
    await set.stop(`redis-${replica}`);
    set.start('redis', replica);
    // THEN it asks the Sentinels and follows the primary again
    await waitFor('the replica Ready again', () => set.probe(replica, 'ready') === 0 && set.probe(replica, 'live') === 0, 30_000);
    expect(cli(set.hosts[replica], 6379, 'INFO', 'replication')).toContain(`master_host:${primaryHost}`);
  }, 60_000);

  test('a planned stop runs the preStop handover: a replica is promoted before the primary stops', async () => {
    // GIVEN the current primary (after the failover above) and the manifest's preStop hook
    const primary = set.hosts.indexOf(set.masterOf(0));
    expect(role(set.hosts[primary])).toBe('master');
    const started = Date.now();
    // WHEN the kubelet runs the hook before stopping the pod
    const hook = set.probe(primary, 'handover');
    // THEN the Sentinels name another member before the server is stopped, well within the down-after period of a crash
    expect(hook).toBe(0);
    const next = set.masterOf(primary);
    expect(next).not.toBe(set.hosts[primary]);
    expect(Date.now() - started).toBeLessThan(15_000);
    await waitFor('the new primary taking writes', () => cli(next, 6379, 'SET', 'order:4', 'handed-over') === 'OK', 10_000);
    await waitFor('the former primary following it', () => cli(set.hosts[primary], 6379, 'GET', 'order:4') === 'handed-over', 30_000);
    // AND on a replica the hook does nothing
    const replica = set.hosts.findIndex(h => h !== next);
    expect(set.probe(replica, 'handover')).toBe(0);
    expect(set.masterOf(0)).toBe(next);
  }, 60_000);
});

describe('a cache (RedisPersistence.none())', () => {
  test('a standalone cache member restarts empty, with nothing on its claim and no complaint', async () => {
    // GIVEN a standalone cache
    const rendered = render({ version: '7.4.2', persistence: RedisPersistence.none() });
    expect(rendered.containers.sentinel).toBeUndefined();
    const set = new RedisSet(rendered, ['127.0.0.41']);
    set.startMember(0);
    await waitFor('the cache Ready', () => set.probe(0, 'ready') === 0, 60_000);
    expect(cli('127.0.0.41', 6379, 'CONFIG', 'GET', 'maxmemory-policy')).toBe('maxmemory-policy\nallkeys-lru');
    expect(cli('127.0.0.41', 6379, 'CONFIG', 'GET', 'save')).toBe('save');
    for (let k = 0; k < 100; k++) cli('127.0.0.41', 6379, 'SET', `page:${k}`, 'x'.repeat(100));
    expect(cli('127.0.0.41', 6379, 'DBSIZE')).toBe('100');
    // WHEN it stops (a clean shutdown, which saves a snapshot when snapshots are on) and starts again
    await set.stopMember(0);
    expect(fs.readdirSync(path.join(set.root, 'data-0'))).toEqual([]);
    set.startMember(0);
    await waitFor('the cache Ready again', () => set.probe(0, 'ready') === 0, 60_000);
    // THEN it is empty, and neither the start script nor the server reported an error
    expect(cli('127.0.0.41', 6379, 'DBSIZE')).toBe('0');
    const log = set.log('redis', 0);
    expect(log).toContain('starting as the primary (127.0.0.41)');
    expect(log).not.toMatch(/error|fatal|Bad directive|Can't/i);
  }, 130_000);

  test('with Sentinel, the former primary restarts empty but waits for a promotion instead of emptying its replicas', async () => {
    // GIVEN three cache members with Sentinel, and keys on the primary
    const rendered = render({ version: '7.4.2', replicas: 3, persistence: RedisPersistence.none(), sentinelDownAfter: Duration.seconds(2) });
    const set = new RedisSet(rendered, ['127.0.0.51', '127.0.0.52', '127.0.0.53']);
    for (const i of [0, 1, 2]) set.startMember(i);
    await waitFor('three Ready members', () => [0, 1, 2].every(i => set.probe(i, 'ready') === 0), 60_000);
    // (a Sentinel learns the replicas from the primary's INFO, every 10 seconds)
    await waitFor('three Sentinels that know each other and both replicas', () => [0, 1, 2].every(i =>
      /num-slaves\n2\n[\s\S]*num-other-sentinels\n2\n/.test(cli(set.hosts[i], 26379, 'SENTINEL', 'MASTER', 'r'))), 60_000);
    cli(set.hosts[0], 6379, 'SET', 'session:1', 'alice');
    await waitFor('the key on both replicas', () => [1, 2].every(i => cli(set.hosts[i], 6379, 'GET', 'session:1') === 'alice'), 10_000);
    // WHEN the primary's server (not its Sentinel) crashes and the kubelet restarts it at once
    await set.stop('redis-0');
    set.start('redis', 0);
    // THEN it does not come up as an empty primary: it waits, the Sentinels promote a replica,
    // and it follows the new primary, from which it gets the keys back
    await waitFor('member 0 Ready as a replica', () => set.probe(0, 'ready') === 0 && role(set.hosts[0]) === 'slave', 60_000);
    const promoted = set.masterOf(1);
    expect(promoted).not.toBe('127.0.0.51');
    expect(set.log('redis', 0)).toMatch(/restarts empty: waiting up to \d+s for a promotion/);
    expect(cli(set.hosts[0], 6379, 'GET', 'session:1')).toBe('alice');
    expect([1, 2].map(i => cli(set.hosts[i], 6379, 'GET', 'session:1'))).toEqual(['alice', 'alice']);
    // AND no replica's full sync left a file on a cache member's claim
    await sleep(500);
    for (const i of [0, 1, 2]) expect(fs.readdirSync(path.join(set.root, `data-${i}`)).filter(f => f !== 'sentinel')).toEqual([]);
  }, 150_000);
});

describe('the shipped scripts', () => {
  test.each(['redis-start.sh', 'redis-probe.sh'])('shellcheck -s sh -S style finds nothing in %s', (name) => {
    const file = path.join(__dirname, '..', '..', 'assets', 'redis', name);
    const r = spawnSync('shellcheck', ['--shell=sh', '--severity=style', '--format=gcc', file], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
