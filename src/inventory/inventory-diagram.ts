/**
 * The persistence chain as boxes and arrows, left to right: singleton Services and backup jobs →
 * workloads → claims (one per replica) → PersistentVolumes and VolumeSnapshots → StorageClasses and
 * VolumeSnapshotClasses → provisioners. The Mermaid and HTML formats both draw this one diagram, so
 * they cannot disagree. Internal: not part of the jsii API.
 */
import { InventoryClaim, InventoryDiagram, InventoryDiagramEdge, InventoryDiagramNode, InventoryDocument, InventoryFinding } from './inventory-document';

/** Columns of the layout. */
export const COLUMNS = ['Services and backups', 'Workloads', 'Claims', 'Volumes and snapshots', 'Classes', 'Provisioners'];

const openCount = (f: readonly InventoryFinding[]): number => f.filter(x => !x.acknowledged).length;

/** Builds the diagram of an inventory (its `diagram` field excluded). */
export function buildDiagram(doc: Omit<InventoryDocument, 'diagram'>): InventoryDiagram {
  const nodes: InventoryDiagramNode[] = [];
  const edges: InventoryDiagramEdge[] = [];
  const byObject = new Map<string, string>();
  const edgeKeys = new Set<string>();
  const node = (object: string, type: string, column: number, lines: string[], findings = 0): string => {
    const known = byObject.get(object);
    if (known) return known;
    const id = `n${nodes.length}`;
    nodes.push({ id, object, type, lines: lines.filter(l => l !== ''), column, findings });
    byObject.set(object, id);
    return id;
  };
  const edge = (from: string, to: string, label: string): void => {
    const key = `${from}>${to}`;
    if (from === to || edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push({ from, to, label });
  };

  const classes = new Map(doc.storage.storageClasses.map(c => [c.name, c]));
  const classNode = (name: string): string => {
    const sc = classes.get(name);
    const id = node(`StorageClass/${name}`, 'class', 4, [
      `StorageClass ${name}`,
      sc?.inInput ? `reclaim ${sc.reclaimPolicy}` : 'not in the input',
      sc?.inInput ? `binding ${sc.volumeBindingMode}` : '',
    ], openCount(sc?.findings ?? []));
    if (sc?.provisioner) {
      const caps = sc.accessModes ? [sc.accessModes.join(', '), sc.snapshots ? 'snapshots' : '', sc.nodeLocal ? 'node-local' : ''].filter(x => x !== '').join(' · ') : 'not in the catalog';
      edge(id, node(`provisioner/${sc.provisioner}`, 'provisioner', 5, [`provisioner ${sc.provisioner}`, caps]), 'provisioner');
    }
    return id;
  };
  const pvs = new Map(doc.storage.persistentVolumes.map(p => [p.name, p]));
  const volumeNode = (name: string): string => {
    const pv = pvs.get(name);
    const id = node(`PersistentVolume/${name}`, 'volume', 3, [
      `PersistentVolume ${name}`,
      pv ? `${pv.capacity ?? ''} reclaim ${pv.reclaimPolicy}`.trim() : 'not in the input',
      pv?.perNodeDisk ? 'disk of one node' : '',
    ], openCount(pv?.findings ?? []));
    if (pv?.storageClass) edge(id, classNode(pv.storageClass), 'class');
    return id;
  };
  const claimNode = (c: InventoryClaim): string => {
    const modes = c.accessModes.map(m => m.replace('ReadWriteOncePod', 'RWOP').replace('ReadWriteOnce', 'RWO').replace('ReadWriteMany', 'RWX').replace('ReadOnlyMany', 'ROX')).join(',');
    const id = node(c.id, 'claim', 2, [
      `PVC ${c.name}`,
      [c.size, modes].filter(x => x).join(' '),
      c.replica !== undefined ? `replica ${c.replica}${c.generated ? ' (from template)' : ''}` : c.inInput ? '' : 'not in the input',
      c.reclaimPolicySource === 'PersistentVolume' ? `reclaim ${c.reclaimPolicy}` : '',
    ], openCount(c.findings));
    if (c.persistentVolume) edge(id, volumeNode(c.persistentVolume), 'bound');
    else if (c.storageClass) edge(id, classNode(c.storageClass), 'class');
    else if (c.storageClassSource === 'cluster-default') edge(id, classNode('(cluster default)'), 'class');
    return id;
  };

  for (const d of doc.dataStores) {
    const retention = d.claimRetention ? `claims ${d.claimRetention.whenDeleted} on delete, ${d.claimRetention.whenScaled} on scale-down` : '';
    const w = node(d.id, 'workload', 1, [
      `${d.kind} ${d.namespace}/${d.name}`,
      [d.replicasText, d.engine].filter(x => x).join(' · '),
      retention,
      ...d.hostPaths.map(h => `hostPath ${h.path}${h.readOnly ? ' (read-only)' : ''}`),
    ], openCount(d.findings));
    for (const c of d.claims) edge(w, claimNode(c), c.replica !== undefined ? `replica ${c.replica}` : 'mounts');
  }
  for (const c of doc.storage.claims) claimNode(c);
  for (const b of doc.backups) {
    const id = node(b.id, 'backup', 0, [
      `CronJob ${b.namespace}/${b.name}`,
      `${b.type === 'snapshot' ? 'snapshots' : 'logical backup'} ${b.schedule}${b.timeZone ? ` ${b.timeZone}` : ''}${b.suspended ? ' (suspended)' : ''}`,
      [b.keep !== undefined ? `keep ${b.keep}` : '', b.snapshotClass ? `class ${b.snapshotClass}` : ''].filter(x => x).join(' · '),
    ], openCount(b.findings));
    const claimNodeOf = (name: string): string | undefined => byObject.get(`PersistentVolumeClaim/${b.namespace}/${name}`);
    const snapshotted = b.snapshotClaims.map(claimNodeOf).filter((x): x is string => !!x);
    if (snapshotted.length > 0) for (const c of snapshotted) edge(id, c, 'snapshots');
    else for (const t of b.targets) if (byObject.has(t)) edge(id, byObject.get(t)!, 'backs up');
    for (const dest of b.destinationClaims) {
      const target = claimNodeOf(dest);
      if (target) edge(id, target, 'writes to');
    }
  }
  for (const s of doc.singletons) {
    if (s.type !== 'service') continue;
    const [, ns, name] = s.id.split('/');
    const id = node(s.id, 'service', 0, [`Service ${ns}/${name}`, `one pod: ${s.pod ?? ''}`], openCount(s.findings));
    if (s.workload && byObject.has(s.workload)) edge(id, byObject.get(s.workload)!, `selects ${s.pod ?? ''}`);
  }
  const snapshotClasses = new Map(doc.storage.volumeSnapshotClasses.map(c => [c.name, c]));
  const snapshotClassNode = (name: string): string => {
    const c = snapshotClasses.get(name);
    const id = node(`VolumeSnapshotClass/${name}`, 'snapshotClass', 4, [
      `VolumeSnapshotClass ${name}`, c?.inInput ? `deletion ${c.deletionPolicy ?? 'unknown'}` : 'not in the input',
    ], openCount(c?.findings ?? []));
    if (c?.driver) edge(id, node(`provisioner/${c.driver}`, 'provisioner', 5, [`provisioner ${c.driver}`]), 'driver');
    return id;
  };
  for (const s of doc.storage.volumeSnapshots) {
    const id = node(s.id, 'snapshot', 3, [`VolumeSnapshot ${s.namespace ?? ''}/${s.name}`], openCount(s.findings));
    const source = s.sourceClaim ? byObject.get(`PersistentVolumeClaim/${s.namespace}/${s.sourceClaim}`) : undefined;
    if (source) edge(source, id, 'snapshot');
    if (s.snapshotClass) edge(id, snapshotClassNode(s.snapshotClass), 'class');
  }
  for (const c of doc.storage.volumeSnapshotClasses) if (c.inInput) snapshotClassNode(c.name);
  for (const pv of doc.storage.persistentVolumes) volumeNode(pv.name);
  for (const sc of doc.storage.storageClasses) if (sc.inInput) classNode(sc.name);
  return { nodes, edges };
}
