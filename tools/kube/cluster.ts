/**
 * A local control plane that runs workloads as far as it can without a container runtime: the real
 * kube-apiserver (control-plane.ts), kube-controller-manager and kube-scheduler of the same
 * kubestack binary, simulated nodes (node-simulator.ts) and a simulated CSI provisioner
 * (volume-provisioner.ts). Everything listens on loopback only; the controller manager and the
 * scheduler serve no port (they reach the API server with the admin kubeconfig) and log to files in
 * the cluster's directory; like the API server they exit when the process that started them dies.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { KubeClient, statusMessage } from './client';
import { ApiServer, startApiServer } from './control-plane';
import { installCrds, PodSecurityLevel } from './dry-run';
import { NodeSimulator, NodeTaint } from './node-simulator';
import { expectStatus } from './reconcile-loop';
import { VolumeProvisioner } from './volume-provisioner';

export type { SimulatedNodeSpec, NodeTaint } from './node-simulator';

export interface ClusterOptions {
  /** Simulated nodes to register at start. @default 3 */
  readonly nodes?: number;
  /** Zones the nodes are spread over, round robin (`zone-a`, `zone-b`, ...). @default nodes, at most 3 */
  readonly zones?: number;
  /** Milliseconds between a pod's binding and its containers running. @default 0 */
  readonly startDelayMs?: number;
  /** Seconds a Job's pod runs before it succeeds (Infinity: until deleted). @default 10 */
  readonly jobRunSeconds?: number;
  /** A default StorageClass `standard` served by the simulated provisioner (zonal, WaitForFirstConsumer). @default true */
  readonly defaultStorageClass?: boolean;
  readonly log?: (line: string) => void;
}

/** A running local cluster. */
export interface Cluster {
  readonly apiServer: ApiServer;
  readonly client: KubeClient;
  readonly nodes: NodeSimulator;
  /** A kubeconfig for kubectl. */
  readonly kubeconfig: string;
  /** Runs `kubestack kubectl --kubeconfig <this cluster> args...` and returns its output (throws on failure). */
  kubectl(...args: string[]): string;
  /** Server-side applies objects (namespaces they use but do not define are created, Pod Security labelled). */
  apply(objects: readonly any[], options?: ApplyOptions): Promise<void>;
  stop(): Promise<void>;
}

export interface ApplyOptions {
  /** Pod Security level of the namespaces created for the objects. @default restricted */
  readonly podSecurity?: `${PodSecurityLevel}`;
}

/** The names the simulated nodes get: node-a, node-b, ... (the examples' local volumes use these). */
export function nodeName(index: number): string {
  let name = '';
  for (let i = index; ; i = Math.floor(i / 26) - 1) {
    name = String.fromCharCode(97 + (i % 26)) + name;
    if (i < 26) break;
  }
  return `node-${name}`;
}

