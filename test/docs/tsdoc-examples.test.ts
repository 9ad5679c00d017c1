/**
 * The `@example` blocks of the TSDoc in src/ are code: jsii copies them into every language's
 * docs (API.md, Python, Java, Go). This test extracts every one, type-checks it against the
 * library with the TypeScript compiler, runs it and synthesizes what it built (through the
 * harness, so the real kube-apiserver judges the objects too).
 *
 * An example is written against the jsii-rosetta fixture rosetta/default.ts-fixture (the same
 * context the docs compile it in): the library's exports, `App`, `Chart`, `Duration` and `Size`
 * from cdk8s, cdk8s-plus-28 as `kplus`, and a `chart` in an `app`. It imports nothing itself.
 *
 * It also checks that every exported construct class and every exported class with public static
 * factories has an example, and that no `{@link}` tag is left in the docs: jsii renders it
 * verbatim in Python and Java.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as ts from 'typescript';
import { synth } from '../harness';

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const INDEX = path.join(SRC, 'index.ts');

interface Example {
  /** `src/...ts:line` of the `@example` tag. */
  readonly where: string;
  /** The class, interface or member the comment documents. */
  readonly subject: string;
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every `@example` of the doc comments of a file, with the line of its tag. */
function examplesOf(file: string): Example[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: Example[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = m[1].split('\n').map(l => l.replace(/^\s*\* ?/, ''));
    const start = text.slice(0, m.index).split('\n').length;
    const after = text.slice((m.index ?? 0) + m[0].length).match(/^\s*(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:class|interface|enum|function|const)?\s*(?:(?:public|private|protected|static|readonly|get)\s+)*([A-Za-z_$][\w$]*)/);
    for (let i = 0; i < lines.length; i++) {
      if (!/^@example\b/.test(lines[i].trim())) continue;
      const body: string[] = [];
      const first = lines[i].trim().replace(/^@example\s*/, '');
      if (first) body.push(first);
      let j = i + 1;
      for (; j < lines.length && !/^@\w/.test(lines[j].trim()); j++) body.push(lines[j]);
      out.push({ where: `${path.relative(ROOT, file)}:${start + i}`, subject: after?.[1] ?? '?', code: body.join('\n').trim() });
      i = j - 1;
    }
  }
  return out;
}

const examples = sourceFiles(SRC).flatMap(examplesOf);

/* eslint-disable no-bitwise */ // TypeScript's symbol and modifier flags are bit sets.
/** The classes exported by the library's entry point that must have an example. */
function libraryExports(): { needExample: string[] } {
  const program = ts.createProgram([INDEX], { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  const needExample: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.find(ts.isClassDeclaration);
    if (!decl || ts.getJSDocTags(decl).some(t => t.tagName.text === 'internal')) continue;
    const ctor = decl.members.find(ts.isConstructorDeclaration);
    const isConstruct = ctor?.parameters[0]?.type?.getText() === 'Construct' && ctor.parameters[1]?.name.getText() === 'id';
    const hasFactories = decl.members.some(m => ts.isMethodDeclaration(m)
      && (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) !== 0
      && (ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0
      && !m.name.getText().startsWith('_'));
    if (isConstruct || hasFactories) needExample.push(exported.name);
  }
  return { needExample };
}
/* eslint-enable no-bitwise */

const { needExample: NEED_EXAMPLE } = libraryExports();
const LIB_MARKER = 'cdk8s-stateful';
/** The jsii-rosetta fixture the docs compile the examples in: its `/// here` line is where each goes. */
const FIXTURE = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
const [PRELUDE, FIXTURE_END] = FIXTURE.split('/// here\n');
const EPILOGUE = `\n${FIXTURE_END}\nexport const __chart = chart;\nvoid [App, Chart, Duration, Size, kplus];\n`;

describe('the @example blocks of the TSDoc', () => {
  test('every exported construct class and class with static factories has one', () => {
    const documented = new Set(examples.map(e => e.subject));
    expect(NEED_EXAMPLE.length).toBeGreaterThan(15);
    expect(NEED_EXAMPLE.filter(name => !documented.has(name))).toEqual([]);
  });

  test('no example imports anything (the fixture provides the library, cdk8s and a chart)', () => {
    expect(PRELUDE).toContain("} from 'cdk8s-stateful';");
    expect(FIXTURE_END).toBeDefined();
    expect(examples.filter(e => /^\s*import\s/m.test(e.code)).map(e => e.where)).toEqual([]);
  });

  test('every example type-checks against the library', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-examples-'));
    const files = examples.map((e, i) => {
      const file = path.join(dir, `example-${i}.ts`);
      fs.writeFileSync(file, PRELUDE + e.code + EPILOGUE);
      return file;
    });
    // The library's own compiler settings (tsconfig.json: node16, strict), without emitting.
    const options: ts.CompilerOptions = {
      strict: true,
      noImplicitAny: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: [],
    };
    // 'cdk8s-stateful' is the library's entry point; cdk8s and cdk8s-plus resolve from the
    // repository's node_modules, not from the temp dir.
    const host = ts.createCompilerHost(options);
    const fromRoot = path.join(ROOT, 'example.ts');
    host.resolveModuleNameLiterals = (literals, containingFile, _redirect, compilerOptions) => literals.map(literal => {
      if (literal.text === LIB_MARKER) {
        return { resolvedModule: { resolvedFileName: INDEX, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      }
      const from = containingFile.startsWith(dir) ? fromRoot : containingFile;
      return ts.resolveModuleName(literal.text, from, compilerOptions, host);
    });
    const program = ts.createProgram(files, options, host);
    const problems = files.flatMap((file, i) => {
      const sf = program.getSourceFile(file)!;
      const preludeLines = PRELUDE.split('\n').length - 1;
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map(d => {
        const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line - preludeLines : -1;
        return `${examples[i].where} (${examples[i].subject}), example line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(problems).toEqual([]);
  });

  test.each(examples.map(e => [e.where, e.subject, e]))('%s (%s) runs and synthesizes objects the API server accepts', (_where, _subject, e) => {
    const example = e as Example;
    const js = ts.transpileModule(PRELUDE + example.code + EPILOGUE, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    }).outputText;
    const exports: { __chart?: Chart } = {};
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = (id: string) => (id === LIB_MARKER ? require('../../src') : require(id));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'exports', 'module', js)(load, exports, { exports });
    const chart = exports.__chart!;
    expect(chart).toBeInstanceOf(Chart);
    expect(App.of(chart)).toBeDefined();
    // Examples show the library, not hardened pod specs of their own (cdk8s-plus defaults):
    // the namespaces they do not create are judged at the baseline level. They draw no guard
    // warning; the one line an acknowledgement prints is all they may say.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      synth(chart, { podSecurity: 'baseline' });
      const said = warn.mock.calls.map(args => args.join(' '));
      expect(said.filter(line => !line.startsWith('cdk8s-stateful guards: acknowledged '))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('docs that read well in every language', () => {
  test('no {@link} tag is left in src/ (jsii prints it verbatim in Python and Java)', () => {
    const found = sourceFiles(SRC).flatMap(file => fs.readFileSync(file, 'utf8').split('\n')
      .map((line, i) => (/\{@link\b/.test(line) ? `${path.relative(ROOT, file)}:${i + 1}` : ''))
      .filter(Boolean));
    expect(found).toEqual([]);
  });
});
