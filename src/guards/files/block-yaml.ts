/**
 * A fast reader for the block-style YAML that `helm template`, `cdk8s synth`, `kubectl get -o yaml`
 * and the `yaml` package print: block mappings and sequences, plain scalars over one or more lines,
 * single-line quoted scalars, literal and folded block scalars, single-line flow collections,
 * comments and `---` markers. It gives the very values, document numbers, lines and Helm source
 * comments the `yaml` package gives (YAML 1.2 core schema, as `parseAllDocuments` + `toJS`).
 *
 * A document that uses anything else (anchors, tags, multi-line quoted scalars, `|+`...) is read
 * alone by the `yaml` package, its lines shifted to the file's; the others stay fast. A text the
 * reader cannot split or trust (directives, `...`, a lone CR, unusual characters) or any syntax
 * error gives `undefined`: the caller then reads the whole file with the `yaml` package, whose
 * messages name the document, line and column of every syntax error. A property test holds the two
 * readers equal on generated and hostile inputs. Internal: not part of the jsii API.
 */
import { Document, isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';

/** One YAML document of the input, as both readers give it. */
export interface YamlDocument {
  /** 1-based index of the document in the file (empty documents count). */
  readonly document: number;
  readonly value: unknown;
  /** 1-based line of the document's first node. */
  readonly line?: number;
  /** The comments before the document's first node, as the `yaml` package keeps them. */
  readonly comment: string;
  /** 1-based line of item `index` of the document's top-level `items` sequence, when it is one. */
  readonly itemLine: (index: number) => number | undefined;
  /** Which reader read the document (tests count them). */
  readonly reader?: 'block' | 'yaml';
}

/** Thrown inside the reader when the text leaves the subset; never escapes `readBlockYaml`. */
class OutsideSubset {}
const OUTSIDE = new OutsideSubset();
function outside(): never {
  throw OUTSIDE;
}

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

// Control characters (but tab and line feed), C1 controls, DEL, byte order marks, lone surrogates
// and Unicode line separators: the `yaml` package rejects or treats some of them specially.
const UNUSUAL_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff]/;
// A plain scalar (value) starts with none of YAML's indicators; `-` is checked apart (`-1` is plain).
const PLAIN_START_FORBIDDEN = new Set('&*!|>\'"%@`?:,[]{}#'.split('').map(c => c.charCodeAt(0)));
// What ends a plain scalar's `:` in a flow collection: white space and the flow indicators.
const FLOW_BREAK = new Set(' \t,[]{}'.split('').map(c => c.charCodeAt(0)));
const MAX_IMPLICIT_KEY = 1000; // the `yaml` package refuses implicit keys over 1024 characters

/** The documents of `text`, or `undefined` when the text is outside the subset this reader knows. */
export function readBlockYaml(source: string): YamlDocument[] | undefined {
  let text = source;
  if (text.includes('\r')) {
    // Windows line ends: YAML reads a CR LF as one line break everywhere, so the text is the same
    // with LF alone; a CR on its own is left to the `yaml` package.
    if (/\r(?!\n)/.test(text)) return undefined;
    text = text.replace(/\r\n/g, '\n');
  }
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  try {
    return new BlockReader(text.split('\n')).documents();
  } catch (e) {
    if (e === OUTSIDE || e instanceof RangeError) return undefined; // RangeError: nesting deeper than the stack
    throw e;
  }
}

class BlockReader {
  /** The line being read (0-based). */
  private i = 0;
  /** End (exclusive) of the current document's lines. */
  private end = 0;

  constructor(private readonly lines: string[]) {}

