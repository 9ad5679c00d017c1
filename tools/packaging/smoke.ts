/**
 * `npm run package:smoke [-- python java go]`: builds the Python, Java and Go packages with
 * jsii-pacmak into dist/ and uses each one for real, from a small app in a temp dir outside the
 * repo (apps/<language>/): a Python venv with the built wheel and cdk8s from PyPI, a Maven project
 * with the built jar, a Go module with the built module through a `replace`. Each app synthesizes
 * a two-member StatefulDatabase (the YAML must hold a StatefulSet) and builds an anti-pattern under
 * `Guards.enable(app)` whose synth must fail with the message TypeScript gives, character for
 * character (guards-message.ts computes it from the library's own source).
 *
 * What the registries do not serve is generated from the npm packages the library is built
 * against, with the same jsii-pacmak, once per machine (cached): Maven Central has no
 * org.cdk8s:cdk8s-plus-28 and org.cdk8s:cdk8s only up to 2.70.47; the Go module proxy serves
 * cdk8s-plus-go but refuses every version of cdk8s-core-go.
 *
 * .NET stays declared and unbuilt: no NuGet here.
 *
 * One line per language; the installers' and compilers' output goes to dist/smoke/<language>.log,
 * printed (its end) only on failure. Caches: ~/.cache/cdk8s-stateful/{pip,m2,go,packaging}.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { typescriptGuardsMessage } from './guards-message';
import { cacheRoot } from '../kube/kubestack';

const ROOT = path.resolve(__dirname, '..', '..');
const APPS = path.join(__dirname, 'apps');
const DIST = path.join(ROOT, 'dist');
const LOGS = path.join(DIST, 'smoke');
const LANGUAGES = ['python', 'java', 'go'] as const;
type Language = typeof LANGUAGES[number];

/** The versions of the npm packages the library is built against (package.json pins them). */
function installedVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}
const VERSIONS = {
  library: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string,
  cdk8s: installedVersion('cdk8s'),
  cdk8sPlus28: installedVersion('cdk8s-plus-28'),
  jsiiPacmak: installedVersion('jsii-pacmak'),
};

const CACHE = cacheRoot();
const M2 = path.join(CACHE, 'm2');
const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.env.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?? '20',
  PIP_CACHE_DIR: path.join(CACHE, 'pip'),
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  GOMODCACHE: path.join(CACHE, 'go', 'mod'),
  GOCACHE: path.join(CACHE, 'go', 'build'),
  GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
  GOFLAGS: '-buildvcs=false',
  CGO_ENABLED: '0',
};

class StepError extends Error {}

/** Runs a command with its output appended to `log`; throws with the command line on failure. */
function run(log: string, cwd: string, command: string, args: string[]): string {
  fs.appendFileSync(log, `\n$ (cd ${cwd} && ${command} ${args.join(' ')})\n`);
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  fs.appendFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status !== 0) {
    throw new StepError(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
  return result.stdout;
}

function seconds(since: number): string {
  return `${Math.round((Date.now() - since) / 1000)} s`;
}

/** Compiles with jsii when .jsii is missing or older than a source file (CI's `projen build` did it). */
function ensureCompiled(): void {
  const assembly = path.join(ROOT, '.jsii');
  const built = fs.existsSync(assembly) ? fs.statSync(assembly).mtimeMs : 0;
  const sources = fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('.ts'))
    .map(file => fs.statSync(path.join(ROOT, 'src', file)).mtimeMs);
  if (built && sources.every(mtime => mtime <= built)) return;
  const started = Date.now();
  const log = path.join(LOGS, 'compile.log');
  fs.writeFileSync(log, '');
  run(log, ROOT, 'npx', ['projen', 'compile']);
  console.log(`package:smoke: jsii compile (${seconds(started)})`);
}

