/**
 * The package as users get it: the packed tarball (`npx projen package:js`) installed from npm in
 * a new cdk8s app made by following the README's quick start literally, then the subpath exports
 * from TypeScript and JavaScript, and the cdk8s-cli validation plugin run by the real `cdk8s synth`.
 *
 * Slow (npm installs; downloads cached under ~/.cache/cdk8s-stateful/npm): not part of `npm test`,
 * run by `npm run test:packaging` (a step of .ci/run). Commands and their output go to a log file
 * named on the console.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkedByApiServer, find, parseYaml } from '../harness';
import { codeBlocks, packedTarball, readmeSection, ROOT, shell, ShellResult } from './packaging-harness';

const SLOW = 15 * 60_000;
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-packaging-'));
/** Outside WORK (removed at the end): the last run's commands and output stay readable. */
const LOG = path.join(os.tmpdir(), 'cdk8s-stateful-packaging.log');
const APP = path.join(WORK, 'shop');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** The restricted Pod Security context (the objects synthesized here are dry-run by the API server). */
const RESTRICTED_TS = `{ ensureNonRoot: true, user: 1000, group: 1000, allowPrivilegeEscalation: false,
      capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } }`;
const RESTRICTED_YAML = `securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            allowPrivilegeEscalation: false
            capabilities: { drop: [ALL] }
            seccompProfile: { type: RuntimeDefault }`;

let quickStart: ShellResult;
let substitutions: string[] = [];

/**
 * The quick start as one bash script: command blocks as they are, file blocks written with the
 * name their info string gives (the prose before each must name it too). Two substitutions, both
 * checked to happen exactly once: the packed tarball for the package name in `npm install`, and
 * `--no-check-upgrade` for `cdk8s synth`.
 */
function quickStartScript(tarball: string): string {
  const { text, line } = readmeSection('### A new cdk8s app');
  const parts: string[] = [];
  substitutions = [];
  for (const b of codeBlocks(text, line)) {
    if (b.lang === 'sh') {
      parts.push(b.body.split('\n').map(l => {
        let out = l;
        if (/^npm install\b/.test(l)) {
          out = l.split(' ').map(w => (w === 'cdk8s-stateful' ? tarball : w)).join(' ');
          if (out !== l) substitutions.push('tarball');
        }
        if (/\bnpx cdk8s synth\b/.test(out)) {
          out = out.replace(/\bnpx cdk8s synth\b/, 'npx cdk8s synth --no-check-upgrade');
          substitutions.push('no-check-upgrade');
        }
        return out;
      }).join('\n'));
    } else if (b.file) {
      if (!b.caption.includes(`\`${b.file}\``)) throw new Error(`README.md line ${b.line}: the prose before the ${b.file} block does not name it (\`${b.file}\`)`);
      parts.push(`cat > '${b.file}' <<'README_BLOCK_EOF'\n${b.body}README_BLOCK_EOF`);
    } else {
      throw new Error(`README.md line ${b.line}: a quick start block is neither commands (sh) nor a file (\`\`\`<lang> <file name>)`);
    }
  }
  return parts.join('\n');
}

