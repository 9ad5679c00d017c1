/**
 * A real etcd cluster started with the flags ConsensusCluster renders: three members keep a leader
 * and accept writes with one member stopped, and lose both with two stopped.
 *
 * The members run as local processes, not pods, so the test rewrites what only a pod has:
 * - `$(POD_NAME)` and `$(POD_NAMESPACE)` are expanded as the kubelet does (`kv-<i>`, `ns`);
 * - every member DNS name `kv-<j>.kv-headless.ns.svc` (what the headless Service resolves to a pod
 *   IP) becomes the loopback address 127.0.0.<j+1>, and each standard port (2379 client, 2380
 *   peer, 2381 metrics) a free port of that member, since the loopback "pods" share one port space;
 * - the listen addresses `0.0.0.0` become the member's own 127.0.0.<i+1> (a pod binds all its
 *   interfaces; here that would collide);
 * - the claim mount /var/lib/etcd becomes a directory laid out like a claim under fsGroup, and the
 *   server runs as the pod's uid/gid 65532 (the probes are the manifest's own paths and port).
 * Everything else (member names, --initial-cluster, state, token, data and WAL directories,
 * compaction) is the rendered configuration, unchanged.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import { asPodUser, claimDir, ensureEtcd, etcdModuleVersion, ServerProcess, within } from './servers/consensus';
import { freePort, makeTempRoot } from './servers/servers';
import { ConsensusCluster, ConsensusEngine } from '../../src/database';

const N = 3;
const UID = 65532;

interface Member {
  readonly ordinal: number;
  readonly ip: string;
  readonly ports: Record<number, number>;
  readonly dir: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  process?: ServerProcess;
}

let root: string;
let binary: string;
let container: any;
let probes: { ready: string; live: string };
const members: Member[] = [];

async function http(url: string, init: RequestInit = {}, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

const metrics = (m: Member) => `http://${m.ip}:${m.ports[2381]}`;
const client = (m: Member) => `http://${m.ip}:${m.ports[2379]}`;

async function ready(m: Member): Promise<boolean> {
  return (await http(metrics(m) + probes.ready)).status === 200;
}
async function live(m: Member): Promise<boolean> {
  return (await http(metrics(m) + probes.live)).status === 200;
}
async function hasLeader(m: Member): Promise<boolean> {
  return /^etcd_server_has_leader 1$/m.test((await http(metrics(m) + '/metrics')).body);
}
/** A write through the gRPC gateway of the client port: true when committed (a quorum acknowledged it). */
async function put(m: Member, key: string, value: string, timeoutMs = 5000): Promise<boolean> {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  try {
    const r = await http(client(m) + '/v3/kv/put', { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }) }, timeoutMs);
    return r.status === 200 && /"header"/.test(r.body) && !/"error"|"code"/.test(r.body);
  } catch {
    return false;
  }
}
async function get(m: Member, key: string): Promise<string | undefined> {
  const r = await http(client(m) + '/v3/kv/range', { method: 'POST', body: JSON.stringify({ key: Buffer.from(key).toString('base64') }) });
  const kv = JSON.parse(r.body).kvs?.[0];
  return kv ? Buffer.from(kv.value, 'base64').toString() : undefined;
}

function start(m: Member): void {
  m.process = new ServerProcess(`kv-${m.ordinal}`, asPodUser(UID, [])[0], [...asPodUser(UID, [binary, ...m.args]).slice(1)],
    { PATH: '/usr/bin:/bin', ...m.env }, path.join(root, `kv-${m.ordinal}.log`));
}