/** What pacmak packs for every language: the assembly, the compiled JavaScript, package.json. */
function packageHash(): string {
  const hash = createHash('sha256').update(VERSIONS.jsiiPacmak);
  for (const file of ['.jsii', 'package.json']) hash.update(fs.readFileSync(path.join(ROOT, file)));
  const lib = path.join(ROOT, 'lib');
  for (const file of fs.readdirSync(lib, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(lib, file);
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * jsii-pacmak for one language into dist/<language>, skipped when dist/ holds a build of the same
 * package (a warm run); `around` prepares what the build needs and undoes it afterwards.
 */
function pacmak(language: Language, log: string, args: string[] = [], around?: { before(): void; after(): void }): string {
  const key = packageHash();
  const stamp = path.join(LOGS, `${language}.built`);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === key && fs.existsSync(path.join(DIST, language))) {
    return 'jsii-pacmak: up to date';
  }
  const started = Date.now();
  fs.rmSync(stamp, { force: true });
  around?.before();
  try {
    // The translated @examples (the docstrings of every language): `npx projen rosetta` writes the
    // tablet from the assembly; made here when the build that made .jsii did not (a warm checkout).
    const tablet = path.join(ROOT, '.jsii.tabl.json');
    if (!fs.existsSync(tablet) || fs.statSync(tablet).mtimeMs < fs.statSync(path.join(ROOT, '.jsii')).mtimeMs) {
      run(log, ROOT, 'npx', ['projen', 'rosetta']);
    }
    run(log, ROOT, 'npx', ['jsii-pacmak', '-v', '--target', language, '--rosetta-tablet', tablet, ...args]);
  } finally {
    around?.after();
  }
  fs.writeFileSync(stamp, key);
  return `jsii-pacmak ${seconds(started)}`;
}

/**
 * cdk8s (and cdk8s-plus-28) bindings generated by jsii-pacmak from the npm packages the library
 * is built against, for a registry that does not serve them; built once per machine.
 */
function bindings(language: 'java' | 'go', log: string, packages: string[]): string {
  const dir = path.join(CACHE, 'packaging', `${language}-cdk8s-${VERSIONS.cdk8s}-plus28-${VERSIONS.cdk8sPlus28}-pacmak-${VERSIONS.jsiiPacmak}`);
  if (fs.existsSync(dir)) return dir;
  const tmp = `${dir}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const args = ['jsii-pacmak', '-v', '--target', language, '-o', tmp, ...packages.map(name => path.join('node_modules', name))];
  // No javadoc for these: only the classes are needed (the library's own build keeps its javadoc).
  if (language === 'java') args.push(`--maven-local-repository=${M2}`, '--mvn-define=maven.javadoc.skip=true');
  run(log, ROOT, 'npx', args);
  try {
    fs.renameSync(tmp, dir);
  } catch (error) {
    if (!fs.existsSync(dir)) throw error; // another run finished first: keep its copy
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

function copyApp(language: Language): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-stateful-smoke-${language}-`));
  fs.cpSync(path.join(APPS, language), dir, { recursive: true });
  return dir;
}

function python(log: string, expected: string): string {
  const built = pacmak('python', log);
  const wheels = fs.readdirSync(path.join(DIST, 'python')).filter(file => file.endsWith('.whl'));
  if (wheels.length !== 1) throw new StepError(`expected one wheel in dist/python, found ${wheels.join(', ') || 'none'}`);
  const started = Date.now();
  const app = copyApp('python');
  run(log, app, 'python3', ['-m', 'venv', 'venv']);
  run(log, app, 'venv/bin/pip', ['install', '--quiet', path.join(DIST, 'python', wheels[0]),
    `cdk8s==${VERSIONS.cdk8s}`, `cdk8s-plus-28==${VERSIONS.cdk8sPlus28}`]);
  const out = run(log, app, 'venv/bin/python', ['check.py', expected]);
  fs.rmSync(app, { recursive: true, force: true });
  return `${wheels[0]} (${built}); venv with cdk8s ${VERSIONS.cdk8s}, cdk8s-plus-28 ${VERSIONS.cdk8sPlus28} from PyPI: ${verdict('python', out)} (${seconds(started)})`;
}

