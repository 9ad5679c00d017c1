import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { cli, FIXTURES, LITERAL_PASSWORD_MYSQL, literalPasswordDeployment, tempDir } from './cli-harness';
import { Guards } from '../../src/guards';
import { LoaderFs } from '../../src/guards/files/manifest-files';

const mysqlDeployment = fs.readFileSync(LITERAL_PASSWORD_MYSQL, 'utf8');

describe('input errors exit 2 with a clear message, never a stack trace', () => {
  test('a YAML syntax error names the file, the document and the line', async () => {
    // GIVEN a valid first document and a broken second one
    const dir = tempDir({ 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: [unclosed\n' });
    // WHEN
    const result = await cli(['check', path.join(dir, 'bad.yaml')]);
    // THEN
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${path.join(dir, 'bad.yaml')}: document 2: YAML syntax error at line`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a bad YAML file among good ones in a directory still fails the run with exit 2', async () => {
    // GIVEN
    const dir = tempDir({ 'a.yaml': mysqlDeployment, 'sub/b.yml': 'key: "unterminated\n' });
    // WHEN
    const result = await cli(['check', dir]);
    // THEN
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(path.join(dir, 'sub', 'b.yml'));
    expect(result.stderr).toContain('YAML syntax error');
  });

  test('duplicate keys are a syntax error (which value would Kubernetes use?)', async () => {
    const dir = tempDir({ 'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: x}\n' });
    const result = await cli(['check', path.join(dir, 'dup.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/dup\.yaml: document 1: YAML syntax error at line 3, column 1: Map keys must be unique/);
  });

  test.each([
    ['a scalar', 'just a string\n', 'got the string "just a string"'],
    ['a sequence', '- a\n- b\n', 'got a sequence'],
    ['a mapping without kind', 'apiVersion: v1\nmetadata: {name: x}\n', "'apiVersion' and 'kind' must be non-empty strings"],
  ])('a document that is %s is rejected naming file and document', async (_what, text, message) => {
    const dir = tempDir({ 'odd.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n${text}` });
    const result = await cli(['check', path.join(dir, 'odd.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, 'odd.yaml')}: document 2 (line 5)`);
    expect(result.stderr).toContain(message);
  });

  test('a file that does not exist exits 2 naming the path', async () => {
    const result = await cli(['check', '/no/such/file.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('cdk8s-stateful: /no/such/file.yaml: cannot read (ENOENT).\n');
  });

  test('an unreadable file exits 2 naming the path', async () => {
    // GIVEN a file system where the file exists but cannot be read (tests may run as root: inject it)
    const denied: LoaderFs = {
      ...fs,
      readFileSync: (p: string) => {
        throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
      },
    } as unknown as LoaderFs;
    const file = LITERAL_PASSWORD_MYSQL;
    // WHEN
    const result = await cli(['check', file], { fs: denied });
    // THEN
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cdk8s-stateful: ${file}: cannot read (EACCES).\n`);
  });

  test('a directory without manifests exits 2', async () => {
    const dir = tempDir({ 'README.md': '# nothing here' });
    const result = await cli(['check', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('directory holds no .yaml, .yml, .json file');
  });

  test('the guards report a synth wrote into dist/ is not taken for a manifest', async () => {
    // GIVEN the output of a synth with Guards.enable(app, { report: true })
    const app = Testing.app({ outdir: tempDir({}) });
    Guards.enable(app, { report: true });
    new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
    app.synth();
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['c.k8s.yaml', 'guards-report.json']);
    // WHEN the README's check of that directory runs
    const result = await cli(['check', '--format', 'json', app.outdir]);
    // THEN the report file is skipped and the manifest is checked
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ files: 2, objects: 1, failed: false });
    expect(result.code).toBe(0);
  });

  test('an input with no object at all (an empty pipe) exits 2', async () => {
    const result = await cli(['check', '-'], { stdin: '# helm template printed nothing\n---\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no Kubernetes object in the input');
  });

  test('invalid JSON names the file', async () => {
    const dir = tempDir({ 'x.json': '{"apiVersion": "v1",' });
    const result = await cli(['check', path.join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, 'x.json')}: JSON syntax error`);
  });
});

describe('reading inputs', () => {
  test('standard input is read for "-"', async () => {
    // WHEN
    const result = await cli(['check', '--format', 'json', '-'], { stdin: mysqlDeployment });
    // THEN
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(report.findings.find((f: any) => f.ruleId === 'SG009').file).toBe('<stdin>');
  });

  test('standard input and files form one input (references between them resolve)', async () => {
    // GIVEN the StatefulSet on stdin and its headless Service in a file
    const services = path.join(FIXTURES, 'replicated-mysql-services.yaml');
    const statefulSet = fs.readFileSync(path.join(FIXTURES, 'replicated-mysql-statefulset.yaml'), 'utf8');
    // WHEN
    const alone = JSON.parse((await cli(['check', '--format', 'json', '-'], { stdin: statefulSet })).stdout);
    const together = JSON.parse((await cli(['check', '--format', 'json', '-', services], { stdin: statefulSet })).stdout);
    // THEN SG015 (governing Service missing) disappears once the Service file is part of the input
    expect(alone.findings.map((f: any) => f.ruleId)).toContain('SG015');
    expect(together.findings.map((f: any) => f.ruleId)).not.toContain('SG015');
  });

  test('a kind: List (kubectl get -o yaml) is expanded into its items', async () => {
    // GIVEN
    const list = stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [literalPasswordDeployment('api')] });
    // WHEN
    const result = await cli(['check', '--format', 'json', '-'], { stdin: list });
    // THEN
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(report.objects).toBe(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'SG009', resource: { kind: 'Deployment', name: 'api' } });
    expect(report.findings[0].locations[0].line).toBe(6); // the line of "- apiVersion: apps/v1"
  });

  test('items of a typed list (DeploymentList from the API) get their kind and apiVersion', async () => {
    const { apiVersion, kind, ...item } = literalPasswordDeployment('typed');
    const list = JSON.stringify({ apiVersion: 'apps/v1', kind: 'DeploymentList', items: [item] });
    const dir = tempDir({ 'list.json': list });
    const result = await cli(['check', '--format', 'json', path.join(dir, 'list.json')]);
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(report.findings[0].resource).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'typed' });
  });

  test('a List item that is not an object is an input error', async () => {
    const result = await cli(['check', '-'], { stdin: 'apiVersion: v1\nkind: List\nitems:\n  - 42\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('<stdin>: document 1 (line 1): items[0] (line 4): expected a Kubernetes object, got number 42.');
  });

  test('empty and null documents are skipped', async () => {
    const result = await cli(['check', '-'], { stdin: '---\n---\nnull\n---\n# only a comment\n---\n' + mysqlDeployment });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('in 2 objects from 1 file.');
  });

  test('directories are read recursively, .yaml, .yml and .json only, in sorted order', async () => {
    // GIVEN
    const dir = tempDir({
      'b/deploy.yml': stringify(literalPasswordDeployment('b')),
      'a/deploy.json': JSON.stringify(literalPasswordDeployment('a')),
      'c.yaml': stringify(literalPasswordDeployment('c')),
      'notes.txt': 'not a manifest: {',
    });
    // WHEN
    const report = JSON.parse((await cli(['check', '--format', 'json', dir])).stdout);
    // THEN
    expect(report.files).toBe(3);
    expect(report.findings.map((f: any) => path.relative(dir, f.file))).toEqual([path.join('a', 'deploy.json'), path.join('b', 'deploy.yml'), 'c.yaml']);
  });

  test('--namespace sets the namespace of objects that have none', async () => {
    const result = await cli(['check', '--format', 'json', '--namespace', 'shop', '-'], { stdin: stringify(literalPasswordDeployment()) });
    expect(JSON.parse(result.stdout).findings[0].resource.namespace).toBe('shop');
  });

  test('Pods and ReplicaSets controlled by an object of the input are not checked twice', async () => {
    // GIVEN a kubectl export of a Deployment and the ReplicaSet it controls
    const deployment = literalPasswordDeployment('web');
    deployment.metadata.uid = 'uid-deploy';
    const replicaSet = {
      ...deployment,
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d4f', uid: 'uid-rs', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-deploy', controller: true }] },
    };
    // WHEN
    const both = JSON.parse((await cli(['check', '--format', 'json', '-'], { stdin: `${stringify(deployment)}---\n${stringify(replicaSet)}` })).stdout);
    const orphan = JSON.parse((await cli(['check', '--format', 'json', '-'], { stdin: stringify(replicaSet) })).stdout);
    // THEN the finding is reported once, on the Deployment; a ReplicaSet whose owner is absent is checked
    expect(both.findings.map((f: any) => `${f.ruleId} ${f.resource.kind}`)).toEqual(['SG009 Deployment']);
    expect(orphan.findings.map((f: any) => `${f.ruleId} ${f.resource.kind}`)).toEqual(['SG009 ReplicaSet']);
  });

  test('helm template output: the chart template of each object (# Source: comment) is named', async () => {
    // GIVEN output as `helm template` prints it
    const rendered = '---\n# Source: shop/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n'
      + `---\n# Source: shop/templates/api.yaml\n${stringify(literalPasswordDeployment('api'))}`;
    // WHEN
    const result = await cli(['check', '-'], { stdin: rendered });
    const report = JSON.parse((await cli(['check', '--format', 'json', '-'], { stdin: rendered })).stdout);
    // THEN
    expect(result.stdout).toContain('file:          <stdin> (document 2, line 9, template shop/templates/api.yaml)');
    expect(report.findings[0].locations).toEqual([{ file: '<stdin>', document: 2, line: 9, helmSource: 'shop/templates/api.yaml' }]);
  });

  test('a byte order mark before JSON or YAML is ignored', async () => {
    const dir = tempDir({ 'bom.json': `\ufeff${JSON.stringify(literalPasswordDeployment('j'))}`, 'bom.yaml': `\ufeff${stringify(literalPasswordDeployment('y'))}` });
    const report = JSON.parse((await cli(['check', '--format', 'json', dir])).stdout);
    expect(report.findings.map((f: any) => f.resource.name)).toEqual(['j', 'y']);
  });
});
