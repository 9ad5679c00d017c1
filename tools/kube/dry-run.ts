/**
 * The API server as the oracle of our manifests: server-side dry-run of every object with strict
 * field validation, in namespaces labelled for Pod Security admission, failing on any rejection
 * and on any warning; and an update oracle that applies one version for real, then another, and
 * returns the server's verdict.
 */
import { createHash, randomBytes } from 'crypto';
import { KubeClient, KubeResponse, statusMessage } from './client';
import { CRDS } from './crds';

/** The Pod Security level given to namespaces the input uses but does not define. */
export enum PodSecurityLevel {
  RESTRICTED = 'restricted',
  BASELINE = 'baseline',
  PRIVILEGED = 'privileged',
}

/** The server's verdict on one object. */
export interface Verdict {
  /** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
  readonly ref: string;
  readonly accepted: boolean;
  /** The server's message when rejected. */
  readonly message?: string;
  /** The server's warnings (Pod Security `warn`, deprecated APIs, ...): any of them fails a check. */
  readonly warnings: readonly string[];
}

/** true when the server accepted the object without a single warning. */
export function clean(v: Verdict): boolean {
  return v.accepted && v.warnings.length === 0;
}

export interface DryRunOptions {
  /** @default restricted */
  readonly podSecurity?: PodSecurityLevel;
  /** Requests in flight at once. */
  readonly concurrency?: number;
}

const PSA_PREFIX = 'pod-security.kubernetes.io/';
const QUERY = 'dryRun=All&fieldValidation=Strict';