function java(log: string, expected: string): string {
  // Maven Central lacks both: generated once, then put in the local repository Maven reads first.
  const deps = bindings('java', log, ['cdk8s', 'cdk8s-plus-28']);
  fs.cpSync(path.join(deps, 'java'), M2, { recursive: true });
  const built = pacmak('java', log, [`--maven-local-repository=${M2}`]);
  const started = Date.now();
  const app = copyApp('java');
  // The library's version never changes (0.0.0): drop the copy an earlier run left in the cache.
  fs.rmSync(path.join(M2, 'dev', 'cdk8s-stateful'), { recursive: true, force: true });
  const out = run(log, app, 'mvn', ['-B', '-ntp', '-q', `-Dmaven.repo.local=${M2}`,
    `-Dsmoke.libraryRepository=file://${path.join(DIST, 'java')}`,
    `-Dcdk8s-stateful.version=${VERSIONS.library}`, `-Dcdk8s.version=${VERSIONS.cdk8s}`, `-Dcdk8s-plus-28.version=${VERSIONS.cdk8sPlus28}`,
    'compile', 'exec:java', `-Dexec.args=${expected}`]);
  fs.rmSync(app, { recursive: true, force: true });
  return `dev.cdk8s-stateful:cdk8s-stateful:${VERSIONS.library} (${built}); Maven project with org.cdk8s:cdk8s ${VERSIONS.cdk8s}, cdk8s-plus-28 ${VERSIONS.cdk8sPlus28} (generated from npm: not on Maven Central): ${verdict('java', out)} (${seconds(started)})`;
}

function go(log: string, expected: string): string {
  // The Go proxy refuses cdk8s-core-go: generated once; pacmak finds it beside the module it builds.
  const deps = path.join(bindings('go', log, ['cdk8s']), 'go', 'cdk8s');
  const link = path.join(DIST, 'go', 'cdk8s');
  const built = pacmak('go', log, [], {
    before: () => {
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.rmSync(link, { recursive: true, force: true });
      fs.symlinkSync(deps, link);
    },
    after: () => fs.rmSync(link, { force: true }),
  });
  const library = path.join(DIST, 'go', 'cdk8sstateful');
  const gomod = fs.readFileSync(path.join(library, 'go.mod'), 'utf8');
  const module = /^module (\S+)$/m.exec(gomod)![1];
  const runtime = /github\.com\/aws\/jsii-runtime-go (v\S+)/.exec(gomod)![1];
  const started = Date.now();
  const app = copyApp('go');
  fs.writeFileSync(path.join(app, 'go.mod'), [
    'module smoke',
    '',
    'go 1.25',
    '',
    'require (',
    `\t${module} v${VERSIONS.library}`,
    `\tgithub.com/aws/jsii-runtime-go ${runtime}`,
    `\tgithub.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v${VERSIONS.cdk8s}`,
    `\tgithub.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2 v${VERSIONS.cdk8sPlus28}`,
    ')',
    '',
    `replace ${module} => ${library}`,
    '',
    `replace github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => ${deps}`,
    '',
  ].join('\n'));
  run(log, app, 'go', ['mod', 'tidy']);
  run(log, app, 'go', ['build', '-o', 'smoke', '.']);
  const out = run(log, app, './smoke', [expected]);
  fs.rmSync(app, { recursive: true, force: true });
  return `${module} (${built}); Go module with cdk8s-plus-go ${VERSIONS.cdk8sPlus28} from the Go proxy, cdk8s-core-go ${VERSIONS.cdk8s} generated from npm (the proxy refuses it): ${verdict('go', out)} (${seconds(started)})`;
}

/** The app's verdict: the line it prints last, `<language>: ...`. */
function verdict(language: Language, output: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n'); // Maven colours even in batch mode
  const line = lines.reverse().find(l => l.startsWith(`${language}: `));
  if (!line) throw new StepError(`the ${language} app printed no verdict line`);
  return line.slice(language.length + 2);
}

/**
 * The constructs' @examples reach each language translated (jsii-rosetta's tablet, see `pacmak`):
 * the StatefulDatabase example as that language writes it, not the TypeScript it was written in.
 */
const TRANSLATED_EXAMPLE: Record<Language, { readonly source: () => string; readonly expected: string }> = {
  python: {
    source: () => sourceInArchive(path.join(DIST, 'python'), '.tar.gz', 'cdk8s_stateful/__init__.py'),
    expected: 'orders = StatefulDatabase(chart, "orders",',
  },
  java: {
    source: () => sourceInArchive(path.join(DIST, 'java'), '-sources.jar', 'dev/cdk8s_stateful/StatefulDatabase.java'),
    expected: 'StatefulDatabase orders = StatefulDatabase.Builder.create(chart, "orders")',
  },
  go: {
    source: () => fs.readFileSync(path.join(DIST, 'go', 'cdk8sstateful', 'StatefulDatabase.go'), 'utf8'),
    expected: 'NewStatefulDatabase(chart, jsii.String("orders"),',
  },
};

