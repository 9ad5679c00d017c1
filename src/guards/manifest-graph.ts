import { DatabaseEngineInfo, databaseEngineOf } from './database-engines';
import { GuardResource } from './finding';
import { AccessMode } from '../storage/access-mode';
import { Provisioner, ProvisionerCapabilities } from '../storage/provisioner';

/**
 * The manifest graph: every object of one guard run, indexed once by namespace and name, with
 * the edges the rules follow (workload → pod template → volumes → claims → StorageClass →
 * provisioner capabilities → PersistentVolume; Services, PodDisruptionBudgets, autoscalers).
 * Rules read it and never scan the whole input per resource. Internal: not part of the API.
 */

/** One input object and what the app knows about it. */
export interface GraphInput {
  readonly manifest: Record<string, any>;
  /** Path of the construct that synthesized it. */
  readonly constructPath?: string;
  /** Acknowledgements from the construct tree (rule id → reason). */
  readonly acknowledgements?: ReadonlyMap<string, string>;
}

/** Annotation a SharedFileVolume (or a user) puts on a ReadWriteMany claim: `single` | `coordinated`. */
export const WRITERS_ANNOTATION = 'stateful.cdk8s.io/writers';
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

const CLUSTER_SCOPED = new Set([
  'StorageClass', 'PersistentVolume', 'Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'VolumeSnapshotClass', 'VolumeSnapshotContent', 'CSIDriver', 'CSINode', 'PriorityClass', 'IngressClass', 'RuntimeClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'VolumeAttachment',
]);

export const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