  documents(): YamlDocument[] {
    const lines = this.lines;
    const out: YamlDocument[] = [];
    let document = 0;
    let start = 0; // first line of the current document
    let marker = false; // whether the current document opened with `---`
    let markerComment: string | undefined;
    let beforeFirstMarker: string[] = [];
    for (let k = 0; k <= lines.length; k++) {
      const line = k < lines.length ? lines[k] : undefined;
      const boundary = line === undefined ? 'end' : markerKind(line);
      if (boundary === undefined) continue;
      // Lines start..k-1 are one document (or the comments before the first marker).
      const parsed = this.documentOrFallback(start, k);
      if (parsed) {
        document++;
        const comments = marker ? commentsBefore(lines, start, parsed.first) : [];
        if (markerComment !== undefined) comments.unshift(markerComment);
        // The first document: comments before its `---`, or (without one) those a blank line
        // separates from its first node, are the document's own comment.
        const own = document === 1 ? (marker ? beforeFirstMarker : ownComments(lines, start, parsed.first)) : [];
        // A first document without `---` that the `yaml` package read alone keeps the comments it gave.
        const comment = !marker && parsed.comment !== undefined ? parsed.comment : `${own.join('\n')}\n${comments.join('\n')}`;
        out.push({ document, value: parsed.value, line: parsed.first + 1, comment, itemLine: parsed.itemLine, reader: parsed.reader });
      } else if (marker) {
        document++; // an empty document counts
      } else if (boundary === 'marker') {
        beforeFirstMarker = commentsBefore(lines, start, k);
      }
      if (boundary === 'end') break;
      marker = true;
      markerComment = commentAfterMarker(line!);
      start = k + 1;
    }
    return out;
  }

  /** Lines start..end-1 read fast, or by the `yaml` package when they leave the subset. */
  private documentOrFallback(start: number, end: number): ReadDocument | undefined {
    try {
      return this.document(start, end);
    } catch (e) {
      if (e !== OUTSIDE && !(e instanceof RangeError)) throw e;
      return readAlone(this.lines, start, end);
    }
  }

  /** The value of lines start..end-1, or undefined when they hold only blanks and comments. */
  private document(start: number, end: number): ReadDocument | undefined {
    this.i = start;
    this.end = end;
    const indent = this.nextContent();
    if (indent < 0) return undefined;
    const first = this.i;
    const line = this.lines[first];
    let value: unknown;
    let itemLines: number[] | undefined;
    if (isSequenceEntry(line, indent)) {
      value = this.sequence(indent, indent);
    } else if (this.keyEnd(line, indent) >= 0) {
      const top = { items: undefined as number[] | undefined };
      value = this.mapping(indent, indent, top);
      itemLines = top.items;
    } else {
      outside(); // a scalar document: not a Kubernetes object anyway
    }
    if (this.nextContent() >= 0) outside(); // content after the top node (the `yaml` package reports it)
    return { value, first, itemLine: index => itemLines?.[index], reader: 'block' };
  }

  /** Skip blank and comment lines; the indentation of the next content line, or -1 at the document's end. */
  private nextContent(): number {
    const lines = this.lines;
    while (this.i < this.end) {
      const line = lines[this.i];
      const indent = indentation(line);
      if (indent < line.length && line.charCodeAt(indent) !== HASH) {
        if (line.includes('\t')) outside();
        return indent;
      }
      this.i++;
    }
    return -1;
  }