/** A directory beside the app that uses the app's node_modules (as another app would its own). */
function beside(name: string, files: Record<string, string>): string {
  const dir = path.join(WORK, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.join(APP, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  return dir;
}

function expectSuccess(r: ShellResult): void {
  if (r.code !== 0) throw new Error(`exit ${r.code} (log: ${LOG}):\n${r.output.slice(-4000)}`);
}

beforeAll(() => {
  fs.writeFileSync(LOG, '');
  console.log(`packaging tests: commands and their output in ${LOG}`);
  const tarball = packedTarball(t => fs.appendFileSync(LOG, t));
  quickStart = shell(quickStartScript(tarball), WORK, LOG);
}, SLOW);

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

describe('the README quick start, followed literally with the packed tarball', () => {
  test('each command runs, and cdk8s synth writes the database: a StatefulSet with a claim per replica and its headless Service', () => {
    expect(substitutions.sort()).toEqual(['no-check-upgrade', 'tarball']);
    expectSuccess(quickStart);
    const objects = checkedByApiServer(parseYaml(fs.readFileSync(path.join(APP, 'dist', 'shop.k8s.yaml'), 'utf8')));
    const sts = find(objects, 'StatefulSet');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe(find(objects, 'StorageClass').metadata.name);
    expect(find(objects, 'Service', sts.spec.serviceName).spec.clusterIP).toBe('None');
    expect(find(objects, 'CronJob').spec.schedule).toBe('0 3 * * *');
  });

  test('the app got exactly the versions the README names', () => {
    const { text } = readmeSection('### A new cdk8s app');
    const named = [...text.matchAll(/(?<=\s)((?:@[\w-]+\/)?[\w.-]+)@(\d+\.\d+\.\d+)(?=\s|$)/gm)].map(m => [m[1], m[2]]);
    expect(named.map(([n]) => n).sort()).toEqual(['cdk8s', 'cdk8s-cli', 'cdk8s-plus-28', 'constructs', 'ts-node', 'typescript']);
    for (const [name, version] of named) {
      expect([name, JSON.parse(fs.readFileSync(path.join(APP, 'node_modules', name, 'package.json'), 'utf8')).version]).toEqual([name, version]);
    }
    expect(JSON.parse(fs.readFileSync(path.join(APP, 'package.json'), 'utf8')).dependencies['cdk8s-stateful']).toMatch(/cdk8s-stateful@.*\.tgz$/);
  });
});

describe('subpath exports of the packed tarball', () => {
  const TS_CONSUMER = `import { App, Chart, Size } from 'cdk8s';
import * as root from 'cdk8s-stateful';
import { DatabaseEngine, StatefulDatabase } from 'cdk8s-stateful/database';
import { NodeExporterDaemon } from 'cdk8s-stateful/daemons';
import { GuardsValidation } from 'cdk8s-stateful/cdk8s-plugin';
import { Guards, GuardSeverity } from 'cdk8s-stateful/guards';
import { Provisioner, StorageClass } from 'cdk8s-stateful/storage';

const chart = new Chart(new App(), 'c');
const sc: root.StorageClass = new StorageClass(chart, 'sc', { provisioner: Provisioner.awsEbs() });
const db: root.StatefulDatabase = new StatefulDatabase(chart, 'db', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(10) } });
const agent: root.NodeAgentDaemon = new NodeExporterDaemon(chart, 'agent');
const severity: root.GuardSeverity = GuardSeverity.ERROR;
Guards.acknowledge(db, 'SG011', 'The cluster has one node in this test.');
const plugin = new GuardsValidation({ strict: true });
export { sc, agent, severity, plugin };
`;
  const tsconfig = (module: string, moduleResolution: string) => JSON.stringify({
    compilerOptions: { target: 'ES2022', module, moduleResolution, strict: true, skipLibCheck: true, noEmit: true, types: [] },
    files: ['consumer.ts'],
  });

  test.each([
    ['node (through typesVersions)', 'commonjs', 'node'],
    ['node16 (through exports)', 'node16', 'node16'],
    ['nodenext (through exports)', 'nodenext', 'nodenext'],
    ['bundler (through exports)', 'esnext', 'bundler'],
  ])('TypeScript resolves every subpath with moduleResolution %s', (_name, module, resolution) => {
    const dir = beside(`ts-${resolution}`, { 'consumer.ts': TS_CONSUMER, 'tsconfig.json': tsconfig(module, resolution) });
    expectSuccess(shell('npx tsc -p tsconfig.json', dir, LOG));
  }, SLOW);

  test('with exports, TypeScript refuses a path inside the package, and the plugin satisfies cdk8s-cli\'s own Validation type', () => {
    const dir = beside('ts-contract', {
      'consumer.ts': `import type { Validation } from 'cdk8s-cli/plugins';
import { GuardsValidation } from 'cdk8s-stateful/cdk8s-plugin';
export const plugin: Validation = new GuardsValidation({ namespace: 'shop' });
`,
      'deep.ts': "import { StorageClass } from 'cdk8s-stateful/lib/storage';\nexport { StorageClass };\n",
      'tsconfig.json': tsconfig('node16', 'node16'),
    });
    expectSuccess(shell('npx tsc -p tsconfig.json', dir, LOG));
    const deep = shell('npx tsc --noEmit --strict --skipLibCheck --module node16 --moduleResolution node16 deep.ts || echo "exit $?"', dir, LOG);
    expect(deep.output).toMatch(/deep\.ts\(1,\d+\): error TS2307: Cannot find module 'cdk8s-stateful\/lib\/storage'/);
  }, SLOW);

  test('JavaScript loads every subpath with require and with import; paths inside the package are not exported', () => {
    const dir = beside('js', {
      'consumer.cjs': `const assert = require('assert');
const root = require('cdk8s-stateful');
assert.strictEqual(require('cdk8s-stateful/storage').StorageClass, root.StorageClass);
assert.strictEqual(require('cdk8s-stateful/database').StatefulDatabase, root.StatefulDatabase);
assert.strictEqual(require('cdk8s-stateful/daemons').NodeExporterDaemon, root.NodeExporterDaemon);
assert.strictEqual(require('cdk8s-stateful/guards').Guards, root.Guards);
assert.strictEqual(typeof require('cdk8s-stateful/cdk8s-plugin').GuardsValidation, 'function');
assert.throws(() => require('cdk8s-stateful/lib/storage'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
console.log('require: ok');
`,
      'consumer.mjs': `import assert from 'assert';
import { StorageClass } from 'cdk8s-stateful/storage';
import { StatefulDatabase } from 'cdk8s-stateful/database';
import { NodeExporterDaemon } from 'cdk8s-stateful/daemons';
import { Guards } from 'cdk8s-stateful/guards';
import { GuardsValidation } from 'cdk8s-stateful/cdk8s-plugin';
import * as root from 'cdk8s-stateful';
assert.strictEqual(StorageClass, root.StorageClass);
assert.strictEqual(StatefulDatabase, root.StatefulDatabase);
assert.strictEqual(NodeExporterDaemon, root.NodeExporterDaemon);
assert.strictEqual(Guards, root.Guards);
assert.strictEqual(typeof GuardsValidation, 'function');
await assert.rejects(import('cdk8s-stateful/lib/storage.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
console.log('import: ok');
`,
    });
    const r = shell('node consumer.cjs && node consumer.mjs', dir, LOG);
    expectSuccess(r);
    expect(r.output).toBe('require: ok\nimport: ok\n');
  }, SLOW);

  test.each([
    ['storage', "const { Provisioner, StorageClass } = require('cdk8s-stateful/storage'); new StorageClass(chart, 'sc', { provisioner: Provisioner.awsEbs() });"],
    ['database', "const { DatabaseEngine, StatefulDatabase } = require('cdk8s-stateful/database'); new StatefulDatabase(chart, 'db', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(10) } });"],
    ['daemons', "const { NodeExporterDaemon } = require('cdk8s-stateful/daemons'); new NodeExporterDaemon(chart, 'agent');"],
  ])('loading only cdk8s-stateful/%s turns the guards on for a chart holding one of its constructs', (subpath, construct) => {
    // A Deployment of three replicas on a ReadWriteOnce claim (SG001), in a chart with a library construct.
    const antiPattern = `const { App, Chart, ApiObject, Size } = require('cdk8s');
const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'shop');
new ApiObject(chart, 'data', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
new ApiObject(chart, 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {
  replicas: 3, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: {
    containers: [{ name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } } } });
`;
    const dir = beside(`hook-${subpath}`, {
      'with-construct.cjs': `${antiPattern}${construct}\napp.synthYaml();\n`,
      'without.cjs': `${antiPattern}require('cdk8s-stateful/${subpath}');\napp.synthYaml();\nconsole.log('no construct of the library: not judged');\n`,
    });
    const judged = shell('node with-construct.cjs || echo "exit $?"', dir, LOG);
    expect(judged.output).toMatch(/Validation failed[\s\S]*\[shop\] SG001 \[error\]/);
    const notJudged = shell('node without.cjs', dir, LOG);
    expectSuccess(notJudged);
  }, SLOW);
});

describe('the cdk8s-cli validation plugin, run by the real cdk8s synth', () => {
  /** A Deployment of three replicas on a ReadWriteOnce claim (SG001) as plain YAML, optionally acknowledged. */
  const legacyYaml = (annotation?: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 10Gi } }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web${annotation ? `\n  annotations:\n    stateful.cdk8s.io/acknowledge: "${annotation}"` : ''}
spec:
  replicas: 3
  strategy: { type: Recreate }
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          volumeMounts: [{ name: data, mountPath: /data }]
          ${RESTRICTED_YAML}
      volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
`;
  /** An app with no construct of this library (its own guards stay off): the YAML included, and the same anti-pattern in cdk8s-plus. */
  const mainTs = (acknowledge: boolean) => `import { App, Chart, Include, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Guards } from 'cdk8s-stateful/guards';

const app = new App();
const chart = new Chart(app, 'shop');
new Include(chart, 'legacy', { url: 'legacy.yaml' });
const claim = new kplus.PersistentVolumeClaim(chart, 'cache', { storage: Size.gibibytes(5), accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
const cache = new kplus.Deployment(chart, 'cache-writer', {
  replicas: 2,
  strategy: kplus.DeploymentStrategy.recreate(),
  containers: [{
    image: 'nginx:1.27',
    volumeMounts: [{ path: '/data', volume: kplus.Volume.fromPersistentVolumeClaim(chart, 'cache-volume', claim) }],
    securityContext: ${RESTRICTED_TS},
  }],
});
${acknowledge ? "Guards.acknowledge(cache, 'SG001', 'Both replicas are pinned to one node by the cluster policy.');" : 'void Guards; void cache;'}
app.synth();
`;

  /** The README's cdk8s.yaml for the plugin, with the installed version. */
  function pluginConfig(): string {
    const { text, line } = readmeSection('### cdk8s CLI validation plugin');
    const blocks = codeBlocks(text, line).filter(b => b.file === 'cdk8s.yaml');
    expect(blocks).toHaveLength(1);
    const withVersion = blocks[0].body.replace(/^(\s+version:\s*)\S+/m, `$1${VERSION}`);
    expect(withVersion).toContain('package: ./node_modules/cdk8s-stateful/lib/cli/plugin.js');
    return withVersion;
  }

  /** Synthesize an app with the README's plugin configuration (`|| echo "exit N"` when it is expected to fail). */
  function pluginApp(name: string, acknowledge: boolean): { dir: string; synth: ShellResult } {
    const dir = beside(name, {
      'cdk8s.yaml': pluginConfig(),
      'tsconfig.json': fs.readFileSync(path.join(APP, 'tsconfig.json'), 'utf8'),
      'main.ts': mainTs(acknowledge),
      'legacy.yaml': legacyYaml(acknowledge ? 'SG001: a one-node demo cluster, replaced next quarter' : undefined),
    });
    return { dir, synth: shell(`npx cdk8s synth --no-check-upgrade${acknowledge ? '' : ' || echo "exit $?"'}`, dir, LOG) };
  }

  test('an anti-pattern the app does not judge (an included YAML, a chart without a construct of the library) fails the validation', () => {
    const { synth } = pluginApp('plugin-fails', false);
    expect(synth.output).toContain('Validation Report');
    expect(synth.output).toMatch(/SG001 \[error\] ReadWriteOnce claim mounted by a workload that can run more than one replica/);
    // one violation per offending Deployment, each naming the resource, its manifest and its construct
    expect(synth.output).toMatch(/Construct Path: shop\/legacy\/web-deployment\s+- Manifest Path: dist\/shop\.k8s\.yaml\s+- Resource Name: web\b/);
    expect(synth.output).toMatch(/Construct Path: shop\/cache-writer\/Resource\s+- Manifest Path: dist\/shop\.k8s\.yaml\s+- Resource Name: shop-cache-writer-\w+/);
    expect(synth.output).toMatch(/Recommendation: Deployment default\/web runs 3 replica\(s\)/);
    expect(synth.output).toMatch(/How to fix: .*stateful\.cdk8s\.io\/acknowledge: "SG001: <reason>"/);
    expect(synth.output).toMatch(/Validation failed[\s\S]*exit 2\n$/);
  }, SLOW);

  test('the same app passes once both are acknowledged: the annotation in the YAML and Guards.acknowledge in code', () => {
    const { dir, synth } = pluginApp('plugin-acknowledged', true);
    expectSuccess(synth);
    expect(synth.output).toMatch(/acknowledged SG001 on Deployment default\/web: a one-node demo cluster, replaced next quarter/);
    expect(synth.output).toMatch(/acknowledged SG001 on Deployment default\/shop-cache-writer-\w+: Both replicas are pinned to one node by the cluster policy\./);
    expect(synth.output).toMatch(/Validations ended/);
    const objects = checkedByApiServer(parseYaml(fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8')));
    expect(find(objects, 'Deployment', 'cache-writer').metadata.annotations['stateful.cdk8s.io/acknowledge'])
      .toBe('SG001: Both replicas are pinned to one node by the cluster policy.');
  }, SLOW);
});
