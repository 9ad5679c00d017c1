/**
 * The inventory as Markdown: the summary, the chain as a Mermaid block (GitHub and most viewers
 * draw it), then one table per group. Every value is escaped, so a name cannot open a link, an
 * HTML tag or a new table cell. Internal: not part of the jsii API.
 */
import { InventoryDocument, InventoryFinding } from './inventory-document';
import { renderMermaid } from './render-mermaid';
import { backupText, claimChainText, claimHead, findingText, summaryText } from './render-text';

/** Text safe in a Markdown table cell. */
export function markdownText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]{}()#+!|~]/g, c => `\\${c}`);
}

function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ['_None._', ''];
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(r => `| ${r.join(' | ')} |`), ''];
}
const risks = (f: InventoryFinding[]): string => (f.length === 0 ? '' : f.map(x => markdownText(findingText(x))).join('<br>'));

/** The inventory as Markdown. */
export function renderMarkdown(doc: InventoryDocument, title: string): string {
  const m = markdownText;
  const out: string[] = [`# ${m(title)}`, '', m(`${summaryText(doc)}.`), ''];
  out.push('## Persistence chain', '', '```mermaid', renderMermaid(doc.diagram).trimEnd(), '```', '');
  out.push('## Config', '', 'ConfigMaps, by name only.', '', ...table(['ConfigMap', 'In the input', 'Read by', 'Risks'],
    doc.config.map(c => [m(`${c.namespace}/${c.name}`), c.inInput ? 'yes' : 'no', m(c.usedBy.join(', ')), risks(c.findings)])));
  out.push('## Secrets', '', 'Secrets, by name only: never their values.', '', ...table(['Secret', 'In the input', 'Read by', 'Risks'],
    doc.secrets.map(c => [m(`${c.namespace}/${c.name}`), c.inInput ? 'yes' : 'no', m(c.usedBy.join(', ')), risks(c.findings)])));
  out.push('## Data stores', '');
  if (doc.dataStores.length === 0) out.push('_None._', '');
  for (const d of doc.dataStores) {
    out.push(`### ${m(`${d.kind} ${d.namespace}/${d.name}`)}`, '');
    out.push(`- ${m(`${d.replicasText}${d.engine ? `, ${d.engine}` : ''}${d.singleton ? ', singleton' : ''}`)}`);
    if (d.claimRetention) out.push(`- claim retention policy: whenDeleted ${m(d.claimRetention.whenDeleted)}, whenScaled ${m(d.claimRetention.whenScaled)}`);
    for (const h of d.hostPaths) out.push(`- hostPath ${m(h.path)} (volume ${m(h.volume)}${h.readOnly ? ', read-only' : ', writable'})`);
    const backups = doc.backups.filter(b => d.backups.includes(b.id));
    out.push(`- backups: ${backups.length === 0 ? 'none' : backups.map(b => m(backupText(b))).join('; ')}`);
    for (const f of d.findings) out.push(`- risk: ${m(findingText(f))}`);
    out.push('', ...table(['Claim', 'Class', 'Provisioner', 'Reclaim policy', 'Chain'], d.claims.map(c => [
      m(claimHead(c)), m(c.storageClass ?? c.storageClassSource), m(c.provisioner ?? 'unknown'), m(`${c.reclaimPolicy} (${c.reclaimPolicySource})`), m(claimChainText(c)),
    ])));
  }
  out.push('## File stores', '', 'Shared volumes (ReadWriteMany, ReadOnlyMany, or mounted by several workloads).', '', ...table(['Claim', 'Writers', 'Readers'],
    doc.fileStores.map(f => [m(f.claim), m(f.writers.join(', ')), m(f.readers.join(', '))])));
  out.push('## Singletons', '', ...table(['Object', 'Why', 'Risks'], doc.singletons.map(s => [m(s.id), m(`${s.reason}${s.workload ? ` of ${s.workload}` : ''}`), risks(s.findings)])));
  out.push('## Backups', '', ...table(['CronJob', 'Type', 'Schedule', 'Keep', 'Backs up', 'Risks'], doc.backups.map(b => [
    m(`${b.namespace}/${b.name}`), m(b.type), m(`${b.schedule}${b.suspended ? ' (suspended)' : ''}`), b.keep !== undefined ? String(b.keep) : '', m([...b.targets, ...b.snapshotClaims].join(', ')), risks(b.findings),
  ])));
  const st = doc.storage;
  out.push('## Storage', '', ...table(['Object', 'Details', 'Risks'], [
    ...st.storageClasses.map(c => [m(`StorageClass ${c.name}`), m(c.inInput ? `provisioner ${c.provisioner}, reclaim policy ${c.reclaimPolicy}, binding ${c.volumeBindingMode}` : 'not in the input'), risks(c.findings)]),
    ...st.persistentVolumes.map(p => [m(`PersistentVolume ${p.name}`), m([p.capacity, p.storageClass, `reclaim policy ${p.reclaimPolicy}`, p.claim ? `for ${p.claim}` : ''].filter(x => x).join(', ')), risks(p.findings)]),
    ...st.claims.map(c => [m(`PersistentVolumeClaim ${c.namespace}/${c.name}`), m(`${claimHead(c)} → ${claimChainText(c)}`), risks(c.findings)]),
    ...st.volumeSnapshots.map(s => [m(`VolumeSnapshot ${s.namespace}/${s.name}`), m(`of ${s.sourceClaim ?? '(pre-provisioned)'}${s.snapshotClass ? `, class ${s.snapshotClass}` : ''}`), risks(s.findings)]),
    ...st.volumeSnapshotClasses.map(s => [m(`VolumeSnapshotClass ${s.name}`), m(s.inInput ? `driver ${s.driver ?? 'unknown'}, deletion policy ${s.deletionPolicy}` : 'not in the input'), risks(s.findings)]),
  ]));
  if (doc.otherFindings.length > 0) {
    out.push('## Findings on objects holding no state', '', ...table(['Object', 'Finding'], doc.otherFindings.map(o => [m(o.object), m(findingText(o.finding))])));
  }
  return out.join('\n').trimEnd() + '\n';
}
