/**
 * The inventory as plain text and as Markdown: one section per group (config, secrets, data
 * stores, file stores, singletons), then backups, storage and the findings on objects holding no
 * state. Internal: not part of the jsii API.
 */
import { InventoryBackup, InventoryClaim, InventoryDataStore, InventoryDocument, InventoryFinding } from './inventory-document';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Control characters (a hostile name could move the cursor or fake lines) shown as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `ERROR SG001 <title>: <message> Fix: <fix>` (acknowledged ones say so). */
export function findingText(f: InventoryFinding): string {
  const head = f.acknowledged ? `acknowledged ${f.ruleId}` : `${f.severity === 'error' ? 'ERROR' : 'WARNING'} ${f.ruleId}`;
  return `${head} ${f.title}: ${f.message}${f.acknowledged ? '' : ` Fix: ${f.fix}`}`;
}

/** The summary line. */
export function summaryText(doc: InventoryDocument): string {
  const s = doc.summary;
  return `${plural(s.config, 'ConfigMap')}, ${plural(s.secrets, 'Secret')}, ${plural(s.dataStores, 'data store')}, `
    + `${plural(s.fileStores, 'file store')}, ${plural(s.singletons, 'singleton')}, ${plural(s.backups, 'backup job')}, ${plural(s.claims, 'claim')}; `
    + `risks: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.acknowledged} acknowledged`;
}

/** `class ebs-gp3 → provisioner ebs.csi.aws.com → reclaim Delete (StorageClass)` for one claim. */
export function claimChainText(c: InventoryClaim): string {
  const cls = c.storageClass
    ? `class ${c.storageClass}${c.storageClassInInput ? '' : ' (not in the input)'}`
    : c.storageClassSource === 'none' ? 'no class (static binding)'
      : c.storageClassSource === 'unknown' ? 'class unknown (claim not in the input)' : "the cluster's default class (not in the input)";
  const provisioner = c.provisioner ? `provisioner ${c.provisioner}` : 'provisioner unknown';
  const reclaim = c.reclaimPolicySource === 'unknown' ? 'reclaim policy unknown' : `reclaim policy ${c.reclaimPolicy} (${c.reclaimPolicySource})`;
  return [cls, ...(c.persistentVolume ? [`volume ${c.persistentVolume}`] : []), provisioner, reclaim].join(' → ');
}

/** `claim data-db-0 (replica 0 of template data, generated): 50Gi ReadWriteOnce` */
export function claimHead(c: InventoryClaim): string {
  const origin = c.replica !== undefined ? ` (replica ${c.replica} of template ${c.template}${c.generated ? ', created by the StatefulSet' : ''})`
    : c.inInput ? '' : ' (not in the input)';
  const shape = [c.size, c.accessModes.join(',')].filter(x => x).join(' ');
  return `claim ${c.name}${origin}${shape ? `: ${shape}` : ''}${c.shared ? ', shared' : ''}`;
}

/** `logical backup CronJob shop/x: schedule 0 3 * * *, keep 7 → claim b` */
export function backupText(b: InventoryBackup): string {
  const what = b.type === 'snapshot' ? 'snapshots' : 'logical backup';
  const extra = [
    b.timeZone ? `time zone ${b.timeZone}` : '',
    b.suspended ? 'SUSPENDED' : '',
    b.keep !== undefined ? `keep ${b.keep}` : '',
    b.snapshotClass ? `snapshot class ${b.snapshotClass}` : '',
  ].filter(x => x);
  const of = b.snapshotClaims.length > 0 ? ` of ${b.snapshotClaims.join(', ')}` : '';
  const to = b.destinationClaims.length > 0 ? ` → claim ${b.destinationClaims.join(', ')}` : '';
  return `${what} CronJob ${b.namespace}/${b.name}: schedule ${b.schedule}${extra.length ? `, ${extra.join(', ')}` : ''}${of}${to}`;
}