/** A file of the one archive under `dir` whose name ends with `suffix` (tar.gz or jar), as text. */
function sourceInArchive(dir: string, suffix: string, member: string): string {
  const archives = (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter(f => f.endsWith(suffix));
  if (archives.length !== 1) throw new StepError(`expected one *${suffix} under ${dir}, found ${archives.join(', ') || 'none'}`);
  const archive = path.join(dir, archives[0]);
  const result = suffix.endsWith('.jar')
    ? spawnSync('unzip', ['-p', archive, member], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync('tar', ['-xzOf', archive, '--wildcards', `*/${member}`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 || !result.stdout) throw new StepError(`cannot read ${member} from ${archive}`);
  return result.stdout;
}

function checkTranslatedExamples(language: Language): string {
  const { source, expected } = TRANSLATED_EXAMPLE[language];
  if (language === 'java' && !(fs.readdirSync(path.join(DIST, 'java'), { recursive: true, encoding: 'utf8' }) as string[]).some(f => f.endsWith('-sources.jar'))) {
    // Not seen yet on this layout of dist/java: say so rather than fail the packages on it.
    return '@examples not checked (no sources jar in dist/java)';
  }
  const text = source();
  if (!text.includes(expected) || text.includes('new StatefulDatabase(chart')) {
    throw new StepError(`the ${language} docs of StatefulDatabase carry an untranslated @example (expected \`${expected}\`): is the rosetta tablet missing?`);
  }
  return '@examples translated';
}

/** The README's example for each language is its app's shop file, verbatim. */
const README_EXAMPLES: Record<Language, string> = {
  python: 'python/shop.py',
  java: 'java/src/main/java/Shop.java',
  go: 'go/shop.go',
};

function checkReadme(languages: readonly Language[]): void {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^## Other languages \(Python, Java, Go\)\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  for (const language of languages) {
    const block = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'm').exec(section)?.[1];
    const file = fs.readFileSync(path.join(APPS, README_EXAMPLES[language]), 'utf8');
    if (block !== file) {
      throw new StepError(`README.md, section "Other languages (Python, Java, Go)": the \`\`\`${language} block is not tools/packaging/apps/${README_EXAMPLES[language]} (copy the file into it)`);
    }
  }
}

function main(): void {
  const asked = process.argv.slice(2);
  const unknown = asked.filter(arg => !(LANGUAGES as readonly string[]).includes(arg));
  if (unknown.length) {
    console.error(`package:smoke: unknown language(s) ${unknown.join(', ')}; accepted: ${LANGUAGES.join(', ')} (dotnet is declared but not built here: no NuGet)`);
    process.exit(2);
  }
  const languages = asked.length ? asked as Language[] : LANGUAGES;
  const started = Date.now();
  fs.mkdirSync(LOGS, { recursive: true });
  ensureCompiled();
  checkReadme(languages);
  const expected = path.join(LOGS, 'typescript-guards-message.txt');
  fs.writeFileSync(expected, typescriptGuardsMessage());

  const steps: Record<Language, (log: string, expected: string) => string> = { python, java, go };
  let failed = 0;
  for (const language of languages) {
    const log = path.join(LOGS, `${language}.log`);
    fs.writeFileSync(log, '');
    const begun = Date.now();
    try {
      const summary = steps[language](log, expected);
      const examples = checkTranslatedExamples(language);
      console.log(`package:smoke ${language}: ${summary}; ${examples}; ${seconds(begun)} in all`);
    } catch (error) {
      failed++;
      const tail = fs.readFileSync(log, 'utf8').trimEnd().split('\n').slice(-80).join('\n');
      console.error(`package:smoke ${language}: FAILED: ${(error as Error).message}\n--- the end of ${log}:\n${tail}\n---`);
    }
  }
  console.log(`package:smoke: ${languages.join(', ')} in ${seconds(started)} (dotnet: declared, not built here, no NuGet)`);
  console.log(`smoke: ${languages.length - failed} passed, ${failed} failed`);
  if (failed) process.exit(1);
}

try {
  main();
} catch (error) {
  console.error(`package:smoke: ${(error as Error).message}`);
  process.exit(1);
}
