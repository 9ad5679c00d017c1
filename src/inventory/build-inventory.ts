/**
 * Builds the inventory document from the manifest graph and the guard report. Internal: not part
 * of the jsii API. Every fact comes from the graph (claim → class → provisioner resolution,
 * provisioner capabilities, claim uses, bound volumes); this file only arranges them.
 */
import { BackupJob, findBackupJobs, singlePodOf } from './backup-jobs';
import { buildDiagram } from './inventory-diagram';
import {
  InventoryBackup, InventoryClaim, InventoryDataStore, InventoryDocument, InventoryFileStore, InventoryFinding,
  InventoryHostPath, InventoryNamedObject, InventoryOtherFinding, InventoryPersistentVolume, InventorySingleton, InventorySnapshotObject,
  InventoryStorageClass,
} from './inventory-document';
import { GuardReport } from '../guards/finding';
import { arr, asObj, ClaimNode, GraphInput, ManifestGraph, ManifestObject, str, WorkloadNode } from '../guards/graph';

/** Kinds that hold state when they mount a claim or a host path (StatefulSets always do). */
const DATA_STORE_KINDS = new Set(['StatefulSet', 'Deployment', 'ReplicaSet', 'ReplicationController', 'DaemonSet', 'Pod']);
const CLUSTER_DEFAULT_CLASS = '(cluster default)';
/** Version of the inventory JSON schema (docs/inventory.schema.json) this library writes. */
export const INVENTORY_SCHEMA_VERSION = '1';

/** `Kind/namespace/name` or `Kind/name`. */
export function objectId(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}
const idOf = (o: ManifestObject): string => objectId(o.kind, o.namespace, o.name);

/** Findings by object, handed out once each so the rest can be listed as other findings. */
class FindingIndex {
  private readonly byId = new Map<string, InventoryFinding[]>();
  private readonly taken = new Set<string>();
  constructor(report: GuardReport) {
    for (const f of report.findings) {
      const id = objectId(f.resource.kind, f.resource.namespace, f.resource.name);
      const list = this.byId.get(id) ?? [];
      list.push({ ruleId: f.ruleId, severity: f.severity, title: f.title, message: f.message, fix: f.fix, acknowledged: f.acknowledged });
      this.byId.set(id, list);
    }
  }
  public of(id: string): InventoryFinding[] {
    this.taken.add(id);
    return this.byId.get(id) ?? [];
  }
  public rest(): InventoryOtherFinding[] {
    return [...this.byId.entries()].filter(([id]) => !this.taken.has(id)).flatMap(([object, list]) => list.map(finding => ({ object, finding })));
  }
}

function sizeOf(spec: Record<string, any>): string | undefined {
  const s = asObj(asObj(spec.resources)?.requests)?.storage;
  return typeof s === 'string' ? s : typeof s === 'number' ? String(s) : undefined;
}

/** What the workloads read: Secrets and ConfigMaps by name, per workload. */
function referencesOf(w: WorkloadNode): { secrets: Set<string>; configMaps: Set<string> } {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  for (const v of w.volumes.values()) {
    const raw = v.raw;
    const secret = str(asObj(raw.secret)?.secretName);
    if (secret) secrets.add(secret);
    const cm = str(asObj(raw.configMap)?.name);
    if (cm) configMaps.add(cm);
    for (const source of arr(asObj(raw.projected)?.sources)) {
      const s = str(asObj(asObj(source)?.secret)?.name);
      if (s) secrets.add(s);
      const c = str(asObj(asObj(source)?.configMap)?.name);
      if (c) configMaps.add(c);
    }
  }
  for (const c of w.allContainers) {
    for (const e of c.envEntries) {
      const from = asObj(e.valueFrom);
      const s = str(asObj(from?.secretKeyRef)?.name);
      if (s) secrets.add(s);
      const m = str(asObj(from?.configMapKeyRef)?.name);
      if (m) configMaps.add(m);
    }
    for (const e of c.envFrom) {
      const s = str(asObj(e.secretRef)?.name);
      if (s) secrets.add(s);
      const m = str(asObj(e.configMapRef)?.name);
      if (m) configMaps.add(m);
    }
  }
  for (const p of arr(w.podSpec.imagePullSecrets)) {
    const s = str(asObj(p)?.name);
    if (s) secrets.add(s);
  }
  return { secrets, configMaps };
}

