import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { cli, FIXTURES, LITERAL_PASSWORD_MYSQL, literalPasswordDeployment, tempDir, WARNING_ONLY_YAML } from './cli-harness';
import { Guards } from '../../src';

describe('JSON output', () => {
  test('is the guard report plus the file, document and line of each resource', async () => {
    // GIVEN
    const file = LITERAL_PASSWORD_MYSQL;
    // WHEN
    const result = await cli(['check', '--format', 'json', file]);
    // THEN the claim and the Deployment are read, and the finding points at the Deployment (document 2)
    const report = JSON.parse(result.stdout);
    const sg009 = report.findings.find((f: any) => f.ruleId === 'SG009');
    expect(report).toMatchObject({ errorCount: 1, warningCount: 0, acknowledgedCount: 0, failed: true, files: 1, objects: 2 });
    expect(report.findings.map((f: any) => `${f.severity} ${f.ruleId} ${f.resource.kind}/${f.resource.name}`))
      .toEqual(['error SG009 Deployment/mysql']);
    expect(sg009).toMatchObject({ severity: 'error', acknowledged: false, file, locations: [{ file, document: 2, line: 17 }] });
    expect(sg009.impact).toBeTruthy();
    expect(sg009.fix).toBeTruthy();
  });

  test('carries the same findings as Guards.check on the parsed objects', async () => {
    const docs = [literalPasswordDeployment('a'), literalPasswordDeployment('b')];
    const report = JSON.parse((await cli(['check', '--format', 'json', '-'], { stdin: docs.map(d => stringify(d)).join('---\n') })).stdout);
    const direct = Guards.check(docs);
    expect(report.findings.map(({ file, locations, ...f }: any) => f)).toEqual(JSON.parse(JSON.stringify(direct.findings)));
  });
});

describe('SARIF output', () => {
  test('is SARIF 2.1.0 with one result per finding and the file and line of the resource', async () => {
    // GIVEN a working directory above the fixtures: paths become relative URIs
    const cwd = path.dirname(FIXTURES);
    // WHEN
    const result = await cli(['check', '--format', 'sarif', LITERAL_PASSWORD_MYSQL], { cwd });
    // THEN
    const sarif = JSON.parse(result.stdout);
    const results = sarif.runs[0].results;
    const sg009 = results.find((r: any) => r.ruleId === 'SG009');
    expect(result.code).toBe(1);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual(Guards.rules().map(r => r.id));
    expect(results).toHaveLength(1);
    expect(sg009.level).toBe('error');
    expect(sg009.message.text).toContain('MYSQL_ROOT_PASSWORD');
    expect(sg009.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/literal-password-mysql.yaml' },
      region: { startLine: 17 },
    });
    expect(sg009.locations[0].logicalLocations[0].fullyQualifiedName).toBe('Deployment/default/mysql');
  });

  test('a file outside the working directory gets a file:// URI; standard input gets no physical location', async () => {
    const outside = await cli(['check', '--format', 'sarif', LITERAL_PASSWORD_MYSQL], { cwd: '/nonexistent-cwd' });
    const uri = JSON.parse(outside.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe(`file://${LITERAL_PASSWORD_MYSQL}`);

    const stdin = await cli(['check', '--format', 'sarif', '-'], { stdin: fs.readFileSync(LITERAL_PASSWORD_MYSQL, 'utf8') });
    const location = JSON.parse(stdin.stdout).runs[0].results[0].locations[0];
    expect(location.physicalLocation).toBeUndefined();
    expect(location.logicalLocations[0].name).toBe('mysql');
  });

  test('acknowledged findings are suppressed results carrying the reason', async () => {
    const deployment = literalPasswordDeployment('db', { 'stateful.cdk8s.io/acknowledge': 'SG009: the token is a public demo key, not a secret' });
    const result = await cli(['check', '--format', 'sarif', '-'], { stdin: stringify(deployment) });
    const [r] = JSON.parse(result.stdout).runs[0].results;
    expect(result.code).toBe(0);
    expect(r.suppressions).toEqual([{ kind: 'inSource', justification: 'the token is a public demo key, not a secret' }]);
  });
});

