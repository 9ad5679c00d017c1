import { cdk8s, DependencyType, javascript, JsonFile } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-stateful',
  packageName: 'cdk8s-stateful',
  description: 'Stateful workloads on Kubernetes, correct by construction: StatefulSet databases, node agents, storage presets and synth-time guards against data-losing anti-patterns.',
  author: 'cdk8s-stateful',
  authorAddress: 'dev@cdk8s-stateful.dev',
  repositoryUrl: 'https://github.com/cdk8s-stateful/cdk8s-stateful.git',
  defaultReleaseBranch: 'main',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'cdk8s-plus', 'kubernetes', 'statefulset', 'storage', 'persistent-volume', 'database', 'daemonset', 'guards'],

  cdk8sVersion: '2.70.106',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // The CLI parses YAML at run time: jsii requires runtime deps to be bundled.
  bundledDeps: ['yaml@^2.5.0'],
  // `cdk8s-stateful check <files...>`: the guards over any YAML (Helm output, kubectl exports).
  bin: { 'cdk8s-stateful': 'lib/cli/main.js' },
  devDeps: [
    'fast-check@^3.22.0',
    // The checker benchmark's floor (the fastest JavaScript YAML parser) and a second printer for
    // the fast YAML reader's property test; the CLI itself reads YAML with its own reader and `yaml`.
    'js-yaml@^5.5.0',
    // What a new cdk8s app gets today: tests use it beside cdk8s-plus-28 (the peer dependency).
    'cdk8s-plus-33@^2.5.57',
    // The inventory's HTML page is loaded in Debian's Chromium (headless) and its mermaid output
    // parsed by mermaid itself, in that browser (test/inventory/).
    'playwright-core@^1.65.1',
    'mermaid@~11.6.0',
    // QUORUM reads and writes against the real Cassandra ring the tests start (test/database-scripts/).
    'cassandra-driver@^4.10.0',
  ],

  // Construct Hub shows these targets. Python, Java and Go are built by jsii-pacmak and used from a
  // real app in each language by `npm run package:smoke` (tools/packaging/, a step of .ci/run);
  // .NET stays declared and unbuilt (no NuGet on our machines).
  publishToPypi: { distName: 'cdk8s-stateful', module: 'cdk8s_stateful' },
  publishToMaven: {
    javaPackage: 'dev.cdk8s_stateful',
    mavenGroupId: 'dev.cdk8s-stateful',
    mavenArtifactId: 'cdk8s-stateful',
  },
  publishToNuget: { dotNetNamespace: 'Cdk8sStateful', packageId: 'Cdk8sStateful' },
  publishToGo: { moduleName: 'github.com/cdk8s-stateful/cdk8s-stateful-go' },

  // No GitHub workflows: CI is `.ci/run`.
  github: false,
  release: false,
  depsUpgrade: false,

  gitignore: ['/examples/dist/.tmp', '/.bench-out'],
  tsconfigDev: {
    // Relative to test/, where projen writes this tsconfig.
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../tools/**/*.ts'],
    compilerOptions: {},
  },
  // The test task must fail on a lint error, not rewrite the file (`npx projen eslint --fix` fixes).
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'tools', 'projenrc'], commandOptions: { fix: false } },
  jestOptions: {
    jestVersion: '^29',
    // A changed snapshot fails the run (`npx projen test:update` rewrites them on purpose).
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // test/corpus/ reads ../shared, which a fresh clone does not have: `npm run test:corpus`.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/corpus/', '<rootDir>/test/packaging/packed-tarball'],
      testTimeout: 120_000,
      collectCoverage: false,
      // One real kube-apiserver for the run (tools/kube): every object a test synthesizes through
      // test/harness is dry-run against it at the end of its file.
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/after-each-file.ts'],
    },
  },
});

// Shell scripts shipped in the package live in assets/ (read at synth time): not ignored.
for (const dir of ['/examples/', '/bench/', '/.ci/', '/docs/', '/tools/']) project.npmignore?.exclude(dir);

// jest 30 and eslint-import-resolver-typescript 4 pull unrs-resolver, whose per-platform optional
// bindings the npm registry mirror of our machines does not serve: the lock file then lacks them and
// `npm ci` refuses it. jest 29 (jestVersion above) and resolver 3.6 resolve in plain JavaScript.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.deps.addDependency('eslint-import-resolver-typescript@~3.6.3', DependencyType.BUILD);

// Subpath exports. Each layer's entry (src/entries/<layer>.ts) loads the guards' auto-enable hook
// before re-exporting the layer, as src/index.ts does: no way into the package skips it (lib/* is
// not exported). `typesVersions` serves TypeScript's `moduleResolution: node`, which ignores
// `exports`. `./.jsii` stays reachable for jsii tools that read the assembly of a dependency.
const SUBPATHS: Record<string, string> = {
  'storage': 'lib/entries/storage',
  'database': 'lib/entries/database',
  'daemons': 'lib/entries/daemons',
  'guards': 'lib/entries/guards',
  // The cdk8s-cli validation plugin (cli layer; loads no construct, so it needs no hook).
  'cdk8s-plugin': 'lib/cli/plugin',
};
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  ...Object.fromEntries(Object.entries(SUBPATHS).map(([sub, file]) => [`./${sub}`, { types: `./${file}.d.ts`, default: `./${file}.js` }])),
  './package.json': './package.json',
  './.jsii': './.jsii',
});
project.package.addField('typesVersions', {
  '*': Object.fromEntries(Object.entries(SUBPATHS).map(([sub, file]) => [sub, [`${file}.d.ts`]])),
});

