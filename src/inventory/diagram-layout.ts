/**
 * A layered layout of the chain diagram for the HTML page: one column per layer, boxes sized to
 * their text, ordered in each column by the mean position of their neighbours (fewer crossings),
 * arrows as curves from the right edge of a box to the left edge of the next. Internal: not part of
 * the jsii API.
 */
import { InventoryDiagram, InventoryDiagramNode } from './inventory-document';

/** A placed box. */
export interface PlacedNode {
  readonly node: InventoryDiagramNode;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The lines as drawn (long ones cut with an ellipsis). */
  readonly lines: string[];
}

/** A routed arrow. */
export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** SVG path data. */
  readonly path: string;
  readonly labelX: number;
  readonly labelY: number;
}

/** The whole drawing. */
export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: PlacedNode[];
  readonly edges: PlacedEdge[];
  /** Column titles and their x. */
  readonly columns: Array<{ readonly x: number; readonly width: number; readonly column: number }>;
}

export const LINE_HEIGHT = 16;
const CHAR_WIDTH = 6.8;
const PADDING = 10;
const MAX_CHARS = 44;
const GAP_Y = 18;
const GAP_X = 90;
const TOP = 40;
const MARGIN = 16;

function cut(line: string): string {
  return line.length > MAX_CHARS ? `${line.slice(0, MAX_CHARS - 1)}…` : line;
}

/** Lays the diagram out. */
export function layoutDiagram(diagram: InventoryDiagram): DiagramLayout {
  const columns = [...new Set(diagram.nodes.map(n => n.column))].sort((a, b) => a - b);
  const byColumn = new Map<number, InventoryDiagramNode[]>(columns.map(c => [c, diagram.nodes.filter(n => n.column === c)]));
  const neighbours = new Map<string, string[]>(diagram.nodes.map(n => [n.id, []]));
  for (const e of diagram.edges) {
    neighbours.get(e.from)?.push(e.to);
    neighbours.get(e.to)?.push(e.from);
  }
  // Barycentre ordering: a few sweeps, each column sorted by the mean rank of its neighbours.
  const rank = new Map<string, number>();
  const setRanks = (): void => {
    for (const list of byColumn.values()) list.forEach((n, i) => rank.set(n.id, i / Math.max(1, list.length - 1)));
  };
  setRanks();
  for (let sweep = 0; sweep < 4; sweep++) {
    const order = sweep % 2 === 0 ? columns : [...columns].reverse();
    for (const c of order) {
      const list = byColumn.get(c)!;
      const key = new Map(list.map((n, i) => {
        const ns = neighbours.get(n.id)!.map(id => rank.get(id)!).filter(r => r !== undefined);
        return [n.id, ns.length > 0 ? ns.reduce((a, b) => a + b, 0) / ns.length : i / Math.max(1, list.length - 1)];
      }));
      list.sort((a, b) => key.get(a.id)! - key.get(b.id)! || diagram.nodes.indexOf(a) - diagram.nodes.indexOf(b));
      list.forEach((n, i) => rank.set(n.id, i / Math.max(1, list.length - 1)));
    }
  }
  const placed = new Map<string, PlacedNode>();
  const columnBoxes: Array<{ x: number; width: number; column: number }> = [];
  let x = MARGIN;
  let height = 0;
  const sizes = new Map<string, { lines: string[]; height: number }>();
  for (const c of columns) {
    const list = byColumn.get(c)!;
    let width = 0;
    for (const n of list) {
      const lines = n.lines.map(cut);
      sizes.set(n.id, { lines, height: lines.length * LINE_HEIGHT + PADDING * 2 - 4 });
      width = Math.max(width, ...lines.map(l => l.length * CHAR_WIDTH + PADDING * 2));
    }
    width = Math.ceil(Math.max(width, 120));
    const total = list.reduce((sum, n) => sum + sizes.get(n.id)!.height, 0) + GAP_Y * (list.length - 1);
    height = Math.max(height, total);
    columnBoxes.push({ x, width, column: c });
    x += width + GAP_X;
  }
  // Each column centred vertically in the tallest one.
  columnBoxes.forEach(({ x: cx, width, column }) => {
    const list = byColumn.get(column)!;
    const total = list.reduce((sum, n) => sum + sizes.get(n.id)!.height, 0) + GAP_Y * (list.length - 1);
    let y = TOP + (height - total) / 2;
    for (const n of list) {
      const s = sizes.get(n.id)!;
      placed.set(n.id, { node: n, x: cx, y, width, height: s.height, lines: s.lines });
      y += s.height + GAP_Y;
    }
  });
  const edges: PlacedEdge[] = diagram.edges.map(e => {
    const a = placed.get(e.from)!;
    const b = placed.get(e.to)!;
    const x1 = a.x + a.width;
    const y1 = a.y + a.height / 2;
    const x2 = b.x - 2;
    const y2 = b.y + b.height / 2;
    const dx = Math.max(30, (x2 - x1) / 2);
    const r = (v: number): number => Math.round(v * 10) / 10;
    return {
      from: e.from,
      to: e.to,
      label: e.label,
      path: `M${r(x1)},${r(y1)} C${r(x1 + dx)},${r(y1)} ${r(x2 - dx)},${r(y2)} ${r(x2)},${r(y2)}`,
      // Between neighbouring columns the label sits mid-way; a longer arrow is labelled in the gap
      // before its target, where no box is.
      ...(x2 - x1 <= GAP_X + 4 ? { labelX: r((x1 + x2) / 2), labelY: r((y1 + y2) / 2 - 4) } : { labelX: r(x2 - GAP_X / 2), labelY: r(y2 - 4) }),
    };
  });
  return {
    width: Math.ceil(x - GAP_X + MARGIN),
    height: Math.ceil(TOP + height + MARGIN),
    nodes: diagram.nodes.map(n => placed.get(n.id)!),
    edges,
    columns: columnBoxes,
  };
}