  /** A block sequence whose `-` entries sit at column `indent`; the current line's entry is at `col`. */
  private sequence(indent: number, col: number, itemLines?: number[]): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i];
      let k = col + 1;
      while (k < line.length && line.charCodeAt(k) === SPACE) k++;
      let item: unknown;
      if (k >= line.length || line.charCodeAt(k) === HASH) {
        this.i++;
        const atIndent = this.nextContent();
        if (itemLines && atIndent <= indent) outside(); // an empty List item: let the `yaml` path name it
        if (itemLines) itemLines.push(this.i + 1);
        item = this.blockValue(indent, false, atIndent);
      } else {
        if (itemLines) itemLines.push(this.i + 1);
        if (isSequenceEntry(line, k)) item = this.sequence(k, k);
        else if (this.keyEnd(line, k) >= 0) item = this.mapping(k, k);
        else item = this.inlineValue(line, k, indent);
      }
      out.push(item);
      const next = this.nextContent();
      if (next < indent) return out;
      if (next > indent) outside();
      if (!isSequenceEntry(this.lines[this.i], next)) return out; // a key of the mapping this sequence is the value of
      col = next;
    }
  }

  /** A block mapping whose keys sit at column `indent`; the current line's key starts at `col`. */
  private mapping(indent: number, col: number, top?: { items: number[] | undefined }): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const line = this.lines[this.i];
      const colon = this.keyEnd(line, col);
      if (colon < 0) outside();
      const key = this.key(line, col, colon);
      if (Object.prototype.hasOwnProperty.call(out, key)) outside(); // duplicate key: an error there
      let k = colon + 1;
      while (k < line.length && line.charCodeAt(k) === SPACE) k++;
      let value: unknown;
      if (k >= line.length || line.charCodeAt(k) === HASH) {
        this.i++;
        const atIndent = this.nextContent();
        const items = top && key === 'items' ? [] as number[] : undefined;
        value = this.blockValue(indent, true, atIndent, items);
        if (items && Array.isArray(value)) top!.items = items;
      } else {
        const at = this.i + 1;
        value = this.inlineValue(line, k, indent);
        if (top && key === 'items' && Array.isArray(value)) top.items = value.map(() => at); // a flow sequence: all on its line
      }
      out[key] = value;
      const next = this.nextContent();
      if (next < indent) return out;
      if (next > indent || isSequenceEntry(this.lines[this.i], next)) outside();
      col = next;
    }
  }

  /**
   * The value of a `key:` or `-` with nothing after it on its line: the block node on the following
   * lines (more indented, or a sequence at the key's own column), else null.
   */
  private blockValue(parentIndent: number, parentIsMapping: boolean, indent: number, itemLines?: number[]): unknown {
    if (indent < 0) return null;
    const line = this.lines[this.i];
    if (indent > parentIndent) {
      if (isSequenceEntry(line, indent)) return this.sequence(indent, indent, itemLines);
      if (this.keyEnd(line, indent) >= 0) return this.mapping(indent, indent);
      const c = line.charCodeAt(indent);
      if (c === 0x7c || c === 0x3e) outside(); // a block scalar header on its own line: rare
      return this.inlineValue(line, indent, parentIndent); // a scalar on its own line
    }
    if (indent === parentIndent && parentIsMapping && isSequenceEntry(line, indent)) return this.sequence(indent, indent, itemLines);
    return null;
  }

  /**
   * Where the implicit key starting at `col` ends (the index of its `:`), or -1 when the line holds
   * no key there. A key is a plain or single-line quoted scalar followed by `:` and a space or the end.
   */
  private keyEnd(line: string, col: number): number {
    const c = line.charCodeAt(col);
    if (c === 0x5b || c === 0x7b) return -1; // a flow collection (`- { name: x, port: 1 }`), never a key here
    if (c === DQUOTE || c === SQUOTE) {
      const close = quotedEnd(line, col);
      if (close < 0) return -1;
      let k = close + 1;
      while (k < line.length && line.charCodeAt(k) === SPACE) k++;
      return line.charCodeAt(k) === COLON && isBreakAt(line, k + 1) ? k : -1;
    }
    const comment = line.indexOf(' #', col);
    const limit = comment < 0 ? line.length : comment;
    let colon = line.indexOf(':', col);
    while (colon >= 0 && colon < limit) {
      if (isBreakAt(line, colon + 1)) return colon;
      colon = line.indexOf(':', colon + 1);
    }
    return -1;
  }

  /** The key text of `line[col..colon)`: a string under the core schema, or outside the subset. */
  private key(line: string, col: number, colon: number): string {
    if (colon - col > MAX_IMPLICIT_KEY) outside();
    const c = line.charCodeAt(col);
    let key: string;
    if (c === DQUOTE || c === SQUOTE) {
      key = quoted(line, col, quotedEnd(line, col));
    } else {
      if (PLAIN_START_FORBIDDEN.has(c)) outside(); // (`- ` is a sequence entry, never a key)
      key = withoutTrailingSpaces(line.slice(col, colon));
      // Keys the core schema reads as null, booleans or numbers and the merge key are converted
      // differently by the two readers: leave them to the `yaml` package.
      if (key === '<<' || typeof plainScalar(key) !== 'string') outside();
    }
    if (key === '__proto__') outside();
    return key;
  }

  /** A scalar (or block scalar, or flow collection) that starts at `line[k]`, after `key: ` or `- `. */
  private inlineValue(first: string, k: number, parentIndent: number): unknown {
    let line = first;
    const c = line.charCodeAt(k);
    if (c === 0x7c || c === 0x3e) return this.blockScalar(line, k, parentIndent); // | >
    let value: unknown;
    let after: number;
    if (c === DQUOTE || c === SQUOTE) {
      const close = quotedEnd(line, k);
      if (close >= 0) {
        value = quoted(line, k, close);
        after = close + 1;
      } else {
        const multi = this.multiLineQuoted(line, k, parentIndent);
        value = multi.value;
        line = this.lines[this.i];
        after = multi.after;
      }
    } else if (c === 0x5b || c === 0x7b) { // [ {
      const flow = new FlowReader(line, k);
      value = flow.node();
      after = flow.position;
    } else {
      if (PLAIN_START_FORBIDDEN.has(c) || (c === DASH && isBreakAt(line, k + 1))) outside();
      const comment = line.indexOf(' #', k);
      const text = withoutTrailingSpaces(comment < 0 ? line.slice(k) : line.slice(k, comment));
      if (text.includes(': ') || text.endsWith(':')) outside(); // a nested mapping on the key's line: an error there
      this.i++;
      if (comment >= 0) return plainScalar(text); // a comment ends a plain scalar
      const folded = this.plainContinuation(text, parentIndent);
      return folded === text ? plainScalar(text) : folded;
    }
    while (after < line.length && line.charCodeAt(after) === SPACE) after++;
    if (after < line.length && !(line.charCodeAt(after) === HASH && line.charCodeAt(after - 1) === SPACE)) outside();
    this.i++;
    return value;
  }

  /**
   * A quoted scalar over several lines (go-yaml, so kubectl and Helm's `toYaml`, wraps long ones),
   * opening at `first[k]`: its lines folded as YAML folds them (one break is a space, each empty
   * line a break, the white space around breaks dropped; in double quotes a `\` at a line's end
   * joins the lines). Leaves `this.i` on the closing line; `after` is the column after the quote.
   */
  private multiLineQuoted(first: string, k: number, parentIndent: number): { value: string; after: number } {
    const single = first.charCodeAt(k) === SQUOTE;
    const text = single ? singleQuotedText : doubleQuotedText;
    // The lines before the closing one (undefined for an empty line), then the closing one.
    const open: Array<string | undefined> = [first.slice(k + 1)];
    let last: { text: string; line: number; after: number } | undefined;
    for (let j = this.i + 1; j < this.end && !last; j++) {
      const line = this.lines[j];
      if (line.includes('\t')) outside();
      const n = indentation(line);
      if (n === line.length) { open.push(undefined); continue; }
      if (n <= parentIndent) outside(); // a continuation must be indented more than its parent
      const close = closingQuote(line, n, single);
      if (close < 0) open.push(line.slice(n));
      else last = { text: line.slice(n, close), line: j, after: close + 1 };
    }
    if (!last) outside(); // not closed in this document: an error there
    let value = '';
    let join = ''; // what comes before the next text: nothing, a space, or line breaks
    let escapedBreak = false;
    for (const raw of open) {
      if (raw === undefined) {
        if (escapedBreak) outside();
        join = join === ' ' ? '\n' : `${join}\n`;
        continue;
      }
      let body = withoutTrailingSpaces(raw); // white space before a break is dropped...
      escapedBreak = false;
      if (!single) {
        let slashes = 0;
        while (slashes < body.length && body.charCodeAt(body.length - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 1) {
          if (body.length < raw.length) outside(); // ...unless escaped (`\ `): left to the `yaml` package
          body = body.slice(0, -1);
          escapedBreak = true; // `\` at the end: the lines join without a space
        }
      }
      value += join + text(body);
      join = escapedBreak ? '' : ' ';
    }
    this.i = last.line;
    return { value: value + join + text(last.text), after: last.after };
  }

  /**
   * A plain scalar over several lines (`kubectl` and controller-gen wrap long descriptions): the
   * lines more indented than the parent that follow `first`, folded (one break is a space, each
   * empty line a break). A scalar over several lines is always a string.
   */
  private plainContinuation(first: string, parentIndent: number): string {
    const lines = this.lines;
    let value = first;
    let empties = 0;
    let j = this.i;
    for (; j < this.end; j++) {
      const line = lines[j];
      const n = indentation(line);
      if (n === line.length) { empties++; continue; }
      if (n <= parentIndent || line.charCodeAt(n) === HASH) break;
      const c = line.charCodeAt(n);
      const text = withoutTrailingSpaces(line.slice(n));
      if (PLAIN_START_FORBIDDEN.has(c) || c === DASH || line.includes('\t') || text.includes(': ') || text.endsWith(':') || text.includes(' #')) outside();
      value += empties === 0 ? ` ${text}` : '\n'.repeat(empties) + text;
      empties = 0;
      this.i = j + 1;
    }
    return value;
  }

  /** A literal (`|`) or folded (`>`) block scalar, clipped or stripped, its header at `line[k]`. */
  private blockScalar(line: string, k: number, parentIndent: number): string {
    const folded = line.charCodeAt(k) === 0x3e;
    let h = k + 1;
    let strip = false;
    if (line.charCodeAt(h) === 0x2b) outside(); // keep (`|+`)
    if (line.charCodeAt(h) === DASH) {
      strip = true;
      h++;
    }
    if (h < line.length) {
      if (line.charCodeAt(h) !== SPACE) outside(); // an indentation indicator, or text glued to the header
      while (h < line.length && line.charCodeAt(h) === SPACE) h++;
      if (h < line.length && line.charCodeAt(h) !== HASH) outside();
    }
    const lines = this.lines;
    let i = this.i + 1;
    // The content's indentation is the first non-empty line's; leading empty lines may not be longer.
    let indent = -1;
    let longestLeading = 0;
    for (let j = i; j < this.end; j++) {
      const n = indentation(lines[j]);
      if (n < lines[j].length) { indent = n; break; }
      longestLeading = Math.max(longestLeading, n);
    }
    if (indent <= parentIndent) {
      // Empty content: the block scalar is ''; the next lines belong to the parent again.
      if (longestLeading > parentIndent) outside();
      this.i = i;
      return '';
    }
    if (longestLeading > indent) outside();
    const content: string[] = [];
    let lastNonEmpty = -1;
    for (; i < this.end; i++) {
      const text = lines[i];
      const n = indentation(text);
      if (n === text.length) { // an empty (all-space) line
        if (n > indent) outside(); // spaces beyond the indentation are content: rare, left to the `yaml` package
        content.push('');
        continue;
      }
      if (n < indent) break;
      const rest = text.slice(indent);
      if (folded && (rest.charCodeAt(0) === SPACE || rest.charCodeAt(0) === 0x09)) outside(); // more-indented lines fold differently
      content.push(rest);
      lastNonEmpty = content.length - 1;
    }
    this.i = i;
    const body = content.slice(0, lastNonEmpty + 1);
    let value: string;
    if (!folded) {
      value = body.join('\n');
    } else {
      // Leading empty lines stay line breaks; between text lines one break folds into a space.
      let j = 0;
      while (j < body.length && body[j] === '') j++;
      value = '\n'.repeat(j) + (body[j] ?? '');
      let empties = 0;
      for (j++; j < body.length; j++) {
        if (body[j] === '') { empties++; continue; }
        value += empties === 0 ? ` ${body[j]}` : '\n'.repeat(empties) + body[j];
        empties = 0;
      }
    }
    return strip || body.length === 0 ? value : `${value}\n`;
  }
}