/** Installs the CRDs our objects use and waits until the server serves them. */
export async function installCrds(client: KubeClient): Promise<void> {
  for (const crd of CRDS) {
    const res = await client.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?fieldValidation=Strict', crd);
    if (res.status !== 201 && res.status !== 409) throw new Error(`CRD ${crd.metadata.name} rejected: ${statusMessage(res)}`);
  }
  for (const crd of CRDS) {
    const version = crd.spec.versions.find((v: any) => v.served).name;
    const apiVersion = `${crd.spec.group}/${version}`;
    for (let attempt = 0; ; attempt++) {
      client.forgetDiscovery();
      if (await client.resource(apiVersion, crd.spec.names.kind)) break;
      if (attempt > 200) throw new Error(`CRD ${crd.metadata.name} is not served after 20 s`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
  client.forgetDiscovery();
}

/**
 * Dry-runs one input (the objects of one app, one file or one directory: they share namespaces)
 * and returns one verdict per object, in input order.
 */
export async function dryRun(client: KubeClient, objects: readonly unknown[], options: DryRunOptions = {}): Promise<Verdict[]> {
  const level = options.podSecurity ?? PodSecurityLevel.RESTRICTED;
  const defaultLabels = { [`${PSA_PREFIX}enforce`]: level, [`${PSA_PREFIX}warn`]: level };

  // The Pod Security labels of every namespace this input defines, as given.
  const defined = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (isObject(o) && o.apiVersion === 'v1' && o.kind === 'Namespace' && typeof o.metadata?.name === 'string') {
      defined.set(o.metadata.name, psaLabels(o.metadata.labels));
    }
  }
  const namespaces = new Namespaces(client);

  return mapLimit(objects, options.concurrency ?? 6, async (o): Promise<Verdict> => {
    if (!isObject(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
      return { ref: '(not an object)', accepted: false, message: 'not a Kubernetes object: apiVersion and kind must be strings', warnings: [] };
    }
    const name = typeof o.metadata?.name === 'string' ? o.metadata.name : undefined;
    const resource = await client.resource(o.apiVersion, o.kind);
    const nsName = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default';
    const ref = `${o.kind} ${resource?.namespaced ? `${nsName}/` : ''}${name ?? '(no name)'}`;
    if (!resource) {
      return { ref, accepted: false, message: `no kind "${o.kind}" is served in apiVersion "${o.apiVersion}"`, warnings: [] };
    }
    if (o.apiVersion === 'v1' && o.kind === 'Namespace' && name) {
      // The namespace may already exist for real (created for the objects in it): dry-run an apply.
      const res = await client.request('PATCH', `/api/v1/namespaces/${encodeURIComponent(name)}?${QUERY}&fieldManager=conformance&force=true`, o, 'application/apply-patch+yaml');
      return verdict(ref, res, new Map());
    }
    let body: any = o;
    let aliases = new Map<string, string>();
    if (resource.namespaced) {
      const labels = defined.get(nsName) ?? defaultLabels;
      const real = await namespaces.ensure(nsName, labels);
      if (real !== nsName) {
        body = { ...o, metadata: { ...o.metadata, namespace: real } };
        aliases = new Map([[real, nsName]]);
      }
    }
    const res = await client.request('POST', `${client.collectionPath(o.apiVersion, resource, body.metadata?.namespace ?? 'default')}?${QUERY}`, body);
    return verdict(ref, res, aliases);
  });
}

function verdict(ref: string, res: KubeResponse, aliases: Map<string, string>): Verdict {
  const unalias = (text: string) => {
    let out = text;
    for (const [real, original] of aliases) out = out.split(real).join(original);
    return out;
  };
  const accepted = res.status === 200 || res.status === 201;
  return {
    ref,
    accepted,
    ...(accepted ? {} : { message: unalias(statusMessage(res)) }),
    warnings: res.warnings.map(unalias),
  };
}

/**
 * Real namespaces for the dry-runs. Pod Security admission reads a namespace's labels from an
 * informer cache, so a namespace is never relabelled: a name wanted with other Pod Security labels
 * than the existing namespace of that name gets a content-addressed twin (`name-psa<hash>`),
 * and the objects' namespace is rewritten for the request and back in the messages.
 */
class Namespaces {
  private readonly known = new Map<string, Promise<string>>();

  constructor(private readonly client: KubeClient) {}

  ensure(name: string, labels: Record<string, string>): Promise<string> {
    const key = `${name}\n${JSON.stringify(sorted(labels))}`;
    let real = this.known.get(key);
    if (!real) {
      real = this.resolve(name, labels);
      this.known.set(key, real);
    }
    return real;
  }

  private async resolve(name: string, labels: Record<string, string>): Promise<string> {
    if (await this.createOrMatch(name, labels)) return name;
    const hash = createHash('sha256').update(JSON.stringify(sorted(labels))).digest('hex').slice(0, 8);
    const twin = `${name.slice(0, 63 - 12)}-psa${hash}`;
    if (await this.createOrMatch(twin, labels)) return twin;
    throw new Error(`namespace ${twin} exists with other Pod Security labels`);
  }

  /** Creates the namespace with these labels, or finds it with the same Pod Security labels. */
  private async createOrMatch(name: string, labels: Record<string, string>): Promise<boolean> {
    const created = await this.client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    if (created.status === 201) return true;
    if (created.status !== 409) throw new Error(`cannot create namespace ${name}: ${statusMessage(created)}`);
    const existing = await this.client.request('GET', `/api/v1/namespaces/${encodeURIComponent(name)}`);
    return JSON.stringify(sorted(psaLabels(existing.body?.metadata?.labels))) === JSON.stringify(sorted(labels));
  }
}

/** The outcome of applying `before` for real, then `after`. */
export interface UpdateVerdict {
  /** The server accepted the second apply. */
  readonly accepted: boolean;
  /** The server's message when it refused. */
  readonly message?: string;
}

export interface UpdateOptions {
  /**
   * Runs after `before` is created, with the created object: to play a controller's part (bind a
   * claim by writing its status, for example).
   */
  readonly afterCreate?: (client: KubeClient, created: any, path: string) => Promise<void>;
}

let updateCounter = 0;

/**
 * The update oracle: server-side applies `before` for real, then `after` (same field manager,
 * as `kubectl apply --server-side` twice), and returns whether the server accepted the change.
 * Namespaced objects go to a fresh namespace; cluster-scoped ones get a unique name suffix, so
 * calls never see each other's objects. Throws when `before` itself is rejected.
 */
export async function updateVerdict(client: KubeClient, before: any, after: any, options: UpdateOptions = {}): Promise<UpdateVerdict> {
  const resource = await client.resource(before.apiVersion, before.kind);
  if (!resource) throw new Error(`no kind ${before.kind} in ${before.apiVersion}`);
  // The pid alone is not unique: jest runs many files in one worker, each with a fresh counter.
  const n = `${process.pid}-${randomBytes(3).toString('hex')}-${++updateCounter}`;
  let namespace: string | undefined;
  let name = before.metadata.name as string;
  if (resource.namespaced) {
    namespace = `update-${n}`;
    const ns = await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    if (ns.status !== 201) throw new Error(`cannot create namespace ${namespace}: ${statusMessage(ns)}`);
  } else {
    name = `${name.slice(0, 40)}-${n}`;
  }
  const place = (o: any) => ({ ...o, metadata: { ...o.metadata, name, ...(namespace ? { namespace } : {}) } });
  const path = `${client.collectionPath(before.apiVersion, resource, namespace)}/${encodeURIComponent(name)}`;
  const apply = (o: any) => client.request('PATCH', `${path}?fieldManager=update-oracle&fieldValidation=Strict`, place(o), 'application/apply-patch+yaml');
  try {
    const first = await apply(before);
    if (first.status !== 200 && first.status !== 201) throw new Error(`the first version was rejected: ${statusMessage(first)}`);
    await options.afterCreate?.(client, first.body, path);
    const second = await apply(after);
    const accepted = second.status === 200 || second.status === 201;
    return accepted ? { accepted } : { accepted, message: statusMessage(second).split(namespace ?? '\0').join('NAMESPACE').split(name).join(before.metadata.name) };
  } finally {
    await client.request('DELETE', path);
    if (namespace) await client.request('DELETE', `/api/v1/namespaces/${namespace}`);
  }
}

function psaLabels(labels: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(labels)) return out;
  for (const [k, v] of Object.entries(labels)) if (k.startsWith(PSA_PREFIX) && typeof v === 'string') out[k] = v;
  return out;
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** fn over items with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
