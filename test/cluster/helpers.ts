/**
 * Helpers of the control-plane scenarios: one local cluster per test file (real API server,
 * controller manager and scheduler, simulated nodes and provisioner), and waits on its state.
 */
import { Cluster, ClusterOptions, startCluster } from '../../tools/kube/cluster';

/** Starts one cluster for the file (beforeAll) and stops it (afterAll). */
export function useCluster(options: ClusterOptions = {}): () => Cluster {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    const started = Date.now();
    cluster = await startCluster(options);
    process.stderr.write(`control plane with ${cluster.nodes.nodeNames.length} simulated nodes ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 900_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return () => {
    if (!cluster) throw new Error('the cluster did not start (see beforeAll)');
    return cluster;
  };
}

/**
 * Polls `probe` until it returns something other than undefined/false; on timeout fails with
 * `what` and what `explain` says about the cluster then.
 */
export async function waitFor<T>(
  cluster: Cluster, what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, namespace?: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(150);
  }
  let state = '';
  try {
    state = cluster.kubectl('get', 'pods,pvc,statefulsets,jobs', '-o', 'wide', ...(namespace ? ['-n', namespace] : ['-A']));
  } catch (error) {
    state = String(error);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}\n${state}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** GET a path; undefined on 404. */
export async function get(cluster: Cluster, path: string): Promise<any | undefined> {
  const res = await cluster.client.request('GET', path);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${JSON.stringify(res.body?.message ?? res.body)}`);
  return res.body;
}

/** The items of a list path (a label selector may be given). */
export async function list(cluster: Cluster, path: string, labelSelector?: string): Promise<any[]> {
  const body = await get(cluster, labelSelector ? `${path}?labelSelector=${encodeURIComponent(labelSelector)}` : path);
  return body?.items ?? [];
}

export function pods(cluster: Cluster, namespace: string, labelSelector?: string): Promise<any[]> {
  return list(cluster, `/api/v1/namespaces/${namespace}/pods`, labelSelector);
}

/** A pod's condition of a type. */
export function condition(pod: any, type: string): any {
  return (pod.status?.conditions ?? []).find((c: any) => c.type === type);
}

export function isReady(pod: any): boolean {
  return !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running' && condition(pod, 'Ready')?.status === 'True';
}

/** Waits until exactly `names` run Ready in the namespace (the selector's pods) and returns them. */
export async function waitForReadyPods(cluster: Cluster, namespace: string, selector: string, count: number, timeoutMs = 60_000): Promise<any[]> {
  return waitFor(cluster, `${count} ready pods ${selector} in ${namespace}`, async () => {
    const found = await pods(cluster, namespace, selector);
    return found.length === count && found.every(isReady) ? found : undefined;
  }, timeoutMs, namespace);
}

/** The ready endpoints (pod names) of a Service, from its EndpointSlices. */
export async function endpointPods(cluster: Cluster, namespace: string, service: string): Promise<string[]> {
  const slices = await list(cluster, `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`, `kubernetes.io/service-name=${service}`);
  return slices.flatMap(s => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready).map((e: any) => e.targetRef?.name)).sort();
}

/** Events about an object, oldest first. */
export async function eventsFor(cluster: Cluster, namespace: string, name: string): Promise<any[]> {
  const events = await list(cluster, `/api/v1/namespaces/${namespace}/events`);
  return events.filter(e => e.involvedObject?.name === name)
    .sort((a, b) => String(a.lastTimestamp ?? a.eventTime).localeCompare(String(b.lastTimestamp ?? b.eventTime)));
}

/** The node a pod runs on and that node's zone. */
export async function placement(cluster: Cluster, pod: any): Promise<{ node: string; zone: string }> {
  const node = await get(cluster, `/api/v1/nodes/${pod.spec.nodeName}`);
  return { node: pod.spec.nodeName, zone: node.metadata.labels['topology.kubernetes.io/zone'] };
}

/** Merge-patches an object. */
export async function patch(cluster: Cluster, path: string, body: unknown): Promise<any> {
  const res = await cluster.client.request('PATCH', path, body, 'application/merge-patch+json');
  if (res.status !== 200) throw new Error(`PATCH ${path}: ${JSON.stringify(res.body?.message ?? res.body)}`);
  return res.body;
}

/** Scales a StatefulSet through its scale subresource, as `kubectl scale` does. */
export function scaleStatefulSet(cluster: Cluster, namespace: string, name: string, replicas: number): Promise<any> {
  return patch(cluster, `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}/scale`, { spec: { replicas } });
}

/** The zone a PersistentVolume's required node affinity pins it to (or its hostname). */
export function volumeAffinity(pv: any, key: string): string | undefined {
  for (const term of pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) if (e.key === key) return e.values?.[0];
  }
  return undefined;
}

/** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
export function selects(selector: any, labels: Record<string, string> = {}): boolean {
  const exact = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return exact && (selector?.matchExpressions ?? []).every((e: any) => {
    switch (e.operator) {
      case 'In': return e.key in labels && e.values.includes(labels[e.key]);
      case 'NotIn': return !(e.key in labels) || !e.values.includes(labels[e.key]);
      case 'Exists': return e.key in labels;
      case 'DoesNotExist': return !(e.key in labels);
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
}