/** A document's value, its first node's line (0-based) and its List item lines (1-based). */
interface ReadDocument {
  readonly value: unknown;
  readonly first: number;
  readonly itemLine: (index: number) => number | undefined;
  readonly reader: 'block' | 'yaml';
  /** The comments the `yaml` package gave the document read alone. */
  readonly comment?: string;
}

/**
 * What the `yaml` package tells of a parsed document besides its value, as the checker reports it:
 * the 1-based line of its first node, of each item of its top-level `items`, and its comments.
 * `lineOffset` shifts the lines of a document parsed out of a larger file.
 */
export function yamlPackageLocations(doc: Document.Parsed, lineCounter: LineCounter, lineOffset = 0):
{ line?: number; itemLine: (index: number) => number | undefined; comment: string } {
  const lineAt = (offset: number) => lineOffset + lineCounter.linePos(offset).line;
  const start = doc.contents?.range?.[0];
  const itemLine = (index: number): number | undefined => {
    const items = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
    const node = isSeq(items) ? items.items[index] as { range?: [number, number, number] } | undefined : undefined;
    return node?.range ? lineAt(node.range[0]) : undefined;
  };
  const comment = `${doc.commentBefore ?? ''}\n${doc.contents?.commentBefore ?? ''}`;
  return { line: start === undefined ? undefined : lineAt(start), itemLine, comment };
}

