/**
 * The inventory as ONE self-contained HTML page: inline CSS and script, the chain drawn as an SVG
 * of its own layout (no library, no network: a Content-Security-Policy forbids every fetch), and
 * each object's findings beside it. Every name is HTML-escaped. Internal: not part of the jsii API.
 */
import { layoutDiagram, LINE_HEIGHT } from './diagram-layout';
import { COLUMNS } from './inventory-diagram';
import { InventoryDocument, InventoryFinding } from './inventory-document';
import { backupText, claimChainText, claimHead, findingText, summaryText } from './render-text';

/** Text safe in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, c => `&#${c.charCodeAt(0)};`)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const h = escapeHtml;

const CSS = `
:root{--ink:#202124;--muted:#5f6368;--line:#dadce0;--err:#d93025;--warn:#b06000;--ok:#188038}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fafafa}
header{padding:18px 24px;background:#fff;border-bottom:1px solid var(--line)}h1{margin:0 0 4px;font-size:20px}
.summary{margin:0;color:var(--muted)}section{padding:8px 24px}h2{font-size:16px;margin:18px 0 8px}h3{font-size:14px;margin:0 0 6px}
.diagram{overflow:auto;background:#fff;border:1px solid var(--line);border-radius:8px}
svg text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:var(--ink)}
svg .col{font:600 12px system-ui,sans-serif;fill:var(--muted)}
.node rect{stroke-width:1.5;rx:6}.node .first{font-weight:700}.node{cursor:pointer}
.t-workload rect{fill:#e8f0fe;stroke:#3367d6}.t-claim rect{fill:#e6f4ea;stroke:#188038}.t-volume rect{fill:#e6f4ea;stroke:#0d652d}
.t-class rect,.t-snapshotClass rect{fill:#fef7e0;stroke:#b06000}.t-provisioner rect{fill:#f1f3f4;stroke:#5f6368}
.t-backup rect,.t-snapshot rect{fill:#f3e8fd;stroke:#8430ce}.t-service rect{fill:#fce8e6;stroke:#c5221f}
.node.risk rect{stroke:var(--err);stroke-width:3}.badge circle{fill:var(--err)}.badge text{fill:#fff;font-weight:700;font-size:11px}
.edge{fill:none;stroke:#9aa0a6;stroke-width:1.4}.edge.hl{stroke:#1a73e8;stroke-width:2.6}
.edge-label{font-size:10px!important;fill:var(--muted)!important;paint-order:stroke;stroke:#fff;stroke-width:3px}
.grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(16rem,26rem);gap:12px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px;margin:8px 0}
.grid.hl{outline:3px solid #1a73e8}.risks{border-left:3px solid var(--line);padding-left:10px}.risks ul{margin:0;padding-left:16px}
.risks .none{color:var(--ok)}.sev-error{color:var(--err)}.sev-warning{color:var(--warn)}.ack{color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;border-bottom:1px solid var(--line);padding:3px 6px;vertical-align:top}
code{font:12px ui-monospace,Menlo,Consolas,monospace}.muted{color:var(--muted)}
`;

/** Hover a box: its arrows light up. Click it: its card scrolls into view. */
const SCRIPT = `
(function(){
  var edges=document.querySelectorAll('svg .edge');
  document.querySelectorAll('svg .node').forEach(function(n){
    var id=n.getAttribute('data-id');
    n.addEventListener('mouseenter',function(){edges.forEach(function(e){if(e.getAttribute('data-from')===id||e.getAttribute('data-to')===id)e.classList.add('hl');});});
    n.addEventListener('mouseleave',function(){edges.forEach(function(e){e.classList.remove('hl');});});
    n.addEventListener('click',function(){
      var card=document.querySelector('[data-node="'+id+'"]');
      if(!card)return;
      document.querySelectorAll('.grid.hl').forEach(function(c){c.classList.remove('hl');});
      card.classList.add('hl');card.scrollIntoView({behavior:'smooth',block:'center'});
    });
  });
})();
`;

function findingsHtml(findings: InventoryFinding[]): string {
  if (findings.length === 0) return '<aside class="risks"><span class="none">No finding.</span></aside>';
  const items = findings.map(f => {
    const cls = f.acknowledged ? 'ack' : `sev-${f.severity === 'error' ? 'error' : 'warning'}`;
    return `<li class="finding ${cls}" data-rule="${h(f.ruleId)}">${h(findingText(f))}</li>`;
  });
  return `<aside class="risks"><ul>${items.join('')}</ul></aside>`;
}

