/**
 * A real ZooKeeper ensemble started with the zoo.cfg, start script, environment and probes that
 * ConsensusCluster renders: three members keep a leader and accept writes with one member
 * stopped, and lose both with two stopped.
 *
 * The members run as local processes (Debian's ZooKeeper 3.8 jars), not pods, so the test
 * rewrites what only a pod has:
 * - each `server.N=zk-<j>.zk-headless:2888:3888` host (what the headless Service resolves to a pod
 *   IP) becomes the loopback address 127.0.0.<j+1>, and its ports free ports of that member:
 *   with `quorumListenOnAllIPs=true` a member binds every interface, so the loopback "pods"
 *   cannot share port numbers; likewise `clientPort`, and `clientPortAddress` keeps the client
 *   port on the member's own address;
 * - the claim mount /data becomes a directory laid out like a claim under fsGroup, the config
 *   volume /conf a directory with the ConfigMap's files, /tmp a private directory, and the
 *   members run as the pod's uid/gid 1000;
 * - `zkServer.sh` (the official image's launcher, which Debian patches to its own paths) is a
 *   shim that starts the same server class, `QuorumPeerMain`, with `$ZOOCFGDIR/zoo.cfg` and the
 *   heap of `ZK_SERVER_HEAP`; the start script itself (myid from the pod name) runs unchanged
 *   with bash, as the container's command does, with HOSTNAME set to the pod name.
 * The probes are the manifest's exec commands, with the loopback client port substituted.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import { asPodUser, claimDir, ensureZooKeeper, ServerProcess, within } from './servers/consensus';
import { freePort, makeTempRoot } from './servers/servers';
import { ConsensusCluster, ConsensusEngine } from '../../src/database';

const N = 3;
const UID = 1000;

interface Member {
  readonly ordinal: number;
  readonly ip: string;
  readonly clientPort: number;
  readonly claim: string;
  readonly env: Record<string, string>;
  process?: ServerProcess;
}

let root: string;
let classpath: string;
let container: any;
let configMap: any;
const members: Member[] = [];

/** Runs one of the manifest's exec probes against a member: true when it succeeds. */
function probe(kind: 'readinessProbe' | 'livenessProbe', m: Member): boolean {
  const argv: string[] = container[kind].exec.command.map((a: string) => a.replace('/dev/tcp/127.0.0.1/2181', `/dev/tcp/${m.ip}/${m.clientPort}`));
  return spawnSync(argv[0], argv.slice(1), { timeout: container[kind].timeoutSeconds * 1000 }).status === 0;
}

function fourLetterWord(m: Member, word: string): string {
  const r = spawnSync('bash', ['-c', `exec 3<>/dev/tcp/${m.ip}/${m.clientPort} && printf ${word} >&3 && cat <&3`], { encoding: 'utf8', timeout: 5000 });
  return r.stdout ?? '';
}

/** zkCli: `create <path> <data>` through the member's client port; true when it was created. */
function create(m: Member, znode: string, data: string, timeoutMs = 20_000): boolean {
  const r = spawnSync('java', ['-Xmx64m', '-cp', classpath, 'org.apache.zookeeper.ZooKeeperMain', '-server', `${m.ip}:${m.clientPort}`, 'create', znode, data],
    { encoding: 'utf8', timeout: timeoutMs });
  return r.status === 0 && new RegExp(`Created ${znode}`).test(`${r.stdout}${r.stderr}`);
}
function read(m: Member, znode: string): string {
  const r = spawnSync('java', ['-Xmx64m', '-cp', classpath, 'org.apache.zookeeper.ZooKeeperMain', '-server', `${m.ip}:${m.clientPort}`, 'get', znode],
    { encoding: 'utf8', timeout: 20_000 });
  return r.stdout ?? '';
}

function start(m: Member): void {
  const argv = asPodUser(UID, ['bash', ...container.command.slice(1)]);
  m.process = new ServerProcess(`zk-${m.ordinal}`, argv[0], argv.slice(1), m.env, path.join(root, `zk-${m.ordinal}.log`));
}