/**
 * Lines start..end-1 (one document, its `---` excluded) read by the `yaml` package alone, with its
 * lines shifted to the file's; outside the subset when it reports an error (the whole file is then
 * read by the `yaml` package, for the exact message) or when the lines do not make one document.
 */
function readAlone(lines: string[], start: number, end: number): ReadDocument {
  const lineCounter = new LineCounter();
  // The document's text as in the file, the line break before the next `---` included (`|+` keeps it).
  const text = lines.slice(start, end).join('\n') + (end < lines.length ? '\n' : '');
  const docs = parseAllDocuments(text, { lineCounter, merge: true });
  if (!Array.isArray(docs) || docs.length !== 1) outside();
  const doc = docs[0] as Document.Parsed;
  const { line, itemLine, comment } = yamlPackageLocations(doc, lineCounter, start);
  if (doc.errors.length > 0 || line === undefined) outside();
  let value: unknown;
  try {
    value = doc.toJS();
  } catch {
    outside(); // too many aliases, for one: the `yaml` path names it
  }
  return { value, first: line - 1, itemLine, reader: 'yaml', comment };
}

/**
 * A single-line flow collection (`[a, "b", 1]`, `{a: 1, b: [x]}`), as the `yaml` package reads it;
 * anything unusual in it (implicit keys in a sequence, quoted keys without a space, a missing comma,
 * a collection over several lines) is outside the subset.
 */