function dataStoreLines(d: InventoryDataStore, doc: InventoryDocument, indent: string): string[] {
  const lines = [`${indent}${d.kind} ${d.namespace}/${d.name}: ${d.replicasText}${d.engine ? `, ${d.engine}` : ''}${d.singleton ? ', singleton' : ''}`];
  const i2 = `${indent}  `;
  if (d.claimRetention) lines.push(`${i2}claim retention policy: whenDeleted ${d.claimRetention.whenDeleted}, whenScaled ${d.claimRetention.whenScaled}`);
  for (const c of d.claims) lines.push(`${i2}${claimHead(c)}`, `${i2}  → ${claimChainText(c)}`);
  for (const h of d.hostPaths) lines.push(`${i2}hostPath ${h.path} (volume ${h.volume}${h.readOnly ? ', read-only' : ', writable'})`);
  const backups = doc.backups.filter(b => d.backups.includes(b.id));
  if (backups.length === 0) lines.push(`${i2}backups: none`);
  for (const b of backups) lines.push(`${i2}${backupText(b)}`);
  if (d.configMaps.length + d.secrets.length > 0) {
    lines.push(`${i2}reads: ${[...d.configMaps, ...d.secrets].map(id => id.replace(/^(\w+)\/[^/]+\//, '$1 ')).join(', ')}`);
  }
  for (const f of d.findings) lines.push(`${i2}risk: ${findingText(f)}`);
  return lines;
}

/** The inventory as text. */
export function renderText(doc: InventoryDocument): string {
  const out: string[] = [`Inventory of state: ${summaryText(doc)}.`, ''];
  const section = (title: string, lines: string[]): void => {
    out.push(`${title}:`);
    out.push(...(lines.length > 0 ? lines : ['  (none)']), '');
  };
  const usedBy = (ids: string[]): string => (ids.length > 0 ? `, read by ${ids.join(', ')}` : '');
  const risks = (f: InventoryFinding[], indent = '    '): string[] => f.map(x => `${indent}risk: ${findingText(x)}`);
  section('Config (ConfigMaps, names only)', doc.config.flatMap(c => [`  ConfigMap ${c.namespace}/${c.name}${c.inInput ? '' : ' (not in the input)'}${usedBy(c.usedBy)}`, ...risks(c.findings)]));
  section('Secrets (names only, never values)', doc.secrets.flatMap(c => [`  Secret ${c.namespace}/${c.name}${c.inInput ? '' : ' (not in the input)'}${usedBy(c.usedBy)}`, ...risks(c.findings)]));
  section('Data stores', doc.dataStores.flatMap(d => dataStoreLines(d, doc, '  ')));
  section('File stores (shared volumes)', doc.fileStores.map(f => `  ${f.claim.replace(/^PersistentVolumeClaim\//, 'claim ')}: writers ${f.writers.join(', ') || 'none'}; readers ${f.readers.join(', ') || 'none'}`));
  section('Singletons', doc.singletons.flatMap(s => [`  ${s.id}: ${s.reason}${s.workload ? ` of ${s.workload}` : ''}`, ...risks(s.findings)]));
  section('Backups', doc.backups.flatMap(b => [`  ${backupText(b)}; backs up ${b.targets.join(', ') || 'no data store of the input'} (${b.evidence.join('; ')})`, ...risks(b.findings)]));
  const st = doc.storage;
  section('Storage', [
    ...st.storageClasses.flatMap(c => [
      `  StorageClass ${c.name}: ${c.inInput ? `provisioner ${c.provisioner}, reclaim policy ${c.reclaimPolicy}, binding ${c.volumeBindingMode}${c.isDefault ? ', default' : ''}` : 'not in the input'}`,
      ...risks(c.findings),
    ]),
    ...st.persistentVolumes.flatMap(p => [
      `  PersistentVolume ${p.name}: ${[p.capacity, p.storageClass ? `class ${p.storageClass}` : '', `reclaim policy ${p.reclaimPolicy}`, p.perNodeDisk ? 'disk of one node' : '', p.claim ? `for claim ${p.claim}` : ''].filter(x => x).join(', ')}`,
      ...risks(p.findings),
    ]),
    ...st.claims.flatMap(c => [`  ${claimHead(c)} in ${c.namespace}${c.usedBy.length ? `, mounted by ${c.usedBy.join(', ')}` : ''}`, `    → ${claimChainText(c)}`, ...risks(c.findings, '    ')]),
    ...st.volumeSnapshots.flatMap(s => [`  VolumeSnapshot ${s.namespace}/${s.name}: of claim ${s.sourceClaim ?? '(pre-provisioned)'}${s.snapshotClass ? `, class ${s.snapshotClass}` : ''}`, ...risks(s.findings)]),
    ...st.volumeSnapshotClasses.flatMap(s => [`  VolumeSnapshotClass ${s.name}: ${s.inInput ? `driver ${s.driver ?? 'unknown'}, deletion policy ${s.deletionPolicy}` : 'not in the input'}`, ...risks(s.findings)]),
  ]);
  if (doc.otherFindings.length > 0) section('Findings on objects holding no state', doc.otherFindings.map(o => `  ${o.object}: ${findingText(o.finding)}`));
  return out.map(printable).join('\n').trimEnd() + '\n';
}