/** The inventory as one HTML page. */
export function renderHtml(doc: InventoryDocument, title: string): string {
  const nodeOf = new Map(doc.diagram.nodes.map(n => [n.object, n.id]));
  const findingsOf = new Map<string, InventoryFinding[]>();
  const collect = (id: string, f: InventoryFinding[]): void => { if (f.length > 0) findingsOf.set(id, f); };
  doc.dataStores.forEach(d => { collect(d.id, d.findings); d.claims.forEach(c => collect(c.id, c.findings)); });
  doc.backups.forEach(b => collect(b.id, b.findings));
  doc.singletons.forEach(s => collect(s.id, s.findings));
  doc.storage.claims.forEach(c => collect(c.id, c.findings));
  doc.storage.storageClasses.forEach(c => collect(c.id, c.findings));
  doc.storage.persistentVolumes.forEach(c => collect(c.id, c.findings));
  [...doc.storage.volumeSnapshots, ...doc.storage.volumeSnapshotClasses].forEach(c => collect(c.id, c.findings));

  const layout = layoutDiagram(doc.diagram);
  const svg: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" id="chain" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Persistence chain">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#9aa0a6"/></marker></defs>'];
  for (const c of layout.columns) svg.push(`<text class="col" x="${c.x}" y="20">${h(COLUMNS[c.column] ?? '')}</text>`);
  for (const e of layout.edges) {
    svg.push(`<path class="edge" data-from="${e.from}" data-to="${e.to}" d="${e.path}" marker-end="url(#arrow)"><title>${h(e.label)}</title></path>`);
  }
  for (const e of layout.edges) svg.push(`<text class="edge-label" x="${e.labelX}" y="${e.labelY}" text-anchor="middle">${h(e.label)}</text>`);
  for (const p of layout.nodes) {
    const n = p.node;
    const tip = [...n.lines, ...(findingsOf.get(n.object) ?? []).map(findingText)].join('\n');
    const texts = p.lines.map((l, i) => `<text${i === 0 ? ' class="first"' : ''} x="${p.x + 10}" y="${Math.round(p.y + 10 + (i + 0.8) * LINE_HEIGHT)}">${h(l)}</text>`);
    const badge = n.findings > 0
      ? `<g class="badge"><circle cx="${p.x + p.width}" cy="${p.y}" r="10"/><text x="${p.x + p.width}" y="${p.y + 4}" text-anchor="middle">${n.findings}</text></g>` : '';
    svg.push(`<g class="node t-${h(n.type)}${n.findings > 0 ? ' risk' : ''}" data-id="${n.id}" data-type="${h(n.type)}" data-findings="${n.findings}"><title>${h(tip)}</title>`
      + `<rect x="${p.x}" y="${Math.round(p.y)}" width="${p.width}" height="${p.height}"/>${texts.join('')}${badge}</g>`);
  }
  svg.push('</svg>');

  const card = (objectId: string, body: string, findings: InventoryFinding[]): string => {
    const nodeId = nodeOf.get(objectId);
    return `<div class="grid"${nodeId ? ` data-node="${nodeId}"` : ''} data-object="${h(objectId)}"><div>${body}</div>${findingsHtml(findings)}</div>`;
  };
  const list = (items: string[]): string => (items.length === 0 ? '<p class="muted">None.</p>' : items.join(''));
  const usedBy = (ids: string[]): string => (ids.length > 0 ? ` <span class="muted">read by ${h(ids.join(', '))}</span>` : '');
  const sections: string[] = [];
  sections.push(`<section id="config"><h2>Config</h2><p class="muted">ConfigMaps, by name only.</p>${list(doc.config.map(c =>
    card(c.id, `<h3>ConfigMap ${h(`${c.namespace}/${c.name}`)}${c.inInput ? '' : ' <span class="muted">(not in the input)</span>'}</h3>${usedBy(c.usedBy)}`, c.findings)))}</section>`);
  sections.push(`<section id="secrets"><h2>Secrets</h2><p class="muted">Secrets, by name only: never their values.</p>${list(doc.secrets.map(c =>
    card(c.id, `<h3>Secret ${h(`${c.namespace}/${c.name}`)}${c.inInput ? '' : ' <span class="muted">(not in the input)</span>'}</h3>${usedBy(c.usedBy)}`, c.findings)))}</section>`);
  sections.push(`<section id="data-stores"><h2>Data stores</h2>${list(doc.dataStores.map(d => {
    const rows = d.claims.map(c => `<tr><td>${h(claimHead(c))}</td><td>${h(c.storageClass ?? c.storageClassSource)}</td><td>${h(c.provisioner ?? 'unknown')}</td>`
      + `<td>${h(`${c.reclaimPolicy} (${c.reclaimPolicySource})`)}</td><td>${h(c.persistentVolume ?? '')}</td></tr>`);
    const backups = doc.backups.filter(b => d.backups.includes(b.id)).map(b => `<li>${h(backupText(b))}</li>`);
    const body = `<h3>${h(`${d.kind} ${d.namespace}/${d.name}`)}</h3><p>${h(`${d.replicasText}${d.engine ? `, ${d.engine}` : ''}${d.singleton ? ', singleton' : ''}`)}`
      + `${d.claimRetention ? `<br>claim retention policy: whenDeleted <code>${h(d.claimRetention.whenDeleted)}</code>, whenScaled <code>${h(d.claimRetention.whenScaled)}</code>` : ''}</p>`
      + (rows.length > 0 ? `<table><thead><tr><th>Claim</th><th>Class</th><th>Provisioner</th><th>Reclaim policy</th><th>Volume</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '')
      + d.hostPaths.map(p => `<p>hostPath <code>${h(p.path)}</code> (${p.readOnly ? 'read-only' : 'writable'})</p>`).join('')
      + `<p>Backups:</p>${backups.length > 0 ? `<ul>${backups.join('')}</ul>` : '<p class="sev-warning">none</p>'}`;
    return card(d.id, body, d.findings);
  }))}</section>`);
  sections.push(`<section id="file-stores"><h2>File stores</h2><p class="muted">Shared volumes.</p>${list(doc.fileStores.map(f =>
    card(f.claim, `<h3>${h(f.claim)}</h3><p>writers: ${h(f.writers.join(', ') || 'none')}<br>readers: ${h(f.readers.join(', ') || 'none')}</p>`, [])))}</section>`);
  sections.push(`<section id="singletons"><h2>Singletons</h2>${list(doc.singletons.map(s =>
    card(s.id, `<h3>${h(s.id)}</h3><p>${h(`${s.reason}${s.workload ? ` of ${s.workload}` : ''}`)}</p>`, s.findings)))}</section>`);
  sections.push(`<section id="backups"><h2>Backups</h2>${list(doc.backups.map(b =>
    card(b.id, `<h3>CronJob ${h(`${b.namespace}/${b.name}`)}</h3><p>${h(backupText(b))}<br><span class="muted">backs up ${h(b.targets.join(', ') || 'no data store of the input')}</span></p>`, b.findings)))}</section>`);
  const st = doc.storage;
  sections.push(`<section id="storage"><h2>Storage</h2>${list([
    ...st.storageClasses.map(c => card(c.id, `<h3>StorageClass ${h(c.name)}</h3><p>${h(c.inInput ? `provisioner ${c.provisioner}, reclaim policy ${c.reclaimPolicy}, binding ${c.volumeBindingMode}${c.isDefault ? ', default' : ''}` : 'not in the input')}</p>`, c.findings)),
    ...st.persistentVolumes.map(p => card(p.id, `<h3>PersistentVolume ${h(p.name)}</h3><p>${h([p.capacity, p.storageClass ? `class ${p.storageClass}` : '', `reclaim policy ${p.reclaimPolicy}`, p.claim ? `for ${p.claim}` : ''].filter(x => x).join(', '))}</p>`, p.findings)),
    ...st.claims.map(c => card(c.id, `<h3>PersistentVolumeClaim ${h(`${c.namespace}/${c.name}`)}</h3><p>${h(claimHead(c))}<br>${h(claimChainText(c))}</p>`, c.findings)),
    ...st.volumeSnapshots.map(s => card(s.id, `<h3>VolumeSnapshot ${h(`${s.namespace}/${s.name}`)}</h3><p>${h(`of ${s.sourceClaim ?? '(pre-provisioned)'}${s.snapshotClass ? `, class ${s.snapshotClass}` : ''}`)}</p>`, s.findings)),
    ...st.volumeSnapshotClasses.map(s => card(s.id, `<h3>VolumeSnapshotClass ${h(s.name)}</h3><p>${h(s.inInput ? `driver ${s.driver ?? 'unknown'}, deletion policy ${s.deletionPolicy}` : 'not in the input')}</p>`, s.findings)),
  ])}</section>`);
  if (doc.otherFindings.length > 0) {
    sections.push(`<section id="other-findings"><h2>Findings on objects holding no state</h2><table><tbody>${doc.otherFindings.map(o =>
      `<tr><td>${h(o.object)}</td><td>${h(findingText(o.finding))}</td></tr>`).join('')}</tbody></table></section>`);
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing may be fetched: the page is one file, readable offline.
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title><style>${CSS}</style></head><body>`,
    `<header><h1>${h(title)}</h1><p class="summary">${h(summaryText(doc))}</p></header>`,
    `<section id="chain-section"><h2>Persistence chain</h2><div class="diagram">${svg.join('\n')}</div></section>`,
    ...sections,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
  ].join('\n') + '\n';
}
