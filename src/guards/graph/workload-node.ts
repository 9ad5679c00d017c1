import { DatabaseEngineInfo, detectEngine } from './database-engines';
import { asObj, arr, str, stringMap } from './json';
import { ManifestObject, Selector } from './manifest-object';
import { PdbNode } from './policy-nodes';
import { ClaimNode, ClaimUse } from './storage-nodes';

export const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

/** Kinds that keep a number of interchangeable replicas running (Deployment-like). */
export const REPLICA_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController']);

export interface MountView {
  readonly volumeName: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

export interface ContainerView {
  readonly name: string;
  readonly image: string | undefined;
  readonly init: boolean;
  /** The database engine it runs as a data server (clients and sentinels of a database image are not). */
  readonly engine: DatabaseEngineInfo | undefined;
  /** `image`: named by the list of images; `convention`: recognized by a server-only env var and its port (weaker). */
  readonly engineEvidence: 'image' | 'convention' | undefined;
  /** Declared `containerPort`s. */
  readonly ports: number[];
  /** Literal env values by name (valueFrom entries are absent). */
  readonly env: Map<string, string>;
  /** Every env entry as written. */
  readonly envEntries: Record<string, any>[];
  /** Every envFrom entry as written. */
  readonly envFrom: Record<string, any>[];
  readonly argv: string[];
  readonly mounts: MountView[];
}

export type VolumeType = 'claim' | 'template' | 'emptyDir' | 'ephemeral' | 'hostPath' | 'config' | 'other';

export interface VolumeView {
  readonly name: string;
  readonly type: VolumeType;
  readonly raw: Record<string, any>;
  /** Name of the claim (direct claims: `persistentVolumeClaim.claimName`; templates: the template name). */
  readonly claimName?: string;
  /** `persistentVolumeClaim.readOnly`. */
  readonly readOnly: boolean;
}

export class WorkloadNode {
  public readonly podSpec: Record<string, any>;
  public readonly podLabels: Record<string, string>;
  public readonly selector: Selector | undefined;
  /** Declared replicas: Deployment/ReplicaSet/ReplicationController/StatefulSet `replicas` (default 1), Job `parallelism`, Pod 1, DaemonSet Infinity (one per node). */
  public readonly replicas: number;
  public readonly containers: ContainerView[];
  public readonly initContainers: ContainerView[];
  /** Init containers first, then main containers. */
  public readonly allContainers: ContainerView[];
  /** The main containers running a known database. */
  public readonly databaseContainers: ContainerView[];
  public readonly volumes = new Map<string, VolumeView>();
  public readonly claimUses: ClaimUse[] = [];
  public readonly hpas: ManifestObject[] = [];
  public readonly pdbs: PdbNode[] = [];
  public readonly claimTemplates: ClaimNode[] = [];

  constructor(public readonly obj: ManifestObject) {
    const spec = obj.spec;
    let template: Record<string, any> | undefined;
    switch (obj.kind) {
      case 'Pod': template = { metadata: obj.raw.metadata, spec }; break;
      case 'CronJob': template = asObj(asObj(asObj(spec.jobTemplate)?.spec)?.template); break;
      default: template = asObj(spec.template);
    }
    this.podSpec = asObj(template?.spec) ?? {};
    this.podLabels = stringMap(asObj(template?.metadata)?.labels);
    // A ReplicationController's selector is a plain map of labels (defaulting to the template's labels).
    this.selector = obj.kind === 'Pod' ? undefined
      : obj.kind === 'ReplicationController' ? Selector.of({ matchLabels: asObj(spec.selector) ?? this.podLabels })
        : Selector.of(spec.selector);
    this.replicas = replicasOf(obj);
    for (const v of arr(this.podSpec.volumes)) {
      const view = volumeView(asObj(v));
      if (view) this.volumes.set(view.name, view);
    }
    if (obj.kind === 'StatefulSet') {
      for (const t of arr(spec.volumeClaimTemplates)) {
        const tpl = asObj(t);
        const name = str(asObj(tpl?.metadata)?.name);
        if (!tpl || !name) continue;
        this.claimTemplates.push(new ClaimNode(obj, name, obj.namespace, asObj(tpl.spec) ?? {}, stringMap(asObj(tpl.metadata)?.annotations), this));
        if (!this.volumes.has(name)) this.volumes.set(name, { name, type: 'template', raw: tpl, claimName: name, readOnly: false });
      }
    }
    this.containers = arr(this.podSpec.containers).map(c => containerView(asObj(c), false)).filter((c): c is ContainerView => !!c);
    this.initContainers = arr(this.podSpec.initContainers).map(c => containerView(asObj(c), true)).filter((c): c is ContainerView => !!c);
    this.allContainers = [...this.initContainers, ...this.containers];
    this.databaseContainers = this.containers.filter(c => c.engine !== undefined);
  }