beforeAll(async () => {
  binary = ensureEtcd();
  root = makeTempRoot('etcd-');
  // The binary where uid 65532 can run it (the cache may sit under a private home).
  fs.copyFileSync(binary, path.join(root, 'etcd'));
  fs.chmodSync(path.join(root, 'etcd'), 0o755);
  binary = path.join(root, 'etcd');

  // GIVEN the manifests of a three-member etcd cluster
  const chart = Testing.chart();
  new ConsensusCluster(chart, 'kv', { engine: ConsensusEngine.etcd({ version: etcdModuleVersion().slice(1) }), storage: { size: Size.gibibytes(8) } });
  const sts = Testing.synth(chart).find(o => o.kind === 'StatefulSet');
  container = sts.spec.template.spec.containers[0];
  probes = { ready: container.readinessProbe.httpGet.path, live: container.livenessProbe.httpGet.path };
  expect(container.readinessProbe.httpGet.port).toBe('metrics');

  const ips = Array.from({ length: N }, (_, i) => `127.0.0.${i + 1}`);
  const ports: Array<Record<number, number>> = [];
  for (let i = 0; i < N; i++) ports.push({ 2379: await freePort(), 2380: await freePort(), 2381: await freePort() });
  for (let i = 0; i < N; i++) {
    const dir = claimDir(path.join(root, `claim-${i}`), UID);
    const expand = (a: string) => a
      .replace(/\$\(POD_NAME\)/g, `kv-${i}`).replace(/\$\(POD_NAMESPACE\)/g, 'ns')
      .replace(/kv-(\d+)\.kv-headless\.ns\.svc:(\d+)/g, (_, j, p) => `${ips[Number(j)]}:${ports[Number(j)][Number(p)]}`)
      .replace(/0\.0\.0\.0:(\d+)/g, (_, p) => `${ips[i]}:${ports[i][Number(p)]}`)
      .replace(/=\/var\/lib\/etcd\//g, `=${dir}/`);
    const args: string[] = container.args.map(expand);
    for (const a of args) expect(a).not.toMatch(/\$\(|0\.0\.0\.0|\.svc|\/var\/lib\/etcd/);
    const env = Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    members.push({ ordinal: i, ip: ips[i], ports: ports[i], dir, args, env });
  }
  // WHEN all three start at once (podManagementPolicy Parallel)
  members.forEach(start);
}, 300_000);

afterAll(() => {
  ServerProcess.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const logs = () => members.map(m => `--- kv-${m.ordinal}\n${m.process?.log()}`).join('\n');

test('three members form a cluster, elect a leader, become ready and accept a write', async () => {
  const formed = await within(60_000, async () => (await Promise.all(members.map(ready))).every(Boolean));
  if (!formed) throw new Error(`the cluster did not become ready within 60 s:\n${logs()}`);
  expect(await Promise.all(members.map(hasLeader))).toEqual([true, true, true]);
  expect(await put(members[0], 'greeting', 'hello')).toBe(true);
  expect(await get(members[2], 'greeting')).toBe('hello');
  // The members are the pods' names, and data and WAL live in the two directories on the claim,
  // written by uid 65532 through the claim's group.
  const status = await http(client(members[0]) + '/v3/cluster/member/list', { method: 'POST', body: '{}' });
  expect(JSON.parse(status.body).members.map((m: any) => m.name).sort()).toEqual(['kv-0', 'kv-1', 'kv-2']);
  for (const m of members) {
    expect(fs.existsSync(path.join(m.dir, 'data', 'member', 'snap'))).toBe(true);
    expect(fs.readdirSync(path.join(m.dir, 'wal')).some(f => f.endsWith('.wal'))).toBe(true);
    expect(fs.statSync(path.join(m.dir, 'wal')).uid).toBe(UID);
  }
}, 90_000);

test('with one member stopped, the other two keep a leader, stay ready and accept writes', async () => {
  await members[2].process!.stop();
  const survivors = members.slice(0, 2);
  const ok = await within(60_000, async () => (await Promise.all(survivors.map(hasLeader))).every(Boolean)
    && (await Promise.all(survivors.map(ready))).every(Boolean) && put(survivors[1], 'one-down', 'still-writable'));
  if (!ok) throw new Error(`two of three members lost their leader or refused writes:\n${logs()}`);
  expect(await get(survivors[0], 'one-down')).toBe('still-writable');
}, 90_000);

test('with two members stopped, the last one has no leader, is not ready, refuses writes, and stays live', async () => {
  await members[1].process!.stop();
  const last = members[0];
  const lost = await within(60_000, async () => !(await hasLeader(last)) && !(await ready(last).catch(() => false)));
  if (!lost) throw new Error(`one member of three still claims a leader or readiness:\n${logs()}`);
  expect(await put(last, 'two-down', 'must-not-commit', 5000)).toBe(false);
  // Liveness needs no quorum: the kubelet does not restart a member that waits for its peers.
  expect(await live(last)).toBe(true);
  expect(last.process!.exited).toBe(false);
}, 90_000);
