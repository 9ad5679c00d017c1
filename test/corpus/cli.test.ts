import * as fs from 'fs';
import * as path from 'path';
import { cli, CORPUS } from '../cli/cli-harness';

const FILES = fs.readdirSync(CORPUS).filter(f => /\.(ya?ml|json)$/.test(f)).sort();

describe('the Kubernetes examples corpus', () => {
  test('holds the files EXPECTED.md talks about', () => {
    expect(FILES).toContain('mysql-deployment.yaml');
    expect(FILES.length).toBeGreaterThan(10);
  });

  test.each(FILES.filter(f => f !== 'mysql-deployment.yaml'))('%s alone passes with no error', async file => {
    // WHEN
    const result = await cli(['check', '--format', 'json', path.join(CORPUS, file)]);
    // THEN
    const report = JSON.parse(result.stdout);
    expect(result.stderr).toBe('');
    expect(report.errorCount).toBe(0);
    expect(report.failed).toBe(false);
    expect(result.code).toBe(0);
  });

  test('mysql-deployment.yaml alone fails with exactly one error: SG009 on MYSQL_ROOT_PASSWORD', async () => {
    // WHEN
    const result = await cli(['check', '--format', 'json', path.join(CORPUS, 'mysql-deployment.yaml')]);
    // THEN
    const report = JSON.parse(result.stdout);
    const errors = report.findings.filter((f: any) => f.severity === 'error');
    expect(result.code).toBe(1);
    expect(report.errorCount).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0].ruleId).toBe('SG009');
    expect(errors[0].message).toContain('MYSQL_ROOT_PASSWORD');
    expect(errors[0].resource).toMatchObject({ kind: 'Deployment', name: 'mysql', namespace: 'default' });
    expect(errors[0].file).toBe(path.join(CORPUS, 'mysql-deployment.yaml'));
  });

  test('the whole directory at once fails with exactly one error, the same SG009', async () => {
    // WHEN
    const result = await cli(['check', '--format', 'json', CORPUS]);
    // THEN
    const report = JSON.parse(result.stdout);
    const errors = report.findings.filter((f: any) => f.severity === 'error');
    expect(result.code).toBe(1);
    expect(errors.map((f: any) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`)).toEqual(['SG009 Deployment/mysql']);
    expect(errors[0].message).toContain('MYSQL_ROOT_PASSWORD');
    expect(report.files).toBe(FILES.length);
  });

  test('the whole directory without mysql-deployment.yaml passes (files given one by one form one input)', async () => {
    // WHEN
    const result = await cli(['check', ...FILES.filter(f => f !== 'mysql-deployment.yaml').map(f => path.join(CORPUS, f))]);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^passed: 0 errors, \d+ warnings, 0 acknowledged in \d+ objects from \d+ files\.$/m);
  });

  test('the text report of the directory names the file and line of the failing resource', async () => {
    // WHEN
    const result = await cli(['check', CORPUS]);
    // THEN
    const block = result.stdout.split('\n\n').find(b => b.startsWith('ERROR SG009'))!;
    expect(block).toBeDefined();
    expect(block).toContain('resource:      Deployment default/mysql');
    expect(block).toMatch(/file: +.*mysql-deployment\.yaml \(document 2, line \d+\)/);
    expect(block).toContain('stateful.cdk8s.io/acknowledge: "SG009: ');
    expect(result.stdout).toMatch(/^FAILED: 1 error, \d+ warnings, 0 acknowledged in \d+ objects from \d+ files\.$/m);
  });

  test('objects defined in two files (web.yaml and web-parallel.yaml) are reported on stderr as a note', async () => {
    // WHEN
    const result = await cli(['check', CORPUS]);
    // THEN
    expect(result.stderr).toContain('note: StatefulSet default/web is defined 2 times');
  });
});