/** A plain object, or undefined. */
export function asObj(value: unknown): Record<string, any> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, any> : undefined;
}
/** An array, or an empty one. */
export function arr(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;
function stringMap(value: unknown): Record<string, string> {
  const o = asObj(value);
  if (!o) return EMPTY;
  const out: Record<string, string> = {};
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const v = o[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** A manifest of the input with its identity. */
export class ManifestObject {
  public readonly kind: string;
  public readonly apiVersion: string;
  public readonly name: string;
  public readonly namespace: string | undefined;
  public readonly spec: Record<string, any>;
  private readonly meta: Record<string, any>;
  private _labels?: Record<string, string>;
  private _annotations?: Record<string, string>;
  constructor(public readonly raw: Record<string, any>, public readonly index: number, defaultNamespace: string,
    public readonly constructPath?: string, public readonly acknowledgements?: ReadonlyMap<string, string>) {
    this.kind = str(raw.kind) ?? '';
    this.apiVersion = str(raw.apiVersion) ?? '';
    const meta = asObj(raw.metadata) ?? {};
    this.name = str(meta.name) ?? '';
    this.namespace = CLUSTER_SCOPED.has(this.kind) ? undefined : (str(meta.namespace) || defaultNamespace);
    this.meta = meta;
    this.spec = asObj(raw.spec) ?? {};
  }

  /** String labels (read on first use). */
  public get labels(): Record<string, string> {
    return this._labels ??= stringMap(this.meta.labels);
  }
  /** String annotations (read on first use). */
  public get annotations(): Record<string, string> {
    return this._annotations ??= stringMap(this.meta.annotations);
  }

  /** `Deployment default/web` or `StorageClass fast`. */
  public get display(): string {
    return `${this.kind} ${this.namespace ? `${this.namespace}/` : ''}${this.name}`;
  }

  public get ref(): GuardResource {
    return { apiVersion: this.apiVersion, kind: this.kind, name: this.name, namespace: this.namespace, constructPath: this.constructPath };
  }

  /** Identity (kind, namespace, name). */
  public get key(): string {
    return `${this.kind}|${this.namespace ?? ''}|${this.name}`;
  }
}

/** A label selector as Kubernetes evaluates it. */
export class Selector {
  /** `undefined`/null selects nothing; `{}` selects everything. */
  public static of(value: unknown): Selector | undefined {
    const o = asObj(value);
    if (!o) return undefined;
    const expressions = arr(o.matchExpressions).map(e => asObj(e)).filter((e): e is Record<string, any> => !!e);
    return new Selector(stringMap(o.matchLabels), expressions);
  }
  private constructor(public readonly matchLabels: Record<string, string>, public readonly matchExpressions: Record<string, any>[]) {}

  public matches(labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries(this.matchLabels)) if (labels[k] !== v) return false;
    for (const e of this.matchExpressions) {
      const key = String(e.key);
      const values = arr(e.values).map(String);
      const has = Object.prototype.hasOwnProperty.call(labels, key);
      switch (e.operator) {
        case 'In': if (!has || !values.includes(labels[key])) return false; break;
        case 'NotIn': if (has && values.includes(labels[key])) return false; break;
        case 'Exists': if (!has) return false; break;
        case 'DoesNotExist': if (has) return false; break;
        default: return false;
      }
    }
    return true;
  }
}

export interface MountView {
  readonly volumeName: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

export interface ContainerView {
  readonly name: string;
  readonly image: string | undefined;
  readonly init: boolean;
  readonly engine: DatabaseEngineInfo | undefined;
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

/** A workload mounting a claim through one of its volumes. */
export class ClaimUse {
  constructor(public readonly workload: WorkloadNode, public readonly volume: VolumeView, public readonly claim: ClaimNode | undefined,
    public readonly writers: ContainerView[], public readonly readers: ContainerView[]) {}

  /** Whether no container writes through this use (a volume never mounted counts as read-only). */
  public get readOnly(): boolean {
    return this.volume.readOnly || this.writers.length === 0;
  }
}

export class StorageClassNode {
  public readonly provisionerName: string;
  /** Capabilities of its provisioner, adjusted for its parameters; undefined when the provisioner is unknown. */
  public readonly capabilities: ProvisionerCapabilities | undefined;
  public readonly reclaimPolicy: string;
  public readonly bindingMode: string;
  public readonly isDefault: boolean;
  constructor(public readonly obj: ManifestObject) {
    const raw = obj.raw;
    this.provisionerName = str(raw.provisioner) ?? '';
    this.capabilities = capabilitiesOf(this.provisionerName, stringMap(raw.parameters));
    this.reclaimPolicy = str(raw.reclaimPolicy) ?? 'Delete';
    this.bindingMode = str(raw.volumeBindingMode) ?? 'Immediate';
    this.isDefault = DEFAULT_CLASS_ANNOTATIONS.some(a => obj.annotations[a] === 'true');
  }
  public get name(): string {
    return this.obj.name;
  }
}

/** Catalog capabilities for these parameters, computed where the constructs compute them. */
function capabilitiesOf(name: string, parameters: Record<string, string>): ProvisionerCapabilities | undefined {
  return Provisioner.fromStorageClass(name, parameters)?.capabilities;
}

export class PersistentVolumeNode {
  public readonly local: boolean;
  public readonly hostPath: boolean;
  public readonly requiredNodeAffinity: boolean;
  public readonly reclaimPolicy: string;
  constructor(public readonly obj: ManifestObject) {
    const spec = obj.spec;
    this.local = !!asObj(spec.local);
    this.hostPath = !!asObj(spec.hostPath);
    this.requiredNodeAffinity = arr(asObj(asObj(spec.nodeAffinity)?.required)?.nodeSelectorTerms).length > 0;
    // Statically created volumes default to Retain.
    this.reclaimPolicy = str(spec.persistentVolumeReclaimPolicy) ?? 'Retain';
  }
}

export class ClaimNode {
  public readonly accessModes: string[];
  public readonly volumeMode: string;
  /** `undefined`: the default class; `''`: no class (static binding only). */
  public readonly storageClassName: string | undefined;
  public storageClass: StorageClassNode | undefined;
  public volume: PersistentVolumeNode | undefined;
  public readonly uses: ClaimUse[] = [];
  constructor(
    /** The object findings are reported on: the claim itself, or the StatefulSet owning the template. */
    public readonly subject: ManifestObject,
    public readonly name: string,
    public readonly namespace: string | undefined,
    public readonly spec: Record<string, any>,
    public readonly annotations: Record<string, string>,
    /** For claim templates: the StatefulSet. */
    public readonly owner?: WorkloadNode,
  ) {
    this.accessModes = arr(spec.accessModes).filter(m => typeof m === 'string');
    this.volumeMode = str(spec.volumeMode) ?? 'Filesystem';
    this.storageClassName = typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
  }

  public get isTemplate(): boolean {
    return this.owner !== undefined;
  }
  /** `PersistentVolumeClaim default/data` or `claim template 'data' of StatefulSet default/db`. */
  public get display(): string {
    return this.owner ? `claim template '${this.name}' of ${this.owner.obj.display}` : this.subject.display;
  }
  /** Attaches to one node (or one pod) only: no ReadWriteMany / ReadOnlyMany among its modes. */
  public get singleAttach(): boolean {
    const modes = this.accessModes;
    return modes.length > 0 && !modes.includes(AccessMode.READ_WRITE_MANY) && !modes.includes(AccessMode.READ_ONLY_MANY);
  }
  public get capabilities(): ProvisionerCapabilities | undefined {
    return this.storageClass?.capabilities;
  }
}

export class ServiceNode {
  public readonly headless: boolean;
  public readonly selector: Record<string, string> | undefined;
  constructor(public readonly obj: ManifestObject) {
    this.headless = obj.spec.clusterIP === 'None';
    this.selector = asObj(obj.spec.selector) ? stringMap(obj.spec.selector) : undefined;
  }
}

export class PdbNode {
  public readonly selector: Selector | undefined;
  constructor(public readonly obj: ManifestObject) {
    this.selector = Selector.of(obj.spec.selector);
  }
  public get minAvailable(): number | string | undefined {
    return this.obj.spec.minAvailable;
  }
  public get maxUnavailable(): number | string | undefined {
    return this.obj.spec.maxUnavailable;
  }
}

export class WorkloadNode {
  public readonly podSpec: Record<string, any>;
  public readonly podLabels: Record<string, string>;
  public readonly selector: Selector | undefined;
  /** Declared replicas: Deployment/ReplicaSet/StatefulSet `replicas` (default 1), Job `parallelism`, Pod 1, DaemonSet Infinity (one per node). */
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
    this.selector = obj.kind === 'Pod' ? undefined : Selector.of(spec.selector);
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
  const engine = init && !sidecar ? undefined : databaseEngineOf(c.image);
  return { name: str(c.name) ?? '', image: str(c.image), init: init && !sidecar, engine, env, envEntries, envFrom, argv, mounts };
}

/** Build the graph once per run. Linear in the input: every lookup goes through an index. */
export class ManifestGraph {
  public readonly objects: ManifestObject[];
  public readonly workloads: WorkloadNode[] = [];
  public readonly claims: ClaimNode[] = [];
  public readonly storageClasses: StorageClassNode[] = [];
  public readonly volumes: PersistentVolumeNode[] = [];
  public readonly pdbs: PdbNode[] = [];
  public readonly services: ServiceNode[] = [];
  /** The class marked default in the input (the last one, as the API server would pick the newest). */
  public readonly defaultStorageClass: StorageClassNode | undefined;

  private readonly claimIndex = new Map<string, ClaimNode>();
  private readonly classIndex = new Map<string, StorageClassNode>();
  private readonly serviceIndex = new Map<string, ServiceNode>();
  private readonly workloadIndex = new Map<string, WorkloadNode>();
  private readonly configMapIndex = new Map<string, ManifestObject>();

  constructor(inputs: GraphInput[], public readonly defaultNamespace = 'default') {
    this.objects = [];
    inputs.forEach((input, i) => {
      if (asObj(input?.manifest) && typeof input.manifest.kind === 'string') {
        this.objects.push(new ManifestObject(input.manifest, i, defaultNamespace, input.constructPath, input.acknowledgements));
      }
    });
    const volumeByName = new Map<string, PersistentVolumeNode>();
    const volumeByClaim = new Map<string, PersistentVolumeNode>();
    const hpaByTarget = new Map<string, ManifestObject[]>();
    for (const o of this.objects) {
      switch (o.kind) {
        case 'PersistentVolumeClaim': {
          const claim = new ClaimNode(o, o.name, o.namespace, o.spec, o.annotations);
          this.claims.push(claim);
          this.claimIndex.set(`${o.namespace}|${o.name}`, claim);
          break;
        }
        case 'StorageClass': {
          const sc = new StorageClassNode(o);
          this.storageClasses.push(sc);
          this.classIndex.set(o.name, sc);
          break;
        }
        case 'PersistentVolume': {
          const pv = new PersistentVolumeNode(o);
          this.volumes.push(pv);
          volumeByName.set(o.name, pv);
          const ref = asObj(o.spec.claimRef);
          if (ref && typeof ref.name === 'string') volumeByClaim.set(`${str(ref.namespace) ?? defaultNamespace}|${ref.name}`, pv);
          break;
        }
        case 'Service': this.services.push(new ServiceNode(o)); this.serviceIndex.set(`${o.namespace}|${o.name}`, this.services[this.services.length - 1]); break;
        case 'PodDisruptionBudget': this.pdbs.push(new PdbNode(o)); break;
        case 'ConfigMap': this.configMapIndex.set(`${o.namespace}|${o.name}`, o); break;
        case 'HorizontalPodAutoscaler': {
          const ref = asObj(o.spec.scaleTargetRef);
          if (ref) {
            const key = `${o.namespace}|${ref.kind}|${ref.name}`;
            hpaByTarget.set(key, [...(hpaByTarget.get(key) ?? []), o]);
          }
          break;
        }
        default:
          if (WORKLOAD_KINDS.has(o.kind)) {
            const w = new WorkloadNode(o);
            this.workloads.push(w);
            this.workloadIndex.set(`${o.namespace}|${o.kind}|${o.name}`, w);
          }
      }
    }
    this.defaultStorageClass = [...this.storageClasses].reverse().find(sc => sc.isDefault);

    // Claims (direct and templates) → class → volume.
    const templates = this.workloads.flatMap(w => w.claimTemplates);
    for (const claim of [...this.claims, ...templates]) {
      claim.storageClass = claim.storageClassName === undefined ? this.defaultStorageClass
        : claim.storageClassName === '' ? undefined : this.classIndex.get(claim.storageClassName);
      if (!claim.isTemplate) {
        const volumeName = str(claim.spec.volumeName);
        claim.volume = (volumeName ? volumeByName.get(volumeName) : undefined) ?? volumeByClaim.get(`${claim.namespace}|${claim.name}`);
      }
    }

    // PDBs indexed by the rarest `key=value` of their selector (a label every budget shares, such as
    // app.kubernetes.io/component=database, would make a bucket of all of them); budgets without
    // matchLabels are scanned per namespace (usually none).
    const pairCount = new Map<string, number>();
    for (const pdb of this.pdbs) {
      for (const [k, v] of Object.entries(pdb.selector?.matchLabels ?? {})) {
        const pair = `${pdb.obj.namespace}|${k}=${v}`;
        pairCount.set(pair, (pairCount.get(pair) ?? 0) + 1);
      }
    }
    const pdbByLabel = new Map<string, PdbNode[]>();
    const pdbScan = new Map<string, PdbNode[]>();
    for (const pdb of this.pdbs) {
      let best: string | undefined;
      for (const [k, v] of Object.entries(pdb.selector?.matchLabels ?? {})) {
        const pair = `${pdb.obj.namespace}|${k}=${v}`;
        if (best === undefined || pairCount.get(pair)! < pairCount.get(best)!) best = pair;
      }
      const map = best ? pdbByLabel : pdbScan;
      const key = best ?? `${pdb.obj.namespace}`;
      const bucket = map.get(key);
      if (bucket) bucket.push(pdb);
      else map.set(key, [pdb]);
    }

    for (const w of this.workloads) {
      const ns = w.obj.namespace;
      w.hpas.push(...(hpaByTarget.get(`${ns}|${w.kind}|${w.obj.name}`) ?? []));
      // Volumes → claims, with the containers writing and reading them.
      for (const volume of w.volumes.values()) {
        if (volume.type !== 'claim' && volume.type !== 'template') continue;
        const claim = volume.type === 'template'
          ? w.claimTemplates.find(t => t.name === volume.name)
          : volume.claimName ? this.claimIndex.get(`${ns}|${volume.claimName}`) : undefined;
        const writers: ContainerView[] = [];
        const readers: ContainerView[] = [];
        for (const c of w.allContainers) {
          for (const m of c.mounts) {
            if (m.volumeName !== volume.name) continue;
            (m.readOnly || volume.readOnly ? readers : writers).push(c);
            break;
          }
        }
        const use = new ClaimUse(w, volume, claim, writers, readers);
        w.claimUses.push(use);
        claim?.uses.push(use);
      }
      if (w.kind === 'Pod' || w.kind === 'Job' || w.kind === 'CronJob') continue;
      // PodDisruptionBudgets selecting its pods.
      const candidates: PdbNode[] = [...(pdbScan.get(`${ns}`) ?? [])];
      for (const [k, v] of Object.entries(w.podLabels)) candidates.push(...(pdbByLabel.get(`${ns}|${k}=${v}`) ?? []));
      // A budget is indexed under one pair only: no duplicates among the candidates.
      for (const pdb of candidates) if (pdb.selector?.matches(w.podLabels)) w.pdbs.push(pdb);
    }
  }

  public service(namespace: string | undefined, name: string): ServiceNode | undefined {
    return this.serviceIndex.get(`${namespace}|${name}`);
  }
  public workload(namespace: string | undefined, kind: string, name: string): WorkloadNode | undefined {
    return this.workloadIndex.get(`${namespace}|${kind}|${name}`);
  }
  public configMap(namespace: string | undefined, name: string): ManifestObject | undefined {
    return this.configMapIndex.get(`${namespace}|${name}`);
  }
  public claim(namespace: string | undefined, name: string): ClaimNode | undefined {
    return this.claimIndex.get(`${namespace}|${name}`);
  }
  /** Workloads by namespace and name (any kind), for rules matching objects by naming convention. */
  public workloadsNamed(namespace: string | undefined, name: string): WorkloadNode[] {
    return ['StatefulSet', 'Deployment', 'ReplicaSet', 'DaemonSet'].map(k => this.workload(namespace, k, name)).filter((w): w is WorkloadNode => !!w);
  }
}