/** The zone of node `index` among `zones` zones. */
export function zoneName(index: number, zones: number): string {
  return `zone-${String.fromCharCode(97 + (index % zones))}`;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? (() => undefined);
  const t0 = Date.now();
  const apiServer = await startApiServer({ log });
  const phase = (what: string) => log(`cluster: ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  phase('kube-apiserver ready');
  const children: ChildProcess[] = [];
  const client = new KubeClient(apiServer);
  let nodes: NodeSimulator | undefined;
  let volumes: VolumeProvisioner | undefined;
  const loopLog = fs.createWriteStream(path.join(apiServer.dir, 'simulator.log'), { flags: 'a' });
  const stopAll = async () => {
    await nodes?.stop();
    await volumes?.stop();
    await Promise.all(children.map(stopChild));
    client.close();
    loopLog.end();
    await apiServer.stop();
  };
  try {
    const crds = installCrds(client);
    crds.catch(() => undefined); // awaited below, after the nodes register
    const common = ['--leader-elect=false', '--secure-port=0', `--kubeconfig=${apiServer.kubeconfig}`, '--v=1'];
    children.push(startChild(apiServer, 'kube-controller-manager', [
      'controller-manager',
      ...common,
      '--use-service-account-credentials=false',
      `--service-account-private-key-file=${path.join(apiServer.dir, 'sa.key')}`,
      `--root-ca-file=${path.join(apiServer.dir, 'certs', 'apiserver.crt')}`,
      '--cluster-name=cdk8s-stateful',
    ]));
    children.push(startChild(apiServer, 'kube-scheduler', ['scheduler', ...common]));

    if (options.defaultStorageClass ?? true) {
      expectStatus(await client.request('POST', '/apis/storage.k8s.io/v1/storageclasses', {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        // A zonal block-storage driver of the catalog (ReadWriteOnce/ReadWriteOncePod, zone-bound).
        provisioner: 'pd.csi.storage.gke.io',
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      }), 'StorageClass standard');
    }

    nodes = new NodeSimulator(client, {
      kubeletVersion: apiServer.version,
      startDelayMs: options.startDelayMs,
      log: line => loopLog.write(`${new Date().toISOString()} ${line}\n`),
      jobRunSeconds: options.jobRunSeconds,
    });
    const count = options.nodes ?? 3;
    const zones = Math.max(1, options.zones ?? Math.min(count, 3));
    for (let i = 0; i < count; i++) await nodes.addNode({ name: nodeName(i), zone: zoneName(i, zones) });
    nodes.start();
    await crds;
    phase(`${count} nodes registered, CRDs served`);
    volumes = new VolumeProvisioner(client, line => loopLog.write(`${new Date().toISOString()} ${line}\n`));
    volumes.start();

    // The controller manager is up once its ServiceAccount controller has made `default/default`.
    await waitUntil(async () => (await client.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
      60_000, () => `kube-controller-manager did not start:\n${tail(path.join(apiServer.dir, 'kube-controller-manager.log'))}`, children);
    phase('kube-controller-manager running');
    const sim = nodes;
    return {
      apiServer,
      client,
      nodes: sim,
      kubeconfig: apiServer.kubeconfig,
      kubectl: (...args: string[]) => kubectl(apiServer, args),
      apply: (objects, applyOptions) => apply(client, objects, applyOptions),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function startChild(apiServer: ApiServer, name: string, args: string[]): ChildProcess {
  const out = fs.openSync(path.join(apiServer.dir, `${name}.log`), 'a');
  const child = spawn(apiServer.binary, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.once('exit', () => { (child as any).exited = true; });
  (child as any).logName = name;
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, message: () => string, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = children.find(c => c.exitCode !== null);
    if (dead) throw new Error(`${(dead as any).logName} exited (${dead.exitCode}) during start`);
    if (await check().catch(() => false)) return;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(message());
}

function kubectl(apiServer: ApiServer, args: string[]): string {
  const res = spawnSync(apiServer.binary, ['kubectl', `--kubeconfig=${apiServer.kubeconfig}`, ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}

const PSA = 'pod-security.kubernetes.io/';

/** Server-side apply in dependency order: namespaces, cluster-scoped objects, then the rest. */
async function apply(client: KubeClient, objects: readonly any[], options: ApplyOptions = {}): Promise<void> {
  const level = options.podSecurity ?? PodSecurityLevel.RESTRICTED;
  const defined = new Set(objects.filter(o => o.apiVersion === 'v1' && o.kind === 'Namespace').map(o => o.metadata.name));
  const rank = (o: any) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : o.metadata?.namespace ? 3 : 2);
  const ordered = [...objects].sort((a, b) => rank(a) - rank(b));
  const ensured = new Set<string>();
  for (const o of ordered) {
    const resource = await client.resource(o.apiVersion, o.kind);
    if (!resource) throw new Error(`no kind ${o.kind} in ${o.apiVersion}`);
    const namespace = resource.namespaced ? o.metadata.namespace ?? 'default' : undefined;
    if (namespace && !defined.has(namespace) && !ensured.has(namespace)) {
      ensured.add(namespace);
      const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [`${PSA}enforce`]: level, [`${PSA}warn`]: level } } };
      if (namespace !== 'default') {
        const res = await client.request('POST', '/api/v1/namespaces', ns);
        if (res.status !== 201 && res.status !== 409) throw new Error(`namespace ${namespace}: ${statusMessage(res)}`);
      }
    }
    const url = `${client.collectionPath(o.apiVersion, resource, namespace)}/${encodeURIComponent(o.metadata.name)}?fieldManager=cdk8s-stateful&fieldValidation=Strict&force=true`;
    const res = await client.request('PATCH', url, o, 'application/apply-patch+yaml');
    if (res.status !== 200 && res.status !== 201) throw new Error(`${o.kind} ${namespace ? `${namespace}/` : ''}${o.metadata.name} refused: ${statusMessage(res)}`);
    if (o.kind === 'CustomResourceDefinition') client.forgetDiscovery();
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A taint for `nodes.addNode({ ..., taints })`. */
export function taint(key: string, effect: NodeTaint['effect'] = 'NoSchedule', value?: string): NodeTaint {
  return { key, effect, ...(value !== undefined ? { value } : {}) };
}
