import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { asObj } from '../graph';

/** What reading a baseline path gave. */
export interface BaselineRead {
  /** Whether the path exists (a missing one is the first synth: nothing to compare with). */
  readonly exists: boolean;
  readonly manifests: Record<string, any>[];
  /** Files that cannot be read or parsed, one sentence each (the comparison cannot be trusted then). */
  readonly problems: string[];
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function filesOf(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const st = fs.lstatSync(full);
    if (st.isDirectory()) out.push(...filesOf(full));
    else if (EXTENSIONS.has(path.extname(name).toLowerCase())) out.push(full);
  }
  return out;
}

/** The Kubernetes objects of a document: itself, or the items of a `List`; anything else is not an object. */
function objectsOf(value: unknown): Record<string, any>[] {
  const o = asObj(value);
  if (!o || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') return [];
  if (o.kind.endsWith('List') && Array.isArray(o.items)) {
    const itemKind = o.kind === 'List' ? undefined : o.kind.slice(0, -'List'.length);
    return o.items.map(asObj).filter((i): i is Record<string, any> => !!i)
      .map(i => (itemKind && i.kind === undefined ? { apiVersion: o.apiVersion, kind: itemKind, ...i } : i))
      .filter(i => typeof i.kind === 'string' && typeof i.apiVersion === 'string');
  }
  return [o];
}

/**
 * The objects of the previous output, for the in-app guards: a file, or a directory read
 * recursively (`.yaml`, `.yml`, `.json`, sorted), as `cdk8s synth` writes `dist/`. Documents
 * that are not Kubernetes objects (the guards' own JSON report, cdk8s's construct metadata)
 * are skipped. A path that does not exist gives no object and no problem.
 */
export function readBaseline(target: string): BaselineRead {
  let files: string[];
  try {
    const st = fs.statSync(target);
    files = st.isDirectory() ? filesOf(target) : [target];
  } catch (e: any) {
    if (e?.code === 'ENOENT') return { exists: false, manifests: [], problems: [] };
    return { exists: true, manifests: [], problems: [`${target}: cannot read (${e?.code ?? e?.message ?? String(e)}).`] };
  }
  const manifests: Record<string, any>[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e: any) {
      problems.push(`${file}: cannot read (${e?.code ?? e?.message ?? String(e)}).`);
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      if (path.extname(file).toLowerCase() === '.json') {
        if (text.trim() !== '') manifests.push(...objectsOf(JSON.parse(text)));
        continue;
      }
      for (const doc of parseAllDocuments(text, { merge: true }) as any[]) {
        if (doc.errors?.length > 0) throw new Error(String(doc.errors[0].message).split('\n')[0]);
        manifests.push(...objectsOf(doc.toJS()));
      }
    } catch (e: any) {
      problems.push(`${file}: cannot be parsed (${String(e?.message ?? e).split('\n')[0]}).`);
    }
  }
  return { exists: true, manifests, problems };
}
