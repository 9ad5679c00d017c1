import { GuardResource } from './finding';
import { ClaimNode, ContainerView, ManifestGraph, ManifestObject, WorkloadNode } from './graph';

/**
 * The manifest graph as rules of your own read it: a read-only view over the graph the built-in
 * rules use (built once per run, shared by every rule). Views are created on first use, so a run
 * without rules of your own pays nothing for them.
 */

/** One Kubernetes object of the run (a synthesized ApiObject, or a plain manifest given to Guards.check). */
export class GuardObject {
  /** @internal */
  public static _of(graph: GuardGraph, object: ManifestObject): GuardObject {
    return new GuardObject(graph, object);
  }

  /** @internal */
  public readonly _object: ManifestObject;
  /** @internal */
  public readonly _graph: GuardGraph;

  private constructor(graph: GuardGraph, object: ManifestObject) {
    this._graph = graph;
    this._object = object;
  }

  /** `apiVersion`, e.g. `apps/v1`. */
  public get apiVersion(): string {
    return this._object.apiVersion;
  }
  /** `kind`, e.g. `StatefulSet`. */
  public get kind(): string {
    return this._object.kind;
  }
  /** `metadata.name`. */
  public get name(): string {
    return this._object.name;
  }
  /** Namespace (the run's default namespace when not set); none for cluster-scoped kinds. */
  public get namespace(): string | undefined {
    return this._object.namespace;
  }
  /** Path of the construct that synthesized it; none for plain manifests. */
  public get constructPath(): string | undefined {
    return this._object.constructPath;
  }
  /** The manifest as synthesized (plain JSON). Read it, never modify it. */
  public get manifest(): { [key: string]: any } {
    return this._object.raw;
  }
  /** `spec` (an empty object when absent). */
  public get spec(): { [key: string]: any } {
    return this._object.spec;
  }
  /** String labels of `metadata.labels`. */
  public get labels(): { [key: string]: string } {
    return this._object.labels;
  }
  /** String annotations of `metadata.annotations`. */
  public get annotations(): { [key: string]: string } {
    return this._object.annotations;
  }
  /** `StatefulSet shop/db` or `StorageClass fast`: how findings name it. */
  public get display(): string {
    return this._object.display;
  }
  /** The object as a finding's `resource` names it. */
  public get resource(): GuardResource {
    return this._object.ref;
  }
}

/** A container of a workload's pod template (init containers included). */
export class GuardContainer {
  /** @internal */
  public static _of(view: ContainerView): GuardContainer {
    return new GuardContainer(view);
  }

  private constructor(private readonly view: ContainerView) {}

  /** `name`. */
  public get name(): string {
    return this.view.name;
  }
  /** `image`; none when not set. */
  public get image(): string | undefined {
    return this.view.image;
  }
  /** Whether it is an init container that runs to completion (restartable sidecars are not). */
  public get init(): boolean {
    return this.view.init;
  }
  /** The database engine its image runs (`postgres`, `mysql`, ...), as the built-in rules detect it; none when it runs no known engine. */
  public get databaseEngine(): string | undefined {
    return this.view.engine?.engine;
  }
  /** Literal `env` values by name (`valueFrom` entries are absent). */
  public get literalEnv(): { [key: string]: string } {
    return Object.fromEntries(this.view.env);
  }
  /** `command` then `args`, as written. */
  public get argv(): string[] {
    return [...this.view.argv];
  }
  /** Paths of its volume mounts, by volume name. */
  public get mountPaths(): { [volume: string]: string } {
    return Object.fromEntries(this.view.mounts.map(m => [m.volumeName, m.mountPath]));
  }
}

/** A workload (Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob, Pod) and what it uses. */
export class GuardWorkload {
  /** @internal */
  public static _of(graph: GuardGraph, node: WorkloadNode): GuardWorkload {
    return new GuardWorkload(graph, node);
  }

  private constructor(private readonly graph: GuardGraph, private readonly node: WorkloadNode) {}

  /** The workload object (report findings on it). */
  public get object(): GuardObject {
    return this.graph._object(this.node.obj);
  }
  /** `kind`. */
  public get kind(): string {
    return this.node.kind;
  }
  /** Whether it runs one pod per node (a DaemonSet). */
  public get runsOnEveryNode(): boolean {
    return this.node.replicas === Infinity;
  }
  /**
   * Declared replicas: `replicas` (default 1), Job `parallelism`, a Pod 1; none for a
   * DaemonSet (one pod per node).
   */
  public get replicas(): number | undefined {
    return this.runsOnEveryNode ? undefined : this.node.replicas;
  }
  /** Most replicas it can run: declared replicas or its HorizontalPodAutoscaler's `maxReplicas`; none for a DaemonSet. */
  public get maxReplicas(): number | undefined {
    return this.runsOnEveryNode ? undefined : this.node.maxReplicas;
  }
  /** The pod template's `spec` (a Pod's own spec). */
  public get podSpec(): { [key: string]: any } {
    return this.node.podSpec;
  }
  /** The pod template's string labels. */
  public get podLabels(): { [key: string]: string } {
    return this.node.podLabels;
  }
  /** Init containers first, then main containers. */
  public get containers(): GuardContainer[] {
    return this.node.allContainers.map(c => GuardContainer._of(c));
  }
  /** The claims it mounts (claims of the input and its claim templates), once each. */
  public get claims(): GuardClaim[] {
    const claims = new Set<ClaimNode>();
    for (const use of this.node.claimUses) if (use.claim) claims.add(use.claim);
    return [...claims].map(c => this.graph._claim(c));
  }
  /** The PodDisruptionBudgets of the input that select its pods. */
  public get podDisruptionBudgets(): GuardObject[] {
    return this.node.pdbs.map(p => this.graph._object(p.obj));
  }
}