beforeAll(async () => {
  classpath = ensureZooKeeper();
  root = makeTempRoot('zookeeper-');

  // GIVEN the manifests of a three-member ZooKeeper ensemble
  const chart = Testing.chart();
  new ConsensusCluster(chart, 'zk', { engine: ConsensusEngine.zookeeper({ version: '3.9.3' }), storage: { size: Size.gibibytes(10) } });
  const objects = Testing.synth(chart);
  const sts = objects.find(o => o.kind === 'StatefulSet');
  container = sts.spec.template.spec.containers[0];
  configMap = objects.find(o => o.kind === 'ConfigMap');
  expect(container.command.slice(0, 2)).toEqual(['bash', '-c']);

  // The launcher the start script execs (see the header).
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'zkServer.sh'), [
    '#!/bin/sh',
    '[ "$1" = start-foreground ] || { echo "zkServer.sh shim: only start-foreground" >&2; exit 2; }',
    `exec java -Xmx\${ZK_SERVER_HEAP}m -Xms32m -XX:+UseSerialGC -cp '${classpath}' org.apache.zookeeper.server.quorum.QuorumPeerMain "$ZOOCFGDIR/zoo.cfg"`,
    '',
  ].join('\n'), { mode: 0o755 });

  const ips = Array.from({ length: N }, (_, i) => `127.0.0.${i + 1}`);
  const peerPorts: Array<{ quorum: number; election: number }> = [];
  for (let i = 0; i < N; i++) peerPorts.push({ quorum: await freePort(), election: await freePort() });
  const env0: Record<string, string> = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
  for (let i = 0; i < N; i++) {
    const claim = claimDir(path.join(root, `claim-${i}`), UID);
    const conf = path.join(root, `conf-${i}`);
    const tmp = claimDir(path.join(root, `tmp-${i}`), UID);
    fs.mkdirSync(conf, { mode: 0o755 });
    const clientPort = await freePort();
    const onClaim = (p: string) => p.replace(/^\/data(?=\/|$)/, claim);
    for (const [file, text] of Object.entries<string>(configMap.data)) {
      let out = text;
      if (file === 'zoo.cfg') {
        out = text
          .replace(/^(dataDir|dataLogDir)=(.*)$/mg, (_, k, v) => `${k}=${onClaim(v)}`)
          .replace(/^clientPort=2181$/m, `clientPort=${clientPort}\nclientPortAddress=${ips[i]}`)
          .replace(/^server\.(\d+)=zk-(\d+)\.zk-headless:2888:3888$/mg, (_, n, j) => `server.${n}=${ips[Number(j)]}:${peerPorts[Number(j)].quorum}:${peerPorts[Number(j)].election}`);
        expect(out).not.toMatch(/zk-headless|=\/data\b|:2888|:3888/);
      }
      fs.writeFileSync(path.join(conf, file), out, { mode: 0o644 });
    }
    const env: Record<string, string> = {
      ...env0,
      PATH: `${bin}:/usr/bin:/bin`,
      HOSTNAME: `zk-${i}`,
      ZOOCFGDIR: conf,
      ZOO_DATA_DIR: onClaim(env0.ZOO_DATA_DIR),
      ZOO_DATA_LOG_DIR: onClaim(env0.ZOO_DATA_LOG_DIR),
      ZOO_LOG_DIR: env0.ZOO_LOG_DIR.replace(/^\/tmp/, tmp),
      TMPDIR: tmp,
      HOME: tmp,
      // The shared 2-core machine: the members' heap stays small, whatever ZK_SERVER_HEAP says for a pod.
      ZK_SERVER_HEAP: '128',
    };
    members.push({ ordinal: i, ip: ips[i], clientPort, claim, env });
  }
  // WHEN all three start at once (podManagementPolicy Parallel)
  members.forEach(start);
}, 300_000);

afterAll(() => {
  ServerProcess.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const logs = () => members.map(m => `--- zk-${m.ordinal}\n${m.process?.log()}`).join('\n');
const mode = (m: Member) => /^Mode: (\w+)/m.exec(fourLetterWord(m, 'srvr'))?.[1];

test('three members write their myid, elect one leader, pass the readiness probe and accept a write', async () => {
  const formed = await within(60_000, () => members.every(m => probe('readinessProbe', m)), 500);
  if (!formed) throw new Error(`the ensemble did not become ready within 60 s:\n${logs()}`);
  expect(members.map(m => fs.readFileSync(path.join(m.env.ZOO_DATA_DIR, 'myid'), 'utf8').trim())).toEqual(['1', '2', '3']);
  expect(members.map(mode).sort()).toEqual(['follower', 'follower', 'leader']);
  expect(create(members[0], '/greeting', 'hello')).toBe(true);
  expect(read(members[2], '/greeting')).toMatch(/^hello$/m);
  // The transaction log is in dataLogDir, on the claim, written by uid 1000 through the claim's group.
  for (const m of members) {
    expect(fs.readdirSync(path.join(m.env.ZOO_DATA_LOG_DIR, 'version-2')).some(f => f.startsWith('log.'))).toBe(true);
    expect(fs.statSync(m.env.ZOO_DATA_LOG_DIR).uid).toBe(UID);
  }
}, 120_000);

test('with one member stopped, the other two keep a leader, stay ready and accept writes', async () => {
  await members[2].process!.stop();
  const survivors = members.slice(0, 2);
  const ok = await within(60_000, () => survivors.every(m => probe('readinessProbe', m)) && survivors.map(mode).sort().join() === 'follower,leader', 500);
  if (!ok) throw new Error(`two of three members lost their leader:\n${logs()}`);
  expect(create(survivors[1], '/one-down', 'still-writable')).toBe(true);
  expect(read(survivors[0], '/one-down')).toMatch(/^still-writable$/m);
}, 120_000);

test('with two members stopped, the last one serves nothing, fails readiness, refuses writes, and stays live', async () => {
  await members[1].process!.stop();
  const last = members[0];
  const lost = await within(60_000, () => !probe('readinessProbe', last), 500);
  if (!lost) throw new Error(`one member of three still passes readiness:\n${logs()}`);
  expect(fourLetterWord(last, 'srvr')).toMatch(/not currently serving requests/);
  expect(create(last, '/two-down', 'must-not-commit', 15_000)).toBe(false);
  // Liveness (ruok) needs no quorum: the kubelet does not restart a member that waits for its peers.
  expect(probe('livenessProbe', last)).toBe(true);
  expect(last.process!.exited).toBe(false);
}, 120_000);
