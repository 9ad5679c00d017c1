/**
 * A real three-member Cassandra ring started with the cassandra.yaml, cassandra-rackdc.properties,
 * logback.xml, start script and preStop command that CassandraRing renders: a keyspace with RF 3
 * takes QUORUM writes and reads with one member drained and stopped, and refuses them with two down.
 *
 * The members are local JVMs (cassandra-all from Maven Central, this machine's JDK 17), not pods,
 * so the test rewrites what only a pod has:
 * - the seeds `ring-<i>.ring-headless` (what the headless Service resolves to a pod IP) become the
 *   loopback addresses 127.0.0.<i+1>, and `listen_address` / `rpc_address` (unset in the manifest:
 *   a pod resolves its own name to its IP) are set to them, since this machine has one hostname;
 * - /var/lib/cassandra (the claim) and /etc/cassandra-rendered (the ConfigMap) become directories
 *   of the member; `num_tokens` drops to 4 and the JVM gets `skip_wait_for_gossip_to_settle=0`,
 *   a 1 s ring delay and C1 only, so three members start in time on two busy cores;
 * - `cassandra` (the image's launcher) is a shim that runs CassandraDaemon with the heap of
 *   MAX_HEAP_SIZE, the JDK 17 options of conf/jvm17-server.options and the -D options the start
 *   script passes; `getent` answers for the member names; `nodetool` runs the jar's NodeTool
 *   against the member's JMX port. The start script itself runs unchanged with bash.
 * The members start one after the other, each once the previous is Ready (OrderedReady), and
 * readiness is the manifest's probe: a TCP connection to the CQL port.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Client, types } from 'cassandra-driver';
import { Size, Testing } from 'cdk8s';
import { ensureCassandra, JVM17_OPTIONS } from './servers/cassandra';
import { ServerProcess, within } from './servers/consensus';
import { freePort, makeTempRoot } from './servers/servers';
import { CassandraRing } from '../../src/database';

const VERSION = '5.0.4';
const N = 3;

interface Member {
  readonly ordinal: number;
  readonly ip: string;
  readonly jmxPort: number;
  readonly env: Record<string, string>;
  readonly script: string;
  process?: ServerProcess;
}

let root: string;
let lib: string;
let container: any;
let client: Client | undefined;
const members: Member[] = [];

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** The manifest's readiness probe (tcpSocket on the `cql` port) against a member. */
function ready(m: Member): Promise<boolean> {
  const cql = container.ports.find((p: any) => p.name === container.readinessProbe.tcpSocket.port).containerPort;
  return tcpOpen(m.ip, cql, container.readinessProbe.timeoutSeconds * 1000);
}

async function startAndWait(m: Member): Promise<void> {
  m.process = new ServerProcess(`cassandra-${m.ordinal}`, 'bash', ['-c', m.script], m.env, path.join(root, `cassandra-${m.ordinal}.log`));
  if (!await within(150_000, async () => m.process!.exited || await ready(m), 1000) || m.process.exited) throw new Error(`member ${m.ordinal} not ready within 150 s:\n${m.process.log()}`);
}

const logs = () => members.map(m => `--- cassandra-${m.ordinal}\n${m.process?.log()}`).join('\n');

async function write(id: number, consistency: number): Promise<void> {
  await client!.execute('INSERT INTO shop.orders (id, item) VALUES (?, ?)', [id, `item-${id}`], { prepare: true, consistency });
}
async function read(id: number, consistency: number): Promise<string | undefined> {
  const r = await client!.execute('SELECT item FROM shop.orders WHERE id = ?', [id], { prepare: true, consistency });
  return r.first()?.item;
}

