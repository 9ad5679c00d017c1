/**
 * The chain diagram as a Mermaid `flowchart LR`. Node ids are the diagram's own (`n0`, `n1`...),
 * never object names; every label is quoted, with the characters Mermaid or HTML would read
 * (quotes, angle brackets, ampersands, backticks, backslashes, `#`, `%`, `|`) written as Mermaid entity
 * codes, so a hostile name cannot end a label or start markup. Internal: not part of the jsii API.
 */
import { InventoryDiagram } from './inventory-document';

/** Shape of each type of box: [open, close]. */
const SHAPES: Record<string, [string, string]> = {
  workload: ['[', ']'],
  claim: ['[(', ')]'],
  volume: ['[[', ']]'],
  class: ['{{', '}}'],
  provisioner: ['([', '])'],
  backup: ['[/', '/]'],
  service: ['((', '))'],
  snapshot: ['[\\', '\\]'],
  snapshotClass: ['{{', '}}'],
};

/** Colours of each type of box. */
const STYLES: Record<string, string> = {
  workload: 'fill:#e8f0fe,stroke:#3367d6',
  claim: 'fill:#e6f4ea,stroke:#188038',
  volume: 'fill:#e6f4ea,stroke:#0d652d',
  class: 'fill:#fef7e0,stroke:#b06000',
  provisioner: 'fill:#f1f3f4,stroke:#5f6368',
  backup: 'fill:#f3e8fd,stroke:#8430ce',
  service: 'fill:#fce8e6,stroke:#c5221f',
  snapshot: 'fill:#f3e8fd,stroke:#681da8',
  snapshotClass: 'fill:#fef7e0,stroke:#b06000',
};
/** Style class name of a type (`class` is a keyword of the flowchart syntax). */
const styleOf = (type: string): string => `st${type.charAt(0).toUpperCase()}${type.slice(1)}`;

/** Text safe inside a quoted Mermaid label: entity codes for every character with a meaning. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/[#"&<>`|%\\]/g, c => `#${c.charCodeAt(0)};`);
}

/** The diagram as Mermaid flowchart source. */
export function renderMermaid(diagram: InventoryDiagram): string {
  const lines = ['flowchart LR'];
  for (const n of diagram.nodes) {
    const [open, close] = SHAPES[n.type] ?? ['[', ']'];
    const label = [...n.lines, ...(n.findings > 0 ? [`⚠ ${n.findings} finding${n.findings === 1 ? '' : 's'}`] : [])].map(mermaidText).join('<br/>');
    lines.push(`  ${n.id}${open}"${label}"${close}`);
  }
  for (const e of diagram.edges) lines.push(`  ${e.from} -->|"${mermaidText(e.label)}"| ${e.to}`);
  const types = [...new Set(diagram.nodes.map(n => n.type))];
  for (const t of types) lines.push(`  class ${diagram.nodes.filter(n => n.type === t).map(n => n.id).join(',')} ${styleOf(t)}`);
  const withFindings = diagram.nodes.filter(n => n.findings > 0).map(n => n.id);
  if (withFindings.length > 0) lines.push(`  class ${withFindings.join(',')} risk`);
  lines.push(...Object.entries(STYLES).filter(([t]) => types.includes(t)).map(([t, style]) => `  classDef ${styleOf(t)} ${style}`));
  if (withFindings.length > 0) lines.push('  classDef risk stroke:#d93025,stroke-width:3px');
  return lines.join('\n') + '\n';
}