class FlowReader {
  constructor(private readonly line: string, public position: number) {}

  /** A node; a `key` (of a flow mapping) may end at `: `, a value may hold no `:` at all. */
  node(key = false): unknown {
    this.spaces();
    const c = this.line.charCodeAt(this.position);
    if (c === 0x5b) return this.collection(0x5d, false);
    if (c === 0x7b) return this.collection(0x7d, true);
    if (c === DQUOTE || c === SQUOTE) {
      const close = quotedEnd(this.line, this.position);
      if (close < 0) outside();
      const value = quoted(this.line, this.position, close);
      this.position = close + 1;
      return value;
    }
    if (PLAIN_START_FORBIDDEN.has(c) || Number.isNaN(c) || (c === DASH && ' ,]}'.includes(this.line[this.position + 1] ?? ' '))) outside();
    const start = this.position;
    let p = start;
    const line = this.line;
    while (p < line.length) {
      const d = line.charCodeAt(p);
      if (d === 0x2c || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d) break;
      // A `:` followed by a plain character belongs to the scalar (`localhost:9090`); a `#` too, unless a space precedes it.
      if (d === COLON && (p + 1 >= line.length || FLOW_BREAK.has(line.charCodeAt(p + 1)))) break;
      if (d === HASH && line.charCodeAt(p - 1) === SPACE) break;
      p++;
    }
    const stop = line.charCodeAt(p);
    if (stop === HASH || (stop === COLON && !key)) outside(); // a comment inside a flow collection, or a `key: value` pair in a sequence
    this.position = p;
    const text = withoutTrailingSpaces(line.slice(start, p));
    return plainScalar(text);
  }