/** A PersistentVolumeClaim of the input, or a `volumeClaimTemplates` entry of a StatefulSet. */
export class GuardClaim {
  /** @internal */
  public static _of(graph: GuardGraph, node: ClaimNode): GuardClaim {
    return new GuardClaim(graph, node);
  }

  private constructor(private readonly graph: GuardGraph, private readonly node: ClaimNode) {}

  /** The object to report findings on: the claim, or the StatefulSet owning the template. */
  public get object(): GuardObject {
    return this.graph._object(this.node.subject);
  }
  /** Claim name (for a template: the template's `metadata.name`). */
  public get name(): string {
    return this.node.name;
  }
  /** Namespace of the claim. */
  public get namespace(): string | undefined {
    return this.node.namespace;
  }
  /** Whether it is a claim template of a StatefulSet. */
  public get isTemplate(): boolean {
    return this.node.isTemplate;
  }
  /** `spec.accessModes`. */
  public get accessModes(): string[] {
    return [...this.node.accessModes];
  }
  /** `spec.volumeMode` (default `Filesystem`). */
  public get volumeMode(): string {
    return this.node.volumeMode;
  }
  /** Whether it attaches to one node (or pod) only: no ReadWriteMany or ReadOnlyMany among its modes. */
  public get singleAttach(): boolean {
    return this.node.singleAttach;
  }
  /**
   * The class it asks for: the legacy annotation `volume.beta.kubernetes.io/storage-class` if set
   * (it wins, as in Kubernetes), else `spec.storageClassName`; none for the default class, an empty string for no class.
   */
  public get storageClassName(): string | undefined {
    return this.node.storageClassName;
  }
  /** Its StorageClass when in the input (by name, or the input's default class). */
  public get storageClass(): GuardObject | undefined {
    const sc = this.node.storageClass;
    return sc ? this.graph._object(sc.obj) : undefined;
  }
  /** The workloads mounting it. */
  public get workloads(): GuardWorkload[] {
    return [...new Set(this.node.uses.map(u => u.workload))].map(w => this.graph._workload(w));
  }
  /** `spec` of the claim (or of the template). */
  public get spec(): { [key: string]: any } {
    return this.node.spec;
  }
}

/** Every object of one guard run, indexed, as rules of your own read it. */
export class GuardGraph {
  /** @internal */
  public static _of(graph: ManifestGraph, defaultNamespace: string): GuardGraph {
    return new GuardGraph(graph, defaultNamespace);
  }

  /** Namespace of namespaced objects that do not set one. */
  public readonly defaultNamespace: string;
  private readonly objectViews = new Map<ManifestObject, GuardObject>();
  private readonly workloadViews = new Map<WorkloadNode, GuardWorkload>();
  private readonly claimViews = new Map<ClaimNode, GuardClaim>();
  private index?: Map<string, ManifestObject>;

  private constructor(private readonly graph: ManifestGraph, defaultNamespace: string) {
    this.defaultNamespace = defaultNamespace;
  }

  /** Every object, in input order. */
  public get objects(): GuardObject[] {
    return this.graph.objects.map(o => this._object(o));
  }
  /** Every workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Pod). */
  public get workloads(): GuardWorkload[] {
    return this.graph.workloads.map(w => this._workload(w));
  }
  /** Every claim: PersistentVolumeClaims of the input, then the StatefulSets' claim templates. */
  public get claims(): GuardClaim[] {
    return [...this.graph.claims, ...this.graph.workloads.flatMap(w => w.claimTemplates)].map(c => this._claim(c));
  }

  /**
   * Objects of one kind, in input order.
   * @param kind e.g. `Ingress`
   */
  public objectsOfKind(kind: string): GuardObject[] {
    return this.graph.objects.filter(o => o.kind === kind).map(o => this._object(o));
  }

  /**
   * The object of a kind with a name, or none when it is not in the input.
   * @param kind e.g. `Service`
   * @param name `metadata.name`
   * @param namespace its namespace (ignored for cluster-scoped kinds); the run's default namespace when omitted
   */
  public find(kind: string, name: string, namespace?: string): GuardObject | undefined {
    if (!this.index) {
      this.index = new Map();
      for (const o of this.graph.objects) this.index.set(o.key, o);
    }
    const found = this.index.get(`${kind}|${namespace ?? this.defaultNamespace}|${name}`) ?? this.index.get(`${kind}||${name}`);
    return found ? this._object(found) : undefined;
  }

  /** @internal */
  public _object(o: ManifestObject): GuardObject {
    let view = this.objectViews.get(o);
    if (!view) this.objectViews.set(o, view = GuardObject._of(this, o));
    return view;
  }
  /** @internal */
  public _workload(w: WorkloadNode): GuardWorkload {
    let view = this.workloadViews.get(w);
    if (!view) this.workloadViews.set(w, view = GuardWorkload._of(this, w));
    return view;
  }
  /** @internal */
  public _claim(c: ClaimNode): GuardClaim {
    let view = this.claimViews.get(c);
    if (!view) this.claimViews.set(c, view = GuardClaim._of(this, c));
    return view;
  }
}
