/**
 * Read Kubernetes manifests from files, directories (recursive) and standard input, multi-document
 * YAML and JSON, `kind: List` expanded: the inputs of `cdk8s-stateful check` and of the cdk8s CLI
 * plugin, and the previous output the in-app baseline compares with. Internal: not part of the
 * jsii API.
 */
import * as nodePath from 'path';
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { readBlockYaml, YamlDocument, yamlPackageLocations } from './block-yaml';

/** File system calls the loader needs (node's `fs` by default; tests may inject). */
export interface LoaderFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  statSync(path: string): { isDirectory(): boolean; isFile(): boolean };
  lstatSync(path: string): { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean };
  readdirSync(path: string): string[];
}

/** One object of the input and where it came from. */
export interface LoadedManifest {
  readonly manifest: Record<string, any>;
  /** The file as given on the command line (or found in a directory), `<stdin>` for `-`. */
  readonly file: string;
  /** 1-based index of the YAML document in the file. */
  readonly document: number;
  /** 1-based line where the object starts, when known. */
  readonly line?: number;
  /** The chart template that rendered it (`# Source:` comment of `helm template`), when present. */
  readonly helmSource?: string;
  /** 0-based index in `items` when the object came from a `kind: List`. */
  readonly listItem?: number;
}

/** An input that cannot be read or parsed (exit code 2). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export const STDIN_NAME = '<stdin>';
const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Expand the command-line inputs into the files to read, in order (directories recursively, sorted). */
export function expandInputs(inputs: readonly string[], fs: LoaderFs): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') { files.push('-'); continue; }
    let stat;
    try {
      stat = fs.statSync(input);
    } catch (e: any) {
      throw new InputError(`${input}: cannot read (${reason(e)}).`);
    }
    if (stat.isDirectory()) {
      const found = manifestFilesIn(input, fs);
      if (found.length === 0) throw new InputError(`${input}: directory holds no ${EXTENSIONS.join(', ')} file.`);
      files.push(...found);
    } else {
      files.push(input);
    }
  }
  return files;
}

