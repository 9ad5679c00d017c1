import * as fs from 'fs';
import * as path from 'path';
import { InputError, LoaderFs, manifestFilesIn, readYamlDocuments, withoutByteOrderMark } from '../files/manifest-files';
import { asObj } from '../graph';

/** What reading a baseline path gave. */
export interface BaselineRead {
  /** Whether the path exists (a missing one is the first synth: nothing to compare with). */
  readonly exists: boolean;
  readonly manifests: Record<string, any>[];
  /** Files that cannot be read or parsed, one sentence each (the comparison cannot be trusted then). */
  readonly problems: string[];
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
    files = fs.statSync(target).isDirectory() ? manifestFilesIn(target, fs as unknown as LoaderFs) : [target];
  } catch (e: any) {
    if (e?.code === 'ENOENT') return { exists: false, manifests: [], problems: [] };
    return { exists: true, manifests: [], problems: [e instanceof InputError ? e.message : `${target}: cannot read (${e?.code ?? e?.message ?? String(e)}).`] };
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
    text = withoutByteOrderMark(text);
    try {
      if (path.extname(file).toLowerCase() === '.json') {
        if (text.trim() !== '') manifests.push(...objectsOf(JSON.parse(text)));
        continue;
      }
      for (const doc of readYamlDocuments(text, file)) manifests.push(...objectsOf(doc.value)); // the CLI's reader
    } catch (e: any) {
      const message = String(e?.message ?? e).split('\n')[0].replace(`${file}: `, '');
      problems.push(`${file}: cannot be parsed (${message}).`);
    }
  }
  return { exists: true, manifests, problems };
}
