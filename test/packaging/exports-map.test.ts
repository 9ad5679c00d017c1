/**
 * The package's entry points as package.json declares them (written by .projenrc.ts), checked
 * against the sources in `npm test`; test/packaging/packed-tarball.test.ts resolves them for real
 * from the packed tarball (`npm run test:packaging`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './packaging-harness';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const CODE_SUBPATHS = Object.keys(pkg.exports).filter(k => k !== './package.json' && k !== './.jsii');
/** The source file of a built path: lib/entries/storage.js → src/entries/storage.ts. */
const sourceOf = (built: string) => path.join(ROOT, built.replace(/^\.\/lib\//, 'src/').replace(/\.js$/, '.ts'));

describe('the exports map of package.json', () => {
  test('exports the package, its four layers, the cdk8s-cli plugin, package.json and the jsii assembly, nothing else', () => {
    expect(Object.keys(pkg.exports)).toEqual(['.', './storage', './database', './daemons', './guards', './cdk8s-plugin', './package.json', './.jsii']);
  });

  test('every code subpath has types first, then the JavaScript, both built from a source file that exists', () => {
    for (const sub of CODE_SUBPATHS) {
      const target = pkg.exports[sub];
      expect([sub, Object.keys(target)]).toEqual([sub, ['types', 'default']]);
      expect(target.types.replace(/\.d\.ts$/, '.js')).toBe(target.default);
      expect([sub, fs.existsSync(sourceOf(target.default))]).toEqual([sub, true]);
    }
    expect(pkg.exports['.'].default).toBe(`./${pkg.main}`);
    expect(pkg.exports['.'].types).toBe(`./${pkg.types}`);
  });

  test('typesVersions (moduleResolution node) maps the same subpaths to the same declarations', () => {
    const mapped = pkg.typesVersions['*'];
    expect(Object.keys(mapped).map(k => `./${k}`)).toEqual(CODE_SUBPATHS.filter(k => k !== '.'));
    for (const [sub, [file]] of Object.entries(mapped) as Array<[string, string[]]>) expect(`./${file}`).toBe(pkg.exports[`./${sub}`].types);
  });

  test('every entry point but the plugin loads the guards auto-enable hook (the entries of src/entries/ before anything else)', () => {
    const entries = fs.readdirSync(path.join(ROOT, 'src', 'entries')).filter(f => f.endsWith('.ts'));
    // Every file of src/entries/ is exported (an entry nobody can import is dead code).
    expect(entries.map(f => `./${f.replace(/\.ts$/, '')}`).sort()).toEqual(CODE_SUBPATHS.filter(k => k !== '.' && k !== './cdk8s-plugin').sort());
    for (const sub of CODE_SUBPATHS.filter(k => k !== './cdk8s-plugin')) {
      const text = fs.readFileSync(sourceOf(pkg.exports[sub].default), 'utf8');
      const firstStatement = text.split('\n').find(l => /^(import|export)\b/.test(l));
      // src/index.ts loads it after its re-exports (a module's loading, before any user code runs, is what counts).
      if (sub === '.') expect(text).toMatch(/^import '\.\/guards\/auto-enable';$/m);
      else expect([sub, firstStatement]).toEqual([sub, "import '../guards/auto-enable';"]);
    }
  });
});