/** The `.yaml`, `.yml` and `.json` files below `dir`, sorted, recursively (symbolic links to directories not followed). */
export function manifestFilesIn(dir: string, fs: LoaderFs): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).map(String).sort();
  } catch (e: any) {
    throw new InputError(`${dir}: cannot read directory (${reason(e)}).`);
  }
  const out: string[] = [];
  for (const name of names) {
    const full = nodePath.join(dir, name);
    let st;
    try {
      st = fs.lstatSync(full);
    } catch (e: any) {
      throw new InputError(`${full}: cannot read (${reason(e)}).`);
    }
    // Symbolic links to directories are not followed (no cycles); links to files are read.
    if (st.isDirectory()) out.push(...manifestFilesIn(full, fs));
    else if (EXTENSIONS.includes(nodePath.extname(name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Parse the text of one file into its objects. Throws InputError naming the file and document. */
export function parseManifests(source: string, file: string): LoadedManifest[] {
  const text = withoutByteOrderMark(source);
  if (file !== STDIN_NAME && nodePath.extname(file).toLowerCase() === '.json') return parseJson(text, file);
  return toManifests(readYamlDocuments(text, file), file);
}

/** `parseManifests` with the `yaml` package reading every file: the reference the fast reader is tested against. */
export function parseManifestsWithYamlPackage(source: string, file: string): LoadedManifest[] {
  return toManifests(readWithYamlPackage(withoutByteOrderMark(source), file), file);
}

/** A text without its UTF-8 byte order mark (Windows editors, PowerShell). */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The YAML documents of `text`: the block-style YAML tools print read fast, anything else (and
 * every syntax error, as an InputError naming the file) by the `yaml` package.
 */
export function readYamlDocuments(text: string, file: string): Iterable<YamlDocument> {
  return readBlockYaml(text) ?? readWithYamlPackage(text, file);
}

function toManifests(documents: Iterable<YamlDocument>, file: string): LoadedManifest[] {
  const out: LoadedManifest[] = [];
  for (const doc of documents) {
    if (doc.value === null || doc.value === undefined) continue;
    const helmSource = /^\s*Source:\s*(\S.*?)\s*$/m.exec(doc.comment)?.[1];
    out.push(...toObjects(doc.value, file, doc.document, doc.line, doc.itemLine).map(m => (helmSource ? { ...m, helmSource } : m)));
  }
  return out;
}

/**
 * The documents of `text` as the `yaml` package reads them (YAML 1.2 core schema, merge keys), one
 * by one: an object of an early document that is wrong is reported before a later syntax error.
 */
export function* readWithYamlPackage(text: string, file: string): Generator<YamlDocument> {
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, merge: true }) as Document.Parsed[];
  } catch (e: any) {
    throw new InputError(`${file}: YAML syntax error: ${firstLine(e)}`);
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const [i, doc] of docs.entries()) {
    const document = i + 1;
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = err.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      throw new InputError(`${file}: document ${document}: YAML syntax error${where}: ${firstLine(err).replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (e: any) {
      throw new InputError(`${file}: document ${document}: ${firstLine(e)}`);
    }
    yield { document, value, ...yamlPackageLocations(doc, lineCounter) };
  }
}

function parseJson(text: string, file: string): LoadedManifest[] {
  if (text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e: any) {
    throw new InputError(`${file}: JSON syntax error: ${firstLine(e)}`);
  }
  if (value === null) return [];
  // The report `Guards.enable(app, { report: true })` writes beside the manifests (dist/): not input.
  if (isGuardsReport(value)) return [];
  return toObjects(value, file, 1, 1, () => undefined);
}

function isGuardsReport(value: unknown): boolean {
  const o = asObject(value);
  return !!o && o.tool === 'cdk8s-stateful guards' && o.apiVersion === undefined && o.kind === undefined;
}

/** A document as objects: checked, `List`s expanded (typed lists such as `PodList` too). */
function toObjects(value: unknown, file: string, document: number, line: number | undefined,
  itemLine: (index: number) => number | undefined): LoadedManifest[] {
  const where = `${file}: document ${document}${line ? ` (line ${line})` : ''}`;
  const obj = asObject(value);
  if (!obj) throw new InputError(`${where}: expected a Kubernetes object (a mapping with apiVersion and kind), got ${describe(value)}.`);
  if (typeof obj.kind !== 'string' || obj.kind === '' || typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    throw new InputError(`${where}: not a Kubernetes object: 'apiVersion' and 'kind' must be non-empty strings.`);
  }
  if (!isList(obj)) return [{ manifest: obj, file, document, ...(line ? { line } : {}) }];
  const itemKind = obj.kind === 'List' ? undefined : obj.kind.slice(0, -'List'.length);
  const items = Array.isArray(obj.items) ? obj.items : [];
  return items.map((raw, index) => {
    const item = asObject(raw);
    const at = itemLine(index);
    if (!item) throw new InputError(`${where}: items[${index}]${at ? ` (line ${at})` : ''}: expected a Kubernetes object, got ${describe(raw)}.`);
    // Items of a typed list (`DeploymentList` from the API) omit kind and apiVersion.
    const filled = itemKind && (item.kind === undefined || item.apiVersion === undefined)
      ? { apiVersion: obj.apiVersion, kind: itemKind, ...item } : item;
    if (typeof filled.kind !== 'string' || typeof filled.apiVersion !== 'string' || filled.kind === '' || filled.apiVersion === '') {
      throw new InputError(`${where}: items[${index}]${at ? ` (line ${at})` : ''}: not a Kubernetes object: 'apiVersion' and 'kind' must be non-empty strings.`);
    }
    if (isList(filled)) throw new InputError(`${where}: items[${index}]: a List inside a List is not supported.`);
    return { manifest: filled, file, document, listItem: index, ...(at ? { line: at } : {}) };
  });
}

function isList(obj: Record<string, any>): boolean {
  return obj.kind === 'List' || (obj.kind.endsWith('List') && obj.kind.length > 4 && Array.isArray(obj.items));
}

/**
 * Objects a controller of the input creates (the Pods and ReplicaSets of a Deployment exported with
 * `kubectl get all`) are dropped: their owner is checked, and checking them too would repeat its findings.
 */
export function dropControlled(list: LoadedManifest[]): LoadedManifest[] {
  const present = new Set<string>();
  for (const m of list) {
    const meta = asObject(m.manifest.metadata);
    if (meta && typeof meta.uid === 'string') present.add(meta.uid);
  }
  if (present.size === 0) return list;
  return list.filter(m => {
    const meta = asObject(m.manifest.metadata);
    const owners = Array.isArray(meta?.ownerReferences) ? meta!.ownerReferences : [];
    return !owners.some((o: any) => asObject(o)?.controller === true && typeof o.uid === 'string' && present.has(o.uid));
  });
}

function asObject(value: unknown): Record<string, any> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, any> : undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0].trim();
}

function reason(e: any): string {
  return typeof e?.code === 'string' ? e.code : firstLine(e);
}
