import * as fs from 'fs';
import * as path from 'path';

/**
 * The layers of src/, bottom up. A file may import from its own layer and from layers below it,
 * never from one above: storage knows nothing of databases, the constructs nothing of the guards,
 * the guards nothing of the CLI. The entry points (src/*.ts, and src/entries/ for the subpath
 * exports `cdk8s-stateful/storage`...) sit on top and may import anything.
 */
const LAYERS: Record<string, number> = {
  internal: 0,
  storage: 1,
  database: 2,
  daemons: 2,
  guards: 3,
  inventory: 4,
  cli: 5,
  entries: 6,
};
const SRC = path.join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level folder of src/ a file belongs to ('' for the entry points). */
function layerOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0] : '';
}

function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import|require\()\s*'(\.[^']*)'/g)].map(m => m[1]);
  // A folder import ('../storage') is its index file, in that folder's layer.
  return specs.map(s => path.resolve(path.dirname(file), s))
    .map(t => (fs.existsSync(t) && fs.statSync(t).isDirectory() ? path.join(t, 'index') : t));
}

/** Why importing `target` from `file` breaks the layering, or undefined. */
function violation(file: string, target: string): string | undefined {
  const own = layerOf(file);
  if (own === '') return undefined;
  const theirs = layerOf(target);
  const wrong = theirs === '' || LAYERS[theirs] > LAYERS[own] || (LAYERS[theirs] === LAYERS[own] && theirs !== own);
  return wrong ? `${path.relative(SRC, file)} imports ${path.relative(SRC, target)}` : undefined;
}

describe('layers of src/', () => {
  const files = sourceFiles(SRC);

  test('every folder of src/ has a layer (a new folder must be placed)', () => {
    const folders = new Set(files.map(layerOf).filter(l => l !== ''));
    expect([...folders].filter(f => !(f in LAYERS))).toEqual([]);
  });

  test('no file imports from a layer above its own', () => {
    const violations = files.flatMap(file => relativeImports(file).map(target => violation(file, target)).filter(v => v !== undefined));
    expect(violations).toEqual([]);
  });

  test('the check refuses upward and sideways imports and allows downward ones', () => {
    const at = (...p: string[]) => path.join(SRC, ...p);
    expect(violation(at('storage', 'a.ts'), at('guards', 'graph', 'index'))).toBe('storage/a.ts imports guards/graph/index');
    expect(violation(at('database', 'a.ts'), at('daemons', 'b'))).toBeDefined();
    expect(violation(at('guards', 'a.ts'), at('index'))).toBeDefined();
    expect(violation(at('cli', 'a.ts'), at('storage', 'private', 'claim-spec'))).toBeUndefined();
    expect(violation(at('index.ts'), at('cli', 'run'))).toBeUndefined();
    expect(violation(at('entries', 'storage.ts'), at('storage', 'index'))).toBeUndefined();
    expect(violation(at('cli', 'plugin.ts'), at('entries', 'guards'))).toBeDefined();
  });

  test('no index re-exports a private file (private/ and internal/ are not part of the API)', () => {
    const leaks = files.filter(f => path.basename(f) === 'index.ts')
      .flatMap(f => relativeImports(f).filter(t => /[\\/](private|internal)[\\/]/.test(path.relative(SRC, t) + path.sep) && !/errors$/.test(t))
        .map(t => `${path.relative(SRC, f)} exports ${path.relative(SRC, t)}`));
    expect(leaks).toEqual([]);
  });
});
