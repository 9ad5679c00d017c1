import { ConfigFile } from './database-engines';
import { asObj, arr, str } from './json';
import { GraphInput, ManifestObject } from './manifest-object';
import { PdbNode, ServiceNode } from './policy-nodes';
import { ClaimNode, ClaimUse, PersistentVolumeNode, StorageClassNode } from './storage-nodes';
import { ContainerView, WORKLOAD_KINDS, WorkloadNode } from './workload-node';

/**
 * The manifest graph: every object of one guard run, indexed once by namespace and name, with
 * the edges the rules follow (workload → pod template → volumes → claims → StorageClass →
 * provisioner capabilities → PersistentVolume; Services, PodDisruptionBudgets, autoscalers).
 * Rules read it and never scan the whole input per resource. Internal: not part of the API.
 */

/** Keys of ConfigMaps that are configuration files (not scripts or data): `redis.conf`, `my.cnf`, `zoo.cfg`, `cassandra.yaml`... */
const CONFIG_KEY = /\.(conf|cnf|cfg|ya?ml|properties|ini|json|xml|hcl|toml)$/i;

/** A configuration file a container mounts from a ConfigMap of the input. */
export interface MountedConfigFile extends ConfigFile {
  readonly mountPath: string;
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
  /** Claims a StatefulSet creates from its templates (`<template>-<statefulset>-<ordinal>`) that another workload mounts by name. */
  public readonly generatedClaims: ClaimNode[] = [];
  /** The class marked default in the input (the last one, as the API server would pick the newest). */
  public readonly defaultStorageClass: StorageClassNode | undefined;

  private readonly claimIndex = new Map<string, ClaimNode>();
  private readonly classIndex = new Map<string, StorageClassNode>();
  private readonly serviceIndex = new Map<string, ServiceNode>();
  private readonly workloadIndex = new Map<string, WorkloadNode>();
  private readonly configMapIndex = new Map<string, ManifestObject>();
  /** `namespace|<template>-<statefulset>` → the templates generating claims of that prefix. */
  private readonly generatedPrefixIndex = new Map<string, ClaimNode[]>();
  private readonly generatedIndex = new Map<string, ClaimNode>();
  private readonly configFileCache = new Map<ManifestObject, ConfigFile[]>();

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
      w.hpas.push(...(hpaByTarget.get(`${w.obj.namespace}|${w.kind}|${w.obj.name}`) ?? []));
      for (const t of w.claimTemplates) {
        const key = `${w.obj.namespace}|${t.name}-${w.obj.name}`;
        const bucket = this.generatedPrefixIndex.get(key);
        if (bucket) bucket.push(t);
        else this.generatedPrefixIndex.set(key, [t]);
      }
    }

    for (const w of this.workloads) {
      const ns = w.obj.namespace;
      // Volumes → claims, with the containers writing and reading them.
      for (const volume of w.volumes.values()) {
        if (volume.type !== 'claim' && volume.type !== 'template') continue;
        const claim = volume.type === 'template'
          ? w.claimTemplates.find(t => t.name === volume.name)
          : volume.claimName ? this.claimIndex.get(`${ns}|${volume.claimName}`) ?? this.generatedClaim(ns, volume.claimName) : undefined;
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
      for (const pdb of candidates) {
        if (!pdb.selector?.matches(w.podLabels)) continue;
        w.pdbs.push(pdb);
        pdb.workloads.push(w);
      }
    }
  }

  /**
   * The StatefulSet claim template a claim name comes from (`data-db-2`: template `data` of
   * StatefulSet `db`, ordinal 2 below its replicas), if any StatefulSet of the input generates it.
   */
  public claimTemplateOf(namespace: string | undefined, name: string): { template: ClaimNode; ordinal: number } | undefined {
    const m = /^(.+)-(\d+)$/.exec(name);
    if (!m) return undefined;
    const ordinal = parseInt(m[2], 10);
    const template = this.generatedPrefixIndex.get(`${namespace}|${m[1]}`)?.find(t => ordinal < Math.max(t.owner!.replicas, t.owner!.maxReplicas));
    return template ? { template, ordinal } : undefined;
  }

  /** The claim a StatefulSet generates under this name, when no claim of the input has it. */
  private generatedClaim(namespace: string | undefined, name: string): ClaimNode | undefined {
    const key = `${namespace}|${name}`;
    const known = this.generatedIndex.get(key);
    if (known) return known;
    const from = this.claimTemplateOf(namespace, name);
    if (!from) return undefined;
    const t = from.template;
    const claim = new ClaimNode(t.subject, name, namespace, t.spec, t.annotations, t.owner, t);
    claim.storageClass = t.storageClass;
    this.generatedIndex.set(key, claim);
    this.generatedClaims.push(claim);
    return claim;
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
  /**
   * The configuration files a container mounts from ConfigMaps (`configMap` volumes and the
   * ConfigMap sources of `projected` volumes): the files of ConfigMaps in the input whose keys
   * name a configuration file (scripts are left out), and the names of the ConfigMaps that are not
   * in the input (their content is unknown).
   */
  public mountedConfigFiles(w: WorkloadNode, c: ContainerView): { files: MountedConfigFile[]; unknown: Array<{ name: string; mountPath: string }> } {
    const files: MountedConfigFile[] = [];
    const unknown: Array<{ name: string; mountPath: string }> = [];
    for (const m of c.mounts) {
      const v = w.volumes.get(m.volumeName);
      if (!v || v.type !== 'config') continue;
      const refs = [asObj(v.raw.configMap), ...arr(asObj(v.raw.projected)?.sources).map(src => asObj(asObj(src)?.configMap))];
      for (const ref of refs) {
        const name = str(ref?.name);
        if (!name) continue;
        const cm = this.configMap(w.obj.namespace, name);
        if (!cm) {
          unknown.push({ name, mountPath: m.mountPath });
          continue;
        }
        for (const file of this.configFilesOf(cm)) files.push({ ...file, mountPath: m.mountPath });
      }
    }
    return { files, unknown };
  }
  /** The configuration files of a ConfigMap (read once per run). */
  private configFilesOf(cm: ManifestObject): ConfigFile[] {
    let files = this.configFileCache.get(cm);
    if (!files) {
      files = [];
      const data = asObj(cm.raw.data) ?? {};
      for (const key in data) {
        const text = data[key];
        if (typeof text === 'string' && CONFIG_KEY.test(key)) files.push({ source: `ConfigMap '${cm.name}' (key '${key}')`, text });
      }
      this.configFileCache.set(cm, files);
    }
    return files;
  }
  public claim(namespace: string | undefined, name: string): ClaimNode | undefined {
    return this.claimIndex.get(`${namespace}|${name}`);
  }
  /** Workloads by namespace and name (any kind), for rules matching objects by naming convention. */
  public workloadsNamed(namespace: string | undefined, name: string): WorkloadNode[] {
    return ['StatefulSet', 'Deployment', 'ReplicaSet', 'ReplicationController', 'DaemonSet'].map(k => this.workload(namespace, k, name)).filter((w): w is WorkloadNode => !!w);
  }
}
