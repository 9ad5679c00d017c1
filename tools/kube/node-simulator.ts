/**
 * Simulated nodes: what a kubelet tells the control plane, without a container runtime.
 *
 * Each node is a real Node object (hostname, zone and region labels, capacity and allocatable,
 * the kubelet's conditions, addresses, node info) with a Lease in kube-node-lease renewed every
 * 10 s, so the node lifecycle controller keeps it Ready. For the pods the scheduler binds to these
 * nodes the simulator does the kubelet's part of the pod lifecycle:
 *
 * - a pod whose Secrets or ConfigMaps (volumes, env, envFrom; not optional) are missing stays
 *   Pending (ContainerCreating / CreateContainerConfigError, with the kubelet's event);
 * - otherwise, after `startDelayMs`, it becomes Running and Ready: init containers terminated
 *   (Completed), sidecars and containers running, ready and started, a pod IP from the node's
 *   pod CIDR (the node IP for hostNetwork pods) and every condition the kubelet sets;
 * - pods of Jobs succeed after `jobRunSeconds` (never when Infinity);
 * - a graceful delete (deletionTimestamp set) is finalized at once (a DELETE with grace 0 and
 *   the pod's uid as precondition), as a kubelet does when the containers have stopped.
 *
 * Probes are not run: a pod is Ready as soon as it runs.
 */
import { createHash, randomUUID } from 'crypto';
import { KubeClient } from './client';
import { expectStatus, nowMicroTime, nowTime, recordEvent, ReconcileLoop } from './reconcile-loop';

/** A taint, as in a Node's spec. */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One simulated node. */
export interface SimulatedNodeSpec {
  readonly name: string;
  /** `topology.kubernetes.io/zone` */
  readonly zone: string;
  /** `topology.kubernetes.io/region` @default 'sim-region-1' */
  readonly region?: string;
  /** @default '4' */
  readonly cpu?: string;
  /** @default '16Gi' */
  readonly memory?: string;
  /** @default 110 */
  readonly maxPods?: number;
  readonly taints?: readonly NodeTaint[];
  /** Extra labels. */
  readonly labels?: Record<string, string>;
}

export interface NodeSimulatorOptions {
  /** Kubernetes version the nodes report as their kubelet's. */
  readonly kubeletVersion: string;
  /** Milliseconds between a pod's binding and its containers running. @default 0 */
  readonly startDelayMs?: number;
  /** Seconds a Job's pod runs before it succeeds (Infinity: until deleted). @default 10 */
  readonly jobRunSeconds?: number;
  /** Where to report errors of the loop. */
  readonly log?: (line: string) => void;
}

const COMPONENT = 'kubelet';
const LEASE_SECONDS = 40;
const LEASE_RENEW_MS = 10_000;
const STATUS_REPORT_MS = 60_000;

interface NodeState {
  readonly spec: SimulatedNodeSpec;
  readonly index: number;
  readonly ip: string;
  nextPodIp: number;
  /** The Node's uid: the Lease's owner, so that it goes with the Node. */
  uid?: string;
}

interface PodState {
  readonly seenAt: number;
  ip?: string;
  startedAt?: string;
  blockedReason?: string;
  finalizing?: boolean;
}

export class NodeSimulator {
  /** Seconds a Job's pod runs before it succeeds (Infinity: until deleted). Tests may change it. */
  public jobRunSeconds: number;
  /** Milliseconds between a pod's binding and its containers running. Tests may change it. */
  public startDelayMs: number;

  private readonly nodes = new Map<string, NodeState>();
  private readonly pods = new Map<string, PodState>();
  private readonly podLoop: ReconcileLoop;
  private readonly heartbeatLoop: ReconcileLoop;
  private lastStatusReport = Date.now();
  private nodeCount = 0;

  constructor(private readonly client: KubeClient, private readonly options: NodeSimulatorOptions) {
    this.jobRunSeconds = options.jobRunSeconds ?? 10;
    this.startDelayMs = options.startDelayMs ?? 0;
    const onError = (error: unknown) => options.log?.(`node simulator: ${error instanceof Error ? error.message : String(error)}`);
    this.podLoop = new ReconcileLoop(200, () => this.syncPods(), onError);
    this.heartbeatLoop = new ReconcileLoop(LEASE_RENEW_MS, () => this.heartbeat(), onError);
  }