  public get kind(): string {
    return this.obj.kind;
  }
  /** Most replicas it can run: declared replicas or an autoscaler's maxReplicas, whichever is higher. */
  public get maxReplicas(): number {
    let max = this.replicas;
    for (const hpa of this.hpas) {
      const m = hpa.spec.maxReplicas;
      if (typeof m === 'number' && m > max) max = m;
    }
    return max;
  }
  /** `3 replicas`, `one pod per node`, `up to 5 replicas (autoscaler)`. */
  public get replicasText(): string {
    if (this.replicas === Infinity) return 'one pod per node';
    const max = this.maxReplicas;
    return max > this.replicas ? `${this.replicas} replica(s), up to ${max} through its HorizontalPodAutoscaler` : `${this.replicas} replica(s)`;
  }
}

function replicasOf(o: ManifestObject): number {
  const spec = o.spec;
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  switch (o.kind) {
    case 'DaemonSet': return Infinity;
    case 'Pod': return 1;
    case 'Job': return num(spec.parallelism, 1);
    case 'CronJob': return num(asObj(asObj(spec.jobTemplate)?.spec)?.parallelism, 1);
    default: return num(spec.replicas, 1);
  }
}

function volumeView(v: Record<string, any> | undefined): VolumeView | undefined {
  const name = str(v?.name);
  if (!v || !name) return undefined;
  const pvc = asObj(v.persistentVolumeClaim);
  if (pvc) return { name, type: 'claim', raw: v, claimName: str(pvc.claimName), readOnly: pvc.readOnly === true };
  if (v.emptyDir !== undefined) return { name, type: 'emptyDir', raw: v, readOnly: false };
  if (v.ephemeral !== undefined) return { name, type: 'ephemeral', raw: v, readOnly: false };
  if (v.hostPath !== undefined) return { name, type: 'hostPath', raw: v, readOnly: false };
  if (['configMap', 'secret', 'projected', 'downwardAPI'].some(k => v[k] !== undefined)) return { name, type: 'config', raw: v, readOnly: true };
  return { name, type: 'other', raw: v, readOnly: false };
}

function containerView(c: Record<string, any> | undefined, init: boolean): ContainerView | undefined {
  if (!c) return undefined;
  const envEntries = arr(c.env).map(e => asObj(e)).filter((e): e is Record<string, any> => !!e);
  const env = new Map<string, string>();
  for (const e of envEntries) if (typeof e.name === 'string' && typeof e.value === 'string') env.set(e.name, e.value);
  const mounts: MountView[] = arr(c.volumeMounts).map(m => asObj(m)).filter((m): m is Record<string, any> => !!m && typeof m.name === 'string')
    .map(m => ({ volumeName: m.name, mountPath: str(m.mountPath) ?? '', readOnly: m.readOnly === true }));
  const argv = [...arr(c.command), ...arr(c.args)].filter(a => typeof a === 'string');
  // Restartable init containers (sidecars) run beside the main containers: treat them as main ones for storage.
  const sidecar = init && c.restartPolicy === 'Always';
  const envFrom = arr(c.envFrom).map(e => asObj(e)).filter((e): e is Record<string, any> => !!e);
  const ports = arr(c.ports).map(p => asObj(p)?.containerPort).filter((p): p is number => typeof p === 'number');
  const match = init && !sidecar ? undefined
    : detectEngine(c.image, envEntries.map(e => e.name).filter((n): n is string => typeof n === 'string'), ports, argv);
  return {
    name: str(c.name) ?? '',
    image: str(c.image),
    init: init && !sidecar,
    engine: match?.engine,
    engineEvidence: match?.evidence,
    ports,
    env,
    envEntries,
    envFrom,
    argv,
    mounts,
  };
}