  private collection(close: number, mapping: boolean): unknown {
    this.position++;
    const out: any = mapping ? {} : [];
    this.spaces();
    if (this.line.charCodeAt(this.position) === close) { this.position++; return out; }
    for (;;) {
      if (mapping) {
        const key = this.node(true);
        if (typeof key !== 'string' || key === '' || key === '<<' || key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) outside();
        this.spaces();
        if (this.line.charCodeAt(this.position) !== COLON || !isBreakAt(this.line, this.position + 1)) outside();
        this.position++;
        out[key] = this.node();
      } else {
        out.push(this.node());
      }
      this.spaces();
      const c = this.line.charCodeAt(this.position);
      this.position++;
      if (c === close) return out;
      if (c !== 0x2c) outside();
      this.spaces();
      if (this.line.charCodeAt(this.position) === close) outside(); // a trailing comma
    }
  }

  private spaces() {
    while (this.line.charCodeAt(this.position) === SPACE) this.position++;
  }
}

/** `---` (a document marker) or `...` (outside the subset) at the start of `line`. */
function markerKind(line: string): 'marker' | undefined {
  if (line.length < 3) return undefined;
  const c = line.charCodeAt(0);
  if (c === 0x25) outside(); // a directive (`%YAML`)
  if ((c !== DASH && c !== 0x2e) || line.charCodeAt(1) !== c || line.charCodeAt(2) !== c) return undefined;
  if (line.length > 3 && line.charCodeAt(3) !== SPACE && line.charCodeAt(3) !== 0x09) return undefined;
  if (c === 0x2e) outside(); // `...`
  const rest = line.slice(3).replace(/^[ \t]+/, '');
  if (rest !== '' && rest.charCodeAt(0) !== HASH) outside(); // content on the marker line
  return 'marker';
}

/** The comment after a `---` on its line (`--- # Source: ...`), its text after `#`. */
function commentAfterMarker(line: string): string | undefined {
  const hash = line.indexOf('#');
  return hash < 0 ? undefined : line.slice(hash + 1);
}

/** The texts (after `#`) of the comment lines among lines start..end-1. */
function commentsBefore(lines: string[], start: number, end: number): string[] {
  const out: string[] = [];
  for (let k = start; k < end; k++) {
    const line = lines[k];
    const n = indentation(line);
    if (n < line.length) out.push(line.slice(n + 1));
  }
  return out;
}

/**
 * The comments the `yaml` package gives a first document without `---`: all the comment lines
 * before its first node when a blank line separates them from it, else none (they are the first
 * key's then).
 */
function ownComments(lines: string[], start: number, first: number): string[] {
  if (first === start || indentation(lines[first - 1]) < lines[first - 1].length) return [];
  return commentsBefore(lines, start, first);
}

/** `text` without the spaces at its end (YAML's white space is spaces and tabs, not JavaScript's `trim`). */
function withoutTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === SPACE) end--;
  return end === text.length ? text : text.slice(0, end);
}

function indentation(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === SPACE) n++;
  return n;
}

function isBreakAt(line: string, k: number): boolean {
  return k >= line.length || line.charCodeAt(k) === SPACE;
}

function isSequenceEntry(line: string, col: number): boolean {
  return line.charCodeAt(col) === DASH && isBreakAt(line, col + 1);
}

