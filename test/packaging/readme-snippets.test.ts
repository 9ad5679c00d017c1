/**
 * Every TypeScript snippet of README.md compiles against the library (its sources, through the
 * same entry points the package exports). Snippets may leave out their imports: names the library,
 * `cdk8s`, `cdk8s-plus-28` (as `kplus`) or node's `fs` export are imported for them. Any other
 * name a snippet uses without defining must be one of CONTEXT, the few objects the README's
 * fragments take for granted, each with its type; anything else fails the test.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { codeBlocks, ROOT } from './packaging-harness';

/** What the README's fragments assume exists (`chart` in `new StorageClass(chart, ...)`), typed. */
const CONTEXT: Record<string, string> = {
  app: "import('cdk8s').App",
  chart: "import('cdk8s').Chart",
  manifests: 'Array<{ [key: string]: any }>',
  keyArn: 'string',
  gp3: "import('cdk8s-stateful').IStorageClass",
  orders: "import('cdk8s-stateful').StatefulDatabase",
  apiDeployment: "import('cdk8s-plus-28').Deployment",
  monitoring: "import('cdk8s-stateful').IAgentNamespace",
  cache: "import('constructs').IConstruct",
};

const README = path.join(ROOT, 'README.md');
const blocks = codeBlocks(fs.readFileSync(README, 'utf8')).filter(b => b.lang === 'ts');
const fileOf = (line: number) => path.join(ROOT, 'test', 'packaging', `README.md-line-${line}.ts`);

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    // A snippet shows a construct being made; it need not use every const it declares.
    noUnusedLocals: false,
    noUnusedParameters: false,
    rootDir: ROOT,
    paths: {
      'cdk8s-stateful': [path.join(ROOT, 'src', 'index.ts')],
      'cdk8s-stateful/cdk8s-plugin': [path.join(ROOT, 'src', 'cli', 'plugin.ts')],
      'cdk8s-stateful/*': [path.join(ROOT, 'src', 'entries', '*.ts')],
    },
  };
}

/** Compile the snippets (file name → text) in one program; diagnostics of the snippet files only. */
function compile(files: Map<string, string>, options: ts.CompilerOptions, old?: ts.Program): { program: ts.Program; diagnostics: ts.Diagnostic[] } {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) =>
    (files.has(name) ? ts.createSourceFile(name, files.get(name)!, lang) : getSourceFile(name, lang, onError));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = name => files.has(name) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host, old);
  const diagnostics = [...files.keys()].map(f => program.getSourceFile(f))
    .flatMap(f => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]);
  return { program, diagnostics };
}

/** Names a module exports (values and types), read through the program's checker. */
function exportsOf(program: ts.Program, from: string, specifier: string): Set<string> {
  const checker = program.getTypeChecker();
  const resolved = ts.resolveModuleName(specifier, from, program.getCompilerOptions(), ts.sys).resolvedModule;
  const source = resolved && program.getSourceFile(resolved.resolvedFileName);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`cannot read the exports of ${specifier}`);
  return new Set(checker.getExportsOfModule(symbol).map(s => s.name));
}

function missingNames(diagnostics: readonly ts.Diagnostic[], file: string): Set<string> {
  return new Set(diagnostics.filter(d => d.file?.fileName === file && (d.code === 2304 || d.code === 2552 || d.code === 2503))
    .map(d => /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))![1]));
}

describe('the TypeScript snippets of README.md', () => {
  test('there are snippets to check (the extraction finds the ```ts blocks)', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  test('every snippet compiles, with only the imports and the context objects it leaves out', () => {
    // GIVEN every snippet as it is (a module of its own)
    const options = compilerOptions();
    const bare = new Map(blocks.map(b => [fileOf(b.line), `${b.body}\nexport {};\n`]));
    const first = compile(bare, options);
    const anchor = fileOf(blocks[0].line);
    const library = exportsOf(first.program, anchor, 'cdk8s-stateful');
    const cdk8s = exportsOf(first.program, anchor, 'cdk8s');
    // WHEN each gets the imports and context it leaves out
    const problems: string[] = [];
    const completed = new Map<string, string>();
    const preludeLines = new Map<string, number>();
    for (const b of blocks) {
      const file = fileOf(b.line);
      const prelude: string[] = [];
      const fromLibrary: string[] = [];
      const fromCdk8s: string[] = [];
      for (const name of [...missingNames(first.diagnostics, file)].sort()) {
        if (library.has(name)) fromLibrary.push(name);
        else if (cdk8s.has(name)) fromCdk8s.push(name);
        else if (name === 'kplus') prelude.push("import * as kplus from 'cdk8s-plus-28';");
        else if (name === 'fs') prelude.push("import * as fs from 'fs';");
        else if (name in CONTEXT) prelude.push(`declare const ${name}: ${CONTEXT[name]};`);
        else problems.push(`README.md line ${b.line}: '${name}' is used but never defined`);
      }
      if (fromLibrary.length > 0) prelude.unshift(`import { ${fromLibrary.join(', ')} } from 'cdk8s-stateful';`);
      if (fromCdk8s.length > 0) prelude.unshift(`import { ${fromCdk8s.join(', ')} } from 'cdk8s';`);
      completed.set(file, `${prelude.join('\n')}\n${b.body}\nexport {};\n`);
      preludeLines.set(file, prelude.length + 1);
    }
    const second = compile(completed, options, first.program);
    // THEN
    for (const d of second.diagnostics) {
      const file = d.file!.fileName;
      const line = d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 - preludeLines.get(file)!;
      const block = blocks.find(b => fileOf(b.line) === file)!;
      problems.push(`README.md line ${block.line + line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
    expect(problems).toEqual([]);
  });

  test('a snippet that uses a name it never defines fails the check (the check can fail)', () => {
    const file = fileOf(0);
    const { diagnostics } = compile(new Map([[file, 'uploads.mount(web.containers[0], "/srv");\nexport {};\n']]), compilerOptions());
    expect([...missingNames(diagnostics, file)].sort()).toEqual(['uploads', 'web']);
    expect(Object.keys(CONTEXT)).not.toContain('web');
  });

  test('a snippet that misuses the library fails the check: the library is type-checked, not stubbed', () => {
    const file = fileOf(0);
    const text = "import { Chart } from 'cdk8s';\nimport { StorageClass } from 'cdk8s-stateful/storage';\n"
      + "declare const chart: Chart;\nnew StorageClass(chart, 'gp3', { provisioner: 'ebs.csi.aws.com' });\n";
    const { diagnostics } = compile(new Map([[file, text]]), compilerOptions());
    expect(diagnostics.map(d => [d.code, d.file!.getLineAndCharacterOfPosition(d.start!).line + 1])).toEqual([[2322, 4]]);
  });
});