/** The inventory of one set of manifests, with the findings of `report` (a guard run over the same inputs). */
export function buildInventory(inputs: GraphInput[], report: GuardReport, defaultNamespace: string): InventoryDocument {
  const graph = new ManifestGraph(inputs, defaultNamespace);
  const findings = new FindingIndex(report);

  // Claims: one entry per claim name and namespace.
  const claimEntries = new Map<string, InventoryClaim>();
  const generatedUsers = new Map<string, WorkloadNode[]>();
  for (const g of graph.generatedClaims) {
    generatedUsers.set(objectId('PersistentVolumeClaim', g.namespace, g.name), g.uses.map(u => u.workload));
  }
  const claimEntry = (node: ClaimNode | undefined, name: string, namespace: string,
    extra: { template?: string; replica?: number; owner?: WorkloadNode }): InventoryClaim => {
    const id = objectId('PersistentVolumeClaim', namespace, name);
    const known = claimEntries.get(id);
    if (known) return known;
    const inInput = !!node && !node.isTemplate && !node.isGenerated;
    const className = node?.storageClassName;
    const sc = node?.storageClass;
    const storageClassSource = !node ? 'unknown' : className === '' ? 'none' : className === undefined ? (sc ? 'default' : 'cluster-default') : 'named';
    const volume = inInput ? node!.volume : undefined;
    const reclaim = volume ? { reclaimPolicy: volume.reclaimPolicy, reclaimPolicySource: 'PersistentVolume' }
      : sc ? { reclaimPolicy: sc.reclaimPolicy, reclaimPolicySource: 'StorageClass' } : { reclaimPolicy: 'unknown', reclaimPolicySource: 'unknown' };
    const users = new Set<string>();
    if (extra.owner) users.add(idOf(extra.owner.obj));
    for (const u of inInput ? node!.uses : []) users.add(idOf(u.workload.obj));
    for (const u of generatedUsers.get(id) ?? []) users.add(idOf(u.obj));
    const modes = node?.accessModes ?? [];
    const size = node ? sizeOf(node.spec) : undefined;
    const storageClass = className || sc?.name;
    const entry: InventoryClaim = {
      id,
      name,
      namespace,
      ...(extra.template !== undefined ? { template: extra.template } : {}),
      ...(extra.replica !== undefined ? { replica: extra.replica } : {}),
      generated: !inInput && extra.template !== undefined,
      inInput,
      ...(size !== undefined ? { size } : {}),
      accessModes: [...modes],
      volumeMode: node?.volumeMode ?? 'Filesystem',
      ...(storageClass ? { storageClass } : {}),
      storageClassSource,
      storageClassInInput: !!sc,
      ...(sc ? { provisioner: sc.provisionerName } : {}),
      ...reclaim,
      ...(volume ? { persistentVolume: volume.obj.name } : {}),
      shared: modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany'),
      usedBy: [...users],
      findings: inInput ? findings.of(id) : [],
    };
    claimEntries.set(id, entry);
    return entry;
  };

  // Data stores.
  const stores: Array<{ workload: WorkloadNode; claims: InventoryClaim[]; hostPaths: InventoryHostPath[] }> = [];
  for (const w of graph.workloads) {
    if (!DATA_STORE_KINDS.has(w.kind)) continue;
    const hostPaths: InventoryHostPath[] = [...w.volumes.values()].filter(v => v.type === 'hostPath').map(v => {
      const mounts = w.allContainers.flatMap(c => c.mounts.filter(m => m.volumeName === v.name));
      return { volume: v.name, path: str(asObj(v.raw.hostPath)?.path) ?? '', readOnly: mounts.every(m => m.readOnly) };
    });
    if (w.kind !== 'StatefulSet' && w.claimUses.length === 0 && hostPaths.length === 0) continue;
    const ns = w.obj.namespace ?? defaultNamespace;
    const claims: InventoryClaim[] = [];
    const perReplica = Number.isFinite(w.replicas) ? w.replicas : 0;
    for (const t of w.claimTemplates) {
      for (let i = 0; i < perReplica; i++) {
        const name = `${t.name}-${w.obj.name}-${i}`;
        const own = graph.claim(ns, name);
        claims.push(claimEntry(own ?? t, name, ns, { template: t.name, replica: i, owner: w }));
      }
    }
    for (const use of w.claimUses) {
      if (use.volume.type !== 'claim' || !use.volume.claimName) continue;
      const entry = claimEntry(use.claim, use.volume.claimName, ns, {});
      if (!claims.includes(entry)) claims.push(entry);
    }
    stores.push({ workload: w, claims, hostPaths });
  }

  const jobs = findBackupJobs(graph, stores.map(s => ({ workload: s.workload, claimNames: s.claims.map(c => c.name) })));
  const jobsOf = (w: WorkloadNode): BackupJob[] => jobs.filter(j => j.targets.includes(w));

  // Secrets and ConfigMaps, by name only.
  const named = new Map<string, { kind: string; name: string; namespace?: string; inInput: boolean; usedBy: Set<string> }>();
  const addNamed = (kind: string, namespace: string | undefined, name: string, inInput: boolean, user?: string): string => {
    const id = objectId(kind, namespace, name);
    const entry = named.get(id) ?? { kind, name, ...(namespace ? { namespace } : {}), inInput: false, usedBy: new Set<string>() };
    if (inInput) entry.inInput = true;
    if (user) entry.usedBy.add(user);
    named.set(id, entry);
    return id;
  };
  for (const o of graph.objects) if (o.kind === 'Secret' || o.kind === 'ConfigMap') addNamed(o.kind, o.namespace, o.name, true);
  const readsOf = new Map<WorkloadNode, { secrets: string[]; configMaps: string[] }>();
  for (const w of graph.workloads) {
    const refs = referencesOf(w);
    const user = idOf(w.obj);
    readsOf.set(w, {
      secrets: [...refs.secrets].map(s => addNamed('Secret', w.obj.namespace, s, false, user)),
      configMaps: [...refs.configMaps].map(c => addNamed('ConfigMap', w.obj.namespace, c, false, user)),
    });
  }
  const namedList = (kind: string): InventoryNamedObject[] => [...named.entries()].filter(([, e]) => e.kind === kind)
    .map(([id, e]) => ({
      id,
      kind: e.kind,
      name: e.name,
      ...(e.namespace ? { namespace: e.namespace } : {}),
      inInput: e.inInput,
      usedBy: [...e.usedBy],
      findings: findings.of(id),
    }));

  const dataStores: InventoryDataStore[] = stores.map(({ workload: w, claims, hostPaths }) => {
    const policy = asObj(w.obj.spec.persistentVolumeClaimRetentionPolicy) ?? {};
    const engine = w.databaseContainers[0]?.engine?.engine;
    const reads = readsOf.get(w)!;
    const singleton = w.replicas === 1 && w.maxReplicas === 1;
    return {
      id: idOf(w.obj),
      kind: w.kind,
      name: w.obj.name,
      namespace: w.obj.namespace ?? defaultNamespace,
      ...(Number.isFinite(w.replicas) ? { replicas: w.replicas } : {}),
      replicasText: w.replicasText,
      ...(engine ? { engine } : {}),
      ...(w.kind === 'StatefulSet' ? { claimRetention: { whenDeleted: str(policy.whenDeleted) ?? 'Retain', whenScaled: str(policy.whenScaled) ?? 'Retain' } } : {}),
      claims,
      hostPaths,
      backups: jobsOf(w).map(j => idOf(j.cronJob.obj)),
      configMaps: reads.configMaps,
      secrets: reads.secrets,
      singleton,
      findings: findings.of(idOf(w.obj)),
    };
  });

  const backups: InventoryBackup[] = jobs.map(j => {
    const id = idOf(j.cronJob.obj);
    return {
      id,
      name: j.cronJob.obj.name,
      namespace: j.cronJob.obj.namespace ?? defaultNamespace,
      type: j.type,
      schedule: j.schedule,
      ...(j.timeZone ? { timeZone: j.timeZone } : {}),
      suspended: j.suspended,
      ...(j.keep !== undefined ? { keep: j.keep } : {}),
      ...(j.snapshotClass ? { snapshotClass: j.snapshotClass } : {}),
      targets: j.targets.map(t => idOf(t.obj)),
      snapshotClaims: j.snapshotClaims,
      destinationClaims: j.destinationClaims,
      evidence: j.evidence,
      findings: findings.of(id),
    };
  });

  // Claims no data store mounts (backup destinations, restores, spare claims).
  const inStores = new Set(dataStores.flatMap(d => d.claims.map(c => c.id)));
  const otherClaims = graph.claims.filter(c => !inStores.has(objectId('PersistentVolumeClaim', c.namespace, c.name)))
    .map(c => claimEntry(c, c.name, c.namespace ?? defaultNamespace, {}));

  // StorageClasses of the input, then the ones claims name that are not in it.
  const storageClasses: InventoryStorageClass[] = graph.storageClasses.map(sc => {
    const id = objectId('StorageClass', undefined, sc.name);
    const caps = sc.capabilities;
    return {
      id,
      name: sc.name,
      inInput: true,
      provisioner: sc.provisionerName,
      reclaimPolicy: sc.reclaimPolicy,
      volumeBindingMode: sc.bindingMode,
      isDefault: sc.isDefault,
      ...(caps ? { accessModes: [...caps.filesystemAccessModes], snapshots: caps.snapshots === true, nodeLocal: caps.nodeLocal === true } : {}),
      findings: findings.of(id),
    };
  });
  const knownClasses = new Set(storageClasses.map(s => s.name));
  for (const c of [...claimEntries.values()]) {
    const name = c.storageClass ?? (c.storageClassSource === 'cluster-default' ? CLUSTER_DEFAULT_CLASS : undefined);
    if (!name || knownClasses.has(name)) continue;
    knownClasses.add(name);
    storageClasses.push({ id: objectId('StorageClass', undefined, name), name, inInput: false, isDefault: name === CLUSTER_DEFAULT_CLASS, findings: [] });
  }

  const persistentVolumes: InventoryPersistentVolume[] = graph.volumes.map(pv => {
    const id = objectId('PersistentVolume', undefined, pv.obj.name);
    const ref = asObj(pv.obj.spec.claimRef);
    const capacity = asObj(pv.obj.spec.capacity)?.storage;
    const className = str(pv.obj.spec.storageClassName);
    return {
      id,
      name: pv.obj.name,
      ...(className ? { storageClass: className } : {}),
      ...(typeof capacity === 'string' || typeof capacity === 'number' ? { capacity: String(capacity) } : {}),
      reclaimPolicy: pv.reclaimPolicy,
      perNodeDisk: pv.perNodeDisk,
      ...(ref && typeof ref.name === 'string' ? { claim: `${str(ref.namespace) ?? defaultNamespace}/${ref.name}` } : {}),
      findings: findings.of(id),
    };
  });

  const volumeSnapshots: InventorySnapshotObject[] = [];
  const snapshotClasses = new Map<string, InventorySnapshotObject>();
  for (const o of graph.objects) {
    if (o.kind === 'VolumeSnapshotClass') {
      const id = idOf(o);
      snapshotClasses.set(o.name, {
        id,
        kind: o.kind,
        name: o.name,
        inInput: true,
        ...(str(o.raw.driver) ? { driver: str(o.raw.driver) } : {}),
        deletionPolicy: str(o.raw.deletionPolicy) ?? 'unknown',
        findings: findings.of(id),
      });
    }
  }
  for (const o of graph.objects) {
    if (o.kind !== 'VolumeSnapshot') continue;
    const id = idOf(o);
    const source = str(asObj(o.spec.source)?.persistentVolumeClaimName);
    const cls = str(o.spec.volumeSnapshotClassName);
    volumeSnapshots.push({
      id,
      kind: o.kind,
      name: o.name,
      namespace: o.namespace,
      inInput: true,
      ...(source ? { sourceClaim: source } : {}),
      ...(cls ? { snapshotClass: cls } : {}),
      findings: findings.of(id),
    });
  }
  for (const name of [...volumeSnapshots.map(s => s.snapshotClass), ...backups.map(b => b.snapshotClass)]) {
    if (name && !snapshotClasses.has(name)) snapshotClasses.set(name, { id: objectId('VolumeSnapshotClass', undefined, name), kind: 'VolumeSnapshotClass', name, inInput: false, findings: [] });
  }

  // File stores: shared claims, or claims several workloads mount.
  const allClaimNodes = [...graph.claims, ...graph.generatedClaims];
  const fileStores: InventoryFileStore[] = [...claimEntries.values()].filter(c => c.shared || c.usedBy.length > 1).map(c => {
    const node = allClaimNodes.find(n => n.namespace === c.namespace && n.name === c.name);
    const writers = new Set<string>();
    const readers = new Set<string>();
    for (const u of node?.uses ?? []) (u.readOnly ? readers : writers).add(idOf(u.workload.obj));
    for (const w of writers) readers.delete(w);
    return { claim: c.id, writers: [...writers], readers: [...readers] };
  });

  // Singletons: one-replica data stores, and Services selecting one pod.
  const singletons: InventorySingleton[] = dataStores.filter(d => d.singleton)
    .map(d => ({ id: d.id, type: 'workload', reason: `${d.kind} with one replica holding state: the only copy of its data`, findings: [] }));
  for (const s of graph.services) {
    const one = singlePodOf(graph, s.selector, s.obj.namespace);
    if (!one) continue;
    const id = idOf(s.obj);
    singletons.push({
      id,
      type: 'service',
      reason: `selects only pod ${one.pod} (statefulset.kubernetes.io/pod-name)`,
      pod: one.pod,
      ...(one.workload ? { workload: idOf(one.workload.obj) } : {}),
      findings: findings.of(id),
    });
  }

  const config = namedList('ConfigMap');
  const secrets = namedList('Secret');
  const open = report.findings.filter(f => !f.acknowledged);
  const storage = {
    storageClasses,
    persistentVolumes,
    claims: otherClaims,
    volumeSnapshots,
    volumeSnapshotClasses: [...snapshotClasses.values()],
  };
  const doc = {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    summary: {
      config: config.length,
      secrets: secrets.length,
      dataStores: dataStores.length,
      fileStores: fileStores.length,
      singletons: singletons.length,
      backups: backups.length,
      claims: claimEntries.size,
      errors: open.filter(f => f.severity === 'error').length,
      warnings: open.filter(f => f.severity !== 'error').length,
      acknowledged: report.findings.length - open.length,
    },
    config,
    secrets,
    dataStores,
    fileStores,
    singletons,
    backups,
    storage,
    otherFindings: findings.rest(),
  };
  return { ...doc, diagram: buildDiagram(doc) };
}