const jsiiEnv = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
for (const name of ['compile', 'watch', 'docgen', 'package:js', 'package-all']) {
  const task = project.tasks.tryFind(name);
  task?.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
}

// The @example of every construct, translated: jsii-rosetta compiles each in rosetta/default.ts-fixture
// and records its Python, Java, Go and C# forms in a tablet, which jsii-pacmak puts in the docstrings
// (without a tablet they keep their TypeScript). README snippets are translated too, best effort:
// several are whole programs with their own imports, which the fixture cannot host.
project.addTask('rosetta', {
  description: 'Translate the @example snippets for the Python, Java, Go and .NET docs (.jsii.tabl.json)',
  env: jsiiEnv,
  exec: 'jsii-rosetta extract --compile --output .jsii.tabl.json',
});
project.tasks.tryFind('post-compile')?.spawn(project.tasks.tryFind('rosetta')!);
for (const language of ['python', 'java', 'go', 'dotnet']) {
  const task = project.tasks.tryFind(`package:${language}`)!;
  task.reset();
  task.exec(`jsii-pacmak -v --target ${language} --rosetta-tablet .jsii.tabl.json`);
}
project.gitignore.exclude('/.jsii.tabl.json');
project.npmignore?.exclude('/.jsii.tabl.json');

// `npm run examples`: synthesize every example app to examples/dist/<name>.yaml
project.addTask('examples', {
  description: 'Synthesize every example app to examples/dist/<name>.yaml',
  env: jsiiEnv,
  exec: 'ts-node --project test/tsconfig.json examples/synth.ts',
});

// `npm run bench`: benchmarks with ratios against a floor measured in the same run
project.addTask('bench', {
  description: 'Run the benchmarks in bench/ and print ratios against a same-run baseline',
  exec: 'ts-node --project test/tsconfig.json --transpile-only bench/run.ts',
  receiveArgs: true,
});

// tools/ (the API server harness and `npm run conformance`) is type-checked and linted with the
// test settings: eslint's project service takes the tsconfig nearest to each file.
new JsonFile(project, 'tools/tsconfig.json', {
  obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
});

// ts-jest compiles each test file alone (isolatedModules) and does not type-check: the test task does.
project.testTask.exec('tsc -p test/tsconfig.json --noEmit');

// `npm run test:corpus`: the guards and the CLI over the shared real-world corpus (../shared/corpus),
// a separate step of .ci/run when that folder exists.
project.addTask('test:corpus', {
  description: 'Guards and CLI over ../shared/corpus (the official Kubernetes examples and their expected verdicts)',
  exec: 'jest --ci --testPathPattern test/corpus/ --testPathIgnorePatterns /node_modules/',
  receiveArgs: true,
});

// `npm run package:smoke [-- python java go]`: jsii-pacmak for Python, Java and Go into dist/, then
// an app in each language (venv + wheel, Maven, Go module) synthesizes a StatefulDatabase and gets
// the guards' message TypeScript gets. Caches under ~/.cache/cdk8s-stateful/.
project.addTask('package:smoke', {
  description: 'Build the Python, Java and Go packages (jsii-pacmak) and smoke-test each from a real app',
  env: jsiiEnv,
  exec: 'ts-node --project test/tsconfig.json --transpile-only tools/packaging/smoke.ts',
  receiveArgs: true,
});

// `npm run test:packaging`: the packed tarball in a new cdk8s app made by following the README's
// quick start literally (npm installs, downloads cached under ~/.cache/cdk8s-stateful/npm; about
// 2 min warm): subpath exports from TypeScript and JavaScript, and the cdk8s-cli validation plugin
// under the real `cdk8s synth`. Too slow for `npm test`: a step of .ci/run after the build.
project.addTask('test:packaging', {
  description: 'The packed tarball in a new cdk8s app: README quick start, subpath exports, cdk8s-cli validation plugin',
  env: jsiiEnv,
  exec: 'jest --ci --testPathPattern test/packaging/packed-tarball --testPathIgnorePatterns /node_modules/',
  receiveArgs: true,
});

// `npm run conformance -- FILE|DIR|-`: dry-run any manifests against the real kube-apiserver
// (built from tools/kube once per machine, cached under ~/.cache/cdk8s-stateful/).
project.addTask('conformance', {
  description: 'Dry-run manifests against a real kube-apiserver (strict field validation, Pod Security admission)',
  exec: 'ts-node --project test/tsconfig.json --transpile-only tools/kube/conformance.ts',
  receiveArgs: true,
});

// `npm run cluster -- [--nodes N] [--zones Z]`: a local control plane (kube-apiserver,
// kube-controller-manager, kube-scheduler of tools/kube, cached) with simulated nodes, until Ctrl-C.
project.addTask('cluster', {
  description: 'Start a local control plane with simulated nodes and print its kubeconfig (Ctrl-C stops it)',
  exec: 'ts-node --project test/tsconfig.json --transpile-only tools/kube/cluster-main.ts',
  receiveArgs: true,
});

project.synth();