/** The index of the closing quote of the quoted scalar opening at `line[k]`, or -1 when it closes on a later line. */
function quotedEnd(line: string, k: number): number {
  if (line.charCodeAt(k) === SQUOTE) {
    let p = k + 1;
    for (;;) {
      const q = line.indexOf("'", p);
      if (q < 0) return -1;
      if (line.charCodeAt(q + 1) !== SQUOTE) return q;
      p = q + 2;
    }
  }
  for (let p = k + 1; p < line.length; p++) {
    const c = line.charCodeAt(p);
    if (c === 0x5c) p++; // backslash: skip the escaped character
    else if (c === DQUOTE) return p;
  }
  return -1;
}

// The escapes of YAML's double-quoted scalars, each a character after the backslash and what it stands for.
const ESCAPES: Record<string, string> = Object.fromEntries([
  ['0', '\0'], ['a', '\x07'], ['b', '\b'], ['t', '\t'], ['n', '\n'], ['v', '\v'], ['f', '\f'], ['r', '\r'], ['e', '\x1b'],
  [' ', ' '], ['"', '"'], ['/', '/'], ['\\', '\\'], ['N', '\x85'], ['_', '\xa0'], ['L', '\u2028'], ['P', '\u2029'],
]);
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** The value of the quoted scalar `line[k..close]` (quotes included). */
function quoted(line: string, k: number, close: number): string {
  const body = line.slice(k + 1, close);
  return line.charCodeAt(k) === SQUOTE ? singleQuotedText(body) : doubleQuotedText(body);
}

function singleQuotedText(body: string): string {
  return body.includes("''") ? body.replace(/''/g, "'") : body;
}

/** The text of a double-quoted scalar's `body`, its escapes decoded. */
function doubleQuotedText(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let p = 0; p < body.length; p++) {
    const c = body[p];
    if (c !== '\\') { out += c; continue; }
    const e = body[++p];
    const simple = ESCAPES[e];
    if (simple !== undefined) { out += simple; continue; }
    const length = HEX_ESCAPE_LENGTH[e];
    const hex = length ? body.slice(p + 1, p + 1 + length) : '';
    if (!length || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) outside(); // an escape the `yaml` package reports
    const code = parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) outside();
    out += String.fromCodePoint(code);
    p += length;
  }
  return out;
}

/** Where the quoted scalar that continues on `line` closes, scanning from `from`; -1 when it goes on. */
function closingQuote(line: string, from: number, single: boolean): number {
  for (let p = from; p < line.length; p++) {
    const c = line.charCodeAt(p);
    if (single) {
      if (c !== SQUOTE) continue;
      if (line.charCodeAt(p + 1) !== SQUOTE) return p;
      p++;
    } else if (c === 0x5c) {
      p++; // backslash: skip the escaped character
    } else if (c === DQUOTE) {
      return p;
    }
  }
  return -1;
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** A plain scalar under the YAML 1.2 core schema, as the `yaml` package resolves it. */
function plainScalar(text: string): unknown {
  const c = text.charCodeAt(0);
  const numeric = (c >= 0x30 && c <= 0x39) || c === 0x2b || c === DASH || c === 0x2e;
  // Only these first characters can start a null, boolean or number: everything else is a string.
  if (!numeric && c !== 0x7e && c !== 0x6e && c !== 0x4e && c !== 0x74 && c !== 0x54 && c !== 0x66 && c !== 0x46) return text;
  switch (text) {
    case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
    case '.inf': case '.Inf': case '.INF': case '+.inf': case '+.Inf': case '+.INF': return Infinity;
    case '-.inf': case '-.Inf': case '-.INF': return -Infinity;
    case '.nan': case '.NaN': case '.NAN': return NaN;
    default: break;
  }
  if (!numeric) return text;
  if (INT.test(text)) return parseInt(text, 10);
  if (c === 0x30 && /^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (c === 0x30 && /^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return parseFloat(text);
  return text;
}