  /** Names of the simulated nodes. */
  get nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  start(): void {
    this.podLoop.start();
    this.heartbeatLoop.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.podLoop.stop(), this.heartbeatLoop.stop()]);
  }

  /** Registers a node (Node object, status, Lease), as a kubelet does when it starts. */
  async addNode(spec: SimulatedNodeSpec): Promise<void> {
    if (this.nodes.has(spec.name)) throw new Error(`node ${spec.name} is already simulated`);
    const index = ++this.nodeCount;
    const state: NodeState = { spec, index, ip: `10.0.${Math.floor(index / 250)}.${(index % 250) + 2}`, nextPodIp: 2 };
    const created = expectStatus(await this.client.request('POST', '/api/v1/nodes', this.nodeObject(state)), `node ${spec.name}`);
    // The create keeps the status a kubelet registers with; report it again through the status
    // subresource so the conditions carry this moment's heartbeat.
    expectStatus(await this.client.request('PATCH', `/api/v1/nodes/${spec.name}/status`, { status: this.nodeStatus(state) }, 'application/merge-patch+json'), `node ${spec.name} status`);
    state.uid = created.body.metadata.uid;
    this.nodes.set(spec.name, state);
    await this.renewLease(state);
  }

  /** Removes a node (its Lease goes with it, by owner reference); its pods are left to the pod GC. */
  async deleteNode(name: string): Promise<void> {
    this.nodes.delete(name);
    expectStatus(await this.client.request('DELETE', `/api/v1/nodes/${name}`), `delete node ${name}`, [200, 202, 404]);
  }

  private nodeObject(state: NodeState): any {
    const { spec } = state;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: spec.name,
        labels: {
          'kubernetes.io/hostname': spec.name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'topology.kubernetes.io/zone': spec.zone,
          'topology.kubernetes.io/region': spec.region ?? 'sim-region-1',
          'node.kubernetes.io/instance-type': 'simulated',
          ...spec.labels,
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'cdk8s-stateful.dev/simulated': 'true' },
      },
      spec: {
        podCIDR: this.podCidr(state),
        podCIDRs: [this.podCidr(state)],
        providerID: `simulated://${spec.name}`,
        ...(spec.taints?.length ? { taints: spec.taints.map(t => ({ ...t })) } : {}),
      },
      status: this.nodeStatus(state),
    };
  }

  private podCidr(state: NodeState): string {
    return `10.244.${state.index}.0/24`;
  }

  private nodeStatus(state: NodeState): any {
    const { spec } = state;
    const time = nowTime();
    const cpu = spec.cpu ?? '4';
    const memory = spec.memory ?? '16Gi';
    const pods = String(spec.maxPods ?? 110);
    const condition = (type: string, status: string, reason: string, message: string) =>
      ({ type, status, reason, message, lastHeartbeatTime: time, lastTransitionTime: time });
    const machine = createHash('sha256').update(spec.name).digest('hex').slice(0, 32);
    return {
      // Like a kubelet with its default reservations: allocatable is capacity minus system-reserved.
      capacity: { 'cpu': cpu, 'memory': memory, 'pods': pods, 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' },
      allocatable: { 'cpu': reserve(cpu, 100, 'm'), 'memory': reserve(memory, 256, 'Mi'), 'pods': pods, 'ephemeral-storage': '95Gi', 'hugepages-2Mi': '0' },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status (simulated node: no container runtime)'),
      ],
      addresses: [{ type: 'InternalIP', address: state.ip }, { type: 'Hostname', address: spec.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: machine,
        systemUUID: `${machine.slice(0, 8)}-${machine.slice(8, 12)}-${machine.slice(12, 16)}-${machine.slice(16, 20)}-${machine.slice(20, 32)}`,
        bootID: randomUUID(),
        kernelVersion: 'simulated',
        osImage: 'cdk8s-stateful simulated node',
        containerRuntimeVersion: 'simulated://0',
        kubeletVersion: this.options.kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    };
  }

  private async renewLease(state: NodeState): Promise<void> {
    const nodeUid = state.uid;
    const name = state.spec.name;
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: 'kube-node-lease',
        ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }] } : {}),
      },
      spec: { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime: nowMicroTime() },
    };
    expectStatus(await this.client.request('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}?fieldManager=kubelet&force=true`, lease, 'application/apply-patch+yaml'), `lease ${name}`);
  }

  private async heartbeat(): Promise<void> {
    const reportStatus = Date.now() - this.lastStatusReport >= STATUS_REPORT_MS;
    for (const state of this.nodes.values()) {
      await this.renewLease(state);
      if (reportStatus) {
        const time = nowTime();
        const node = await this.client.request('GET', `/api/v1/nodes/${state.spec.name}`);
        if (node.status !== 200) continue;
        const conditions = (node.body.status?.conditions ?? []).map((c: any) => ({ ...c, lastHeartbeatTime: time }));
        await this.client.request('PATCH', `/api/v1/nodes/${state.spec.name}/status`, { status: { conditions } }, 'application/merge-patch+json');
      }
    }
    if (reportStatus) this.lastStatusReport = Date.now();
  }

  private async syncPods(): Promise<void> {
    if (this.nodes.size === 0) return;
    const res = await this.client.request('GET', '/api/v1/pods');
    if (res.status !== 200) return;
    const live = new Set<string>();
    for (const pod of res.body.items as any[]) {
      const node = this.nodes.get(pod.spec?.nodeName);
      if (!node) continue;
      const uid = pod.metadata.uid;
      live.add(uid);
      let state = this.pods.get(uid);
      if (!state) {
        state = { seenAt: Date.now() };
        this.pods.set(uid, state);
      }
      if (pod.metadata.deletionTimestamp) {
        await this.finalize(pod, state);
      } else if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
        continue;
      } else if (!state.startedAt) {
        if (Date.now() - state.seenAt >= this.startDelayMs) await this.startPod(pod, node, state);
      } else if (isJobPod(pod) && Number.isFinite(this.jobRunSeconds) && Date.now() - Date.parse(state.startedAt) >= this.jobRunSeconds * 1000) {
        await this.completePod(pod);
      }
    }
    for (const uid of this.pods.keys()) if (!live.has(uid)) this.pods.delete(uid);
  }

  private async finalize(pod: any, state: PodState): Promise<void> {
    if (state.finalizing) return;
    state.finalizing = true;
    const { namespace, name, uid } = pod.metadata;
    const res = await this.client.request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, {
      apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid },
    });
    // A pod with finalizers (Job tracking) stays until its controller removes them: retry later.
    if (res.status !== 200 && res.status !== 404 && res.status !== 409) state.finalizing = false;
    else setTimeout(() => { state.finalizing = false; }, 2000);
  }

  private async startPod(pod: any, node: NodeState, state: PodState): Promise<void> {
    const missing = await this.missingReferences(pod);
    if (missing) {
      if (state.blockedReason !== missing.message) {
        state.blockedReason = missing.message;
        await this.patchStatus(pod, this.waitingStatus(pod, node, missing.reason, missing.message));
        await recordEvent(this.client, { ...pod, kind: 'Pod', apiVersion: 'v1' }, 'Warning', missing.event, missing.message, COMPONENT);
      }
      return;
    }
    state.ip ??= pod.spec.hostNetwork ? node.ip : this.allocateIp(node);
    const startedAt = nowTime();
    const ok = await this.patchStatus(pod, this.runningStatus(pod, node, state.ip, startedAt));
    if (ok) state.startedAt = startedAt;
  }

  private allocateIp(node: NodeState): string {
    const host = node.nextPodIp;
    node.nextPodIp = host >= 254 ? 2 : host + 1;
    return `10.244.${node.index}.${host}`;
  }

  private async patchStatus(pod: any, status: any): Promise<boolean> {
    const { namespace, name, uid } = pod.metadata;
    const res = await this.client.request('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`,
      { metadata: { uid }, status }, 'application/merge-patch+json');
    return res.status === 200;
  }

  private baseConditions(pod: any, ready: boolean, reason?: string, message?: string): any[] {
    const time = nowTime();
    const scheduled = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled')
      ?? { type: 'PodScheduled', status: 'True', lastTransitionTime: time };
    const notReady = ready ? {} : { reason: reason ?? 'ContainersNotReady', message: message ?? 'containers with unready status' };
    return [
      { type: 'PodReadyToStartContainers', status: ready ? 'True' : 'False', lastTransitionTime: time },
      { type: 'Initialized', status: 'True', lastTransitionTime: time },
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: time, ...notReady },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: time, ...notReady },
      scheduled,
    ];
  }

  private runningStatus(pod: any, node: NodeState, ip: string, startedAt: string): any {
    const initContainers: any[] = pod.spec.initContainers ?? [];
    return {
      phase: 'Running',
      conditions: this.baseConditions(pod, true),
      hostIP: node.ip,
      hostIPs: [{ ip: node.ip }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: pod.status?.startTime ?? startedAt,
      ...(initContainers.length ? {
        initContainerStatuses: initContainers.map(c => c.restartPolicy === 'Always'
          ? containerStatus(pod, c, { running: { startedAt } }, true)
          : containerStatus(pod, c, { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: startedAt } }, true, false)),
      } : {}),
      containerStatuses: (pod.spec.containers as any[]).map(c => containerStatus(pod, c, { running: { startedAt } }, true)),
    };
  }

  private waitingStatus(pod: any, node: NodeState, reason: string, message: string): any {
    return {
      phase: 'Pending',
      conditions: this.baseConditions(pod, false),
      hostIP: node.ip,
      hostIPs: [{ ip: node.ip }],
      startTime: pod.status?.startTime ?? nowTime(),
      containerStatuses: (pod.spec.containers as any[]).map(c => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: reason === 'ContainerCreating' ? { reason } : { reason, message } },
      })),
    };
  }

  private async completePod(pod: any): Promise<void> {
    const time = nowTime();
    const terminated = { terminated: { exitCode: 0, reason: 'Completed', startedAt: pod.status?.startTime ?? time, finishedAt: time } };
    const conditions = this.baseConditions(pod, false, 'PodCompleted', '').map(c => (c.type === 'Ready' || c.type === 'ContainersReady') ? { type: c.type, status: 'False', reason: 'PodCompleted', lastTransitionTime: time } : c);
    await this.patchStatus(pod, {
      phase: 'Succeeded',
      conditions,
      containerStatuses: (pod.spec.containers as any[]).map(c => containerStatus(pod, c, terminated, false, false)),
    });
  }

  /** The first Secret, ConfigMap or key the pod needs and the namespace lacks (what a kubelet waits for). */
  private async missingReferences(pod: any): Promise<{ reason: string; event: string; message: string } | undefined> {
    const namespace = pod.metadata.namespace;
    const cache = new Map<string, any>();
    const get = async (kind: 'secrets' | 'configmaps', name: string) => {
      const key = `${kind}/${name}`;
      if (!cache.has(key)) {
        const res = await this.client.request('GET', `/api/v1/namespaces/${namespace}/${kind}/${name}`);
        cache.set(key, res.status === 200 ? res.body : undefined);
      }
      return cache.get(key);
    };
    const label = (kind: 'secrets' | 'configmaps') => (kind === 'secrets' ? 'secret' : 'configmap');
    // Volumes first: the kubelet mounts them before it creates any container.
    for (const v of pod.spec.volumes ?? []) {
      const refs: Array<[kind: 'secrets' | 'configmaps', name: string, optional: boolean]> = [];
      if (v.secret) refs.push(['secrets', v.secret.secretName, v.secret.optional === true]);
      if (v.configMap) refs.push(['configmaps', v.configMap.name, v.configMap.optional === true]);
      for (const s of v.projected?.sources ?? []) {
        if (s.secret) refs.push(['secrets', s.secret.name, s.secret.optional === true]);
        if (s.configMap) refs.push(['configmaps', s.configMap.name, s.configMap.optional === true]);
      }
      for (const [kind, name, optional] of refs) {
        if (!optional && !(await get(kind, name))) {
          return { reason: 'ContainerCreating', event: 'FailedMount', message: `MountVolume.SetUp failed for volume "${v.name}" : ${label(kind)} "${name}" not found` };
        }
      }
    }
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      for (const from of c.envFrom ?? []) {
        const ref = from.secretRef ? ['secrets', from.secretRef] as const : from.configMapRef ? ['configmaps', from.configMapRef] as const : undefined;
        if (ref && ref[1].optional !== true && !(await get(ref[0], ref[1].name))) {
          return { reason: 'CreateContainerConfigError', event: 'Failed', message: `Error: ${label(ref[0])} "${ref[1].name}" not found` };
        }
      }
      for (const env of c.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef ? ['secrets', env.valueFrom.secretKeyRef] as const
          : env.valueFrom?.configMapKeyRef ? ['configmaps', env.valueFrom.configMapKeyRef] as const : undefined;
        if (!ref || ref[1].optional === true) continue;
        const object = await get(ref[0], ref[1].name);
        if (!object) return { reason: 'CreateContainerConfigError', event: 'Failed', message: `Error: ${label(ref[0])} "${ref[1].name}" not found` };
        const data = { ...object.data, ...object.stringData, ...object.binaryData };
        if (!(ref[1].key in data)) {
          return { reason: 'CreateContainerConfigError', event: 'Failed', message: `Error: couldn't find key ${ref[1].key} in ${ref[0] === 'secrets' ? 'Secret' : 'ConfigMap'} ${namespace}/${ref[1].name}` };
        }
      }
    }
    return undefined;
  }
}

function isJobPod(pod: any): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o: any) => o.kind === 'Job' && o.controller);
}

function containerStatus(pod: any, c: any, state: any, ready: boolean, started = true): any {
  const id = createHash('sha256').update(`${pod.metadata.uid}/${c.name}`).digest('hex');
  const image = createHash('sha256').update(String(c.image)).digest('hex');
  return {
    name: c.name,
    image: c.image,
    imageID: `${String(c.image).split('@')[0].replace(/:[^/:]+$/, '')}@sha256:${image}`,
    containerID: `simulated://${id}`,
    ready,
    started,
    restartCount: 0,
    state,
  };
}

/** Capacity minus a reservation, in the reservation's unit (`4` CPUs - 100m = `3900m`). */
function reserve(quantity: string, amount: number, unit: 'm' | 'Mi'): string {
  if (unit === 'm') {
    const millis = quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
    return `${Math.max(millis - amount, 0)}m`;
  }
  const match = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity);
  if (!match) return quantity;
  const mebibytes = Number(match[1]) * { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[match[2] as 'Ki' | 'Mi' | 'Gi'];
  return `${Math.max(Math.floor(mebibytes - amount), 0)}Mi`;
}