describe('exit codes and strict mode', () => {
  test('a warning alone passes, and fails with --strict', async () => {
    // WHEN
    const normal = await cli(['check', '-'], { stdin: WARNING_ONLY_YAML });
    const strict = await cli(['check', '--strict', '-'], { stdin: WARNING_ONLY_YAML });
    // THEN
    expect(normal.stdout).toMatch(/^WARNING SG\d{3} /m);
    expect(normal.stdout).not.toMatch(/^ERROR /m);
    expect(normal.code).toBe(0);
    expect(normal.stdout).toMatch(/^passed: 0 errors, [1-9]\d* warnings?, 0 acknowledged/m);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^FAILED \(--strict: warnings fail\): 0 errors/m);
  });

  test('--strict also marks the JSON report failed', async () => {
    const report = JSON.parse((await cli(['check', '--strict', '--format=json', '-'], { stdin: WARNING_ONLY_YAML })).stdout);
    expect(report.errorCount).toBe(0);
    expect(report.warningCount).toBeGreaterThan(0);
    expect(report.failed).toBe(true);
  });

  test('an input without findings passes with exit 0', async () => {
    const result = await cli(['check', path.join(FIXTURES, 'wait-for-consumer-storage-class.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^passed: 0 errors, 0 warnings, 0 acknowledged in 1 object from 1 file\.\n$/);
  });
});

describe('acknowledgements', () => {
  test('the acknowledgement annotation turns an error into an acknowledged finding that does not fail', async () => {
    // GIVEN the literal-password mysql Deployment, annotated
    const text = fs.readFileSync(LITERAL_PASSWORD_MYSQL, 'utf8').replace(
      /(kind: Deployment\nmetadata:\n)/,
      '$1  annotations:\n    stateful.cdk8s.io/acknowledge: "SG009: tutorial database on a throwaway cluster"\n',
    );
    expect(text).toContain('stateful.cdk8s.io/acknowledge'); // the replacement matched
    const dir = tempDir({ 'mysql.yaml': text });
    // WHEN
    const result = await cli(['check', path.join(dir, 'mysql.yaml')]);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^ERROR /m);
    expect(result.stdout).toContain(`acknowledged SG009 Deployment default/mysql [${path.join(dir, 'mysql.yaml')}]: tutorial database on a throwaway cluster`);
    expect(result.stdout).toMatch(/^passed: 0 errors, 0 warnings, 1 acknowledged/m);
  });

  test('a malformed acknowledgement is an error (SG000) that cannot itself be acknowledged', async () => {
    const deployment = literalPasswordDeployment('db', { 'stateful.cdk8s.io/acknowledge': 'SG009: short' });
    const result = await cli(['check', '-'], { stdin: stringify(deployment) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ERROR SG000 /m);
    expect(result.stdout).toContain('acknowledge:   not possible: correct the stateful.cdk8s.io/acknowledge annotation.');
    expect(result.stdout).toMatch(/^ERROR SG009 /m);
  });
});

describe('help, version, rules and usage errors', () => {
  test('--help prints the usage and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: cdk8s-stateful check [options] <file|dir|->...');
    expect(result.stdout).toContain('--strict');
  });

  test('--version prints the package version', async () => {
    const result = await cli(['--version']);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  test('--rules lists every rule with its severity, as text or JSON', async () => {
    const text = await cli(['check', '--rules']);
    const json = await cli(['--rules', '--format', 'json']);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n')).toHaveLength(Guards.rules().length);
    expect(text.stdout).toMatch(/^SG009 {2}error {3}/m);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(Guards.rules())));
  });

  test.each([
    [[], 'no command given.'],
    [['lint', 'x.yaml'], "unknown command 'lint' (expected 'check')."],
    [['check'], "no input: give files, directories or '-' for standard input."],
    [['check', '--format'], 'option --format needs a value.'],
    [['check', '--format', 'xml', 'x.yaml'], "--format must be one of text, json, sarif, got 'xml'."],
    [['check', '--namespace', 'Bad_NS', 'x.yaml'], '--namespace must be a Kubernetes namespace name'],
    [['check', '--strict=yes', 'x.yaml'], 'option --strict takes no value.'],
    [['check', '--frobnicate', 'x.yaml'], "unknown option '--frobnicate'."],
    [['check', '-', '-'], "'-' (standard input) can be given only once."],
  ])('%j is a usage error (exit 2): %s', async (argv, message) => {
    const result = await cli(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cdk8s-stateful: ${message}`);
    expect(result.stderr).toContain('Usage: cdk8s-stateful check');
  });
});