beforeAll(async () => {
  lib = ensureCassandra(VERSION);
  root = makeTempRoot('cassandra-');

  // GIVEN the manifests of a three-member ring (1Gi limit: a 512 MiB heap)
  const chart = Testing.chart();
  new CassandraRing(chart, 'ring', { version: VERSION, datacenter: 'loop-dc', rack: 'loop-rack', resources: { memory: Size.gibibytes(1), memoryLimit: Size.gibibytes(1) }, storage: { size: Size.gibibytes(10) } });
  const objects = Testing.synth(chart);
  const sts = objects.find(o => o.kind === 'StatefulSet');
  container = sts.spec.template.spec.containers[0];
  const data: Record<string, string> = objects.find(o => o.kind === 'ConfigMap').data;
  expect(container.command.slice(0, 2)).toEqual(['bash', '-c']);
  const env0: Record<string, string> = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
  expect(env0.MAX_HEAP_SIZE).toBe('512M');

  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  const java = ['java', ...JVM17_OPTIONS, `-javaagent:${lib}/jamm-0.4.0.jar`, '-cp', `'${lib}/*'`].join(' ');
  fs.writeFileSync(path.join(bin, 'cassandra'), [
    '#!/bin/bash',
    '[ "$1" = -f ] || { echo "cassandra shim: only -f" >&2; exit 2; }; shift',
    `exec ${java} -Xms"$MAX_HEAP_SIZE" -Xmx"$MAX_HEAP_SIZE" -XX:+UseG1GC -XX:TieredStopAtLevel=1 -XX:ActiveProcessorCount=2 -Xss512k \\`,
    '  -Dcassandra-foreground=yes -Dcassandra.jmx.local.port="$JMX_PORT" -Dcom.sun.management.jmxremote.authenticate=false \\',
    '  -Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=1000 -Dcassandra.superuser_setup_delay_ms=0 \\',
    '  -Djava.io.tmpdir="$TMPDIR" "$@" org.apache.cassandra.service.CassandraDaemon',
    '',
  ].join('\n'), { mode: 0o755 });
  const hosts = Array.from({ length: N }, (_, i) => `ring-${i}.ring-headless) echo "127.0.0.${i + 1} $2" ;;`).join(' ');
  fs.writeFileSync(path.join(bin, 'getent'), `#!/bin/bash\ncase "$2" in ${hosts} *) exit 2 ;; esac\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'nodetool'), `#!/bin/bash\nexec ${java} -Xmx128m -Dlogback.configurationFile=logback-tools.xml org.apache.cassandra.tools.NodeTool -h 127.0.0.1 -p "$JMX_PORT" "$@"\n`, { mode: 0o755 });

  for (let i = 0; i < N; i++) {
    const ip = `127.0.0.${i + 1}`;
    const dir = path.join(root, `member-${i}`);
    const conf = path.join(dir, 'conf');
    const tmp = path.join(dir, 'tmp');
    for (const d of [conf, tmp, path.join(dir, 'data'), path.join(dir, 'logs')]) fs.mkdirSync(d, { recursive: true });
    for (const [file, text] of Object.entries(data)) {
      let out = text;
      if (file === 'cassandra.yaml') {
        out = text
          .replace(/ring-(\d)\.ring-headless/g, (_, j) => `127.0.0.${Number(j) + 1}`)
          .replace(/\/var\/lib\/cassandra/g, path.join(dir, 'data'))
          .replace(/^num_tokens: \d+$/m, 'num_tokens: 4')
          + `listen_address: ${ip}\nrpc_address: ${ip}\n`;
        expect(out).not.toMatch(/ring-headless|\/var\/lib\/cassandra/);
      }
      fs.writeFileSync(path.join(conf, file), out);
    }
    const script = container.command[2].replace(/\/etc\/cassandra-rendered/g, conf);
    const jmxPort = await freePort();
    const env: Record<string, string> = {
      ...env0,
      PATH: `${bin}:/usr/bin:/bin`,
      HOSTNAME: `ring-${i}`,
      CASSANDRA_LOG_DIR: path.join(dir, 'logs'),
      TMPDIR: tmp,
      HOME: tmp,
      JMX_PORT: String(jmxPort),
    };
    members.push({ ordinal: i, ip, jmxPort, script, env });
  }
  // WHEN the members start one at a time, each once the previous is Ready (OrderedReady)
  for (const m of members) await startAndWait(m);
  client = new Client({ contactPoints: members.map(m => m.ip), localDataCenter: 'loop-dc', socketOptions: { readTimeout: 8000 } });
  await client.connect();
}, 480_000);

afterAll(async () => {
  await client?.shutdown().catch(() => undefined);
  ServerProcess.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 30_000);

test('three members form one ring in the declared datacenter and rack and take QUORUM writes and reads on an RF 3 keyspace', async () => {
  const local = (await client!.execute('SELECT cluster_name, data_center, rack FROM system.local')).first();
  expect({ cluster: local.cluster_name, dc: local.data_center, rack: local.rack }).toEqual({ cluster: 'ring', dc: 'loop-dc', rack: 'loop-rack' });
  const peers = await within(30_000, async () => (await client!.execute('SELECT peer FROM system.peers')).rowLength === 2, 1000);
  expect(peers).toBe(true);
  await client!.execute("CREATE KEYSPACE shop WITH replication = {'class': 'NetworkTopologyStrategy', 'loop-dc': 3}");
  await client!.execute('CREATE TABLE shop.orders (id int PRIMARY KEY, item text)');
  for (let id = 1; id <= 5; id++) await write(id, types.consistencies.quorum);
  expect(await read(3, types.consistencies.all)).toBe('item-3');
}, 120_000);

test('with one member drained by the preStop command and stopped, QUORUM writes and reads succeed', async () => {
  const m = members[2];
  const preStop: string[] = container.lifecycle.preStop.exec.command;
  const r = spawnSync(preStop[0], preStop.slice(1), { env: m.env, encoding: 'utf8', timeout: 90_000 });
  if (r.status !== 0) throw new Error(`${preStop.join(' ')} failed: ${r.stdout}${r.stderr}`);
  // THEN the drained member fails readiness (CQL closed) before it is stopped
  expect(await within(20_000, async () => !(await ready(m)), 500)).toBe(true);
  await m.process!.stop();
  for (let id = 10; id <= 15; id++) await write(id, types.consistencies.quorum);
  expect(await read(12, types.consistencies.quorum)).toBe('item-12');
  expect(await read(1, types.consistencies.quorum)).toBe('item-1');
}, 180_000);

test('with two members down, QUORUM writes and reads fail while ONE still answers', async () => {
  // WHEN a second member crashes (no drain)
  members[1].process!.kill('SIGKILL');
  // THEN, once the survivor's failure detector convicts it, QUORUM is unavailable
  let lastError = '';
  const refused = await within(60_000, async () => {
    try {
      await write(100, types.consistencies.quorum);
      return false;
    } catch (e: any) {
      lastError = `${e.name}: ${e.message}`;
      return /Unavailable|NoHostAvailable|Cannot achieve consistency/i.test(lastError);
    }
  }, 1000);
  if (!refused) throw new Error(`QUORUM write not refused with two of three down (last: ${lastError}):\n${logs()}`);
  await expect(read(1, types.consistencies.quorum)).rejects.toThrow();
  // ONE is served by the last member: the refusal is the quorum, not a dead server.
  expect(await read(1, types.consistencies.one)).toBe('item-1');
}, 120_000);
