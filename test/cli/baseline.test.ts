import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { cli, tempDir } from './cli-harness';
import { parseArgs, USAGE, UsageError } from '../../src/cli/args';
import { ACK_ANNOTATION } from '../../src/guards/acknowledgements';
import { changed, claim, persistentVolume, REASON, statefulSet, storageClass, workload } from '../guards/baseline/fixtures';

/** `cdk8s-stateful check --baseline <previous> <current>`: the previous output against the new one. */

const DIST = path.join(__dirname, '..', '..', 'examples', 'dist');
const yaml = (objects: any[]) => objects.map(o => YAML.stringify(o)).join('---\n');

/** Two directories, the previous output and the new one, and the command over them. */
async function check(previous: any[], current: any[], extra: string[] = []) {
  const dir = tempDir({ 'previous/app.k8s.yaml': yaml(previous), 'current/app.k8s.yaml': yaml(current) });
  return cli(['check', '--baseline', path.join(dir, 'previous'), ...extra, path.join(dir, 'current')], { cwd: dir });
}

const sts = statefulSet();
const CASES: Array<[string, any[], any[], string, string]> = [
  ['a claim template that grows', [sts], [changed(sts, s => { s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi'; })], 'SU001',
    "kubectl patch pvc <claim> -n default -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"20Gi\"}}}}'` for data-db-0, data-db-1, data-db-2"],
  ['a claim template class', [sts], [changed(sts, s => { s.spec.volumeClaimTemplates[0].spec.storageClassName = 'slow'; })], 'SU001', 'kubectl delete statefulset db -n default --cascade=orphan'],
  ['a claim template access mode', [sts], [changed(sts, s => { s.spec.volumeClaimTemplates[0].spec.accessModes = ['ReadWriteMany']; })], 'SU001', 'only a data migration changes them'],
  ['a claim template label', [sts], [changed(sts, s => { s.spec.volumeClaimTemplates[0].metadata.labels = { a: 'b' }; })], 'SU001', '--cascade=orphan'],
  ['the serviceName', [sts], [changed(sts, s => { s.spec.serviceName = 'other'; })], 'SU001', '--cascade=orphan'],
  ['a claim that shrinks', [claim()], [claim({ resources: { requests: { storage: '1Gi' } } })], 'SU002', 'Claims never shrink'],
  ['a claim class', [claim()], [claim({ storageClassName: 'slow' })], 'SU002', 'create a new claim (another name)'],
  ['a claim access mode', [claim()], [claim({ accessModes: ['ReadWriteMany'] })], 'SU002', 'copy the data into it'],
  ['a claim volumeName', [claim({ volumeName: 'a' })], [claim({ volumeName: 'b' })], 'SU002', 'point the workload at it'],
  ['a claim volumeMode', [claim()], [claim({ volumeMode: 'Block' })], 'SU002', 'fixed at creation'],
  ['a claim dataSource', [claim()], [claim({ dataSource: { kind: 'PersistentVolumeClaim', name: 's' } })], 'SU002', 'fixed at creation'],
  ['a Deployment selector', [workload('Deployment')], [workload('Deployment', { app: 'x' })], 'SU003', 'kubectl delete deployment web -n default --cascade=orphan'],
  ['a StatefulSet selector', [sts], [changed(sts, s => { s.spec.selector.matchLabels.tier = 'db'; s.spec.template.metadata.labels.tier = 'db'; })], 'SU003', 'reuses its claims'],
  ['a DaemonSet selector', [workload('DaemonSet')], [workload('DaemonSet', { app: 'x' })], 'SU003', 'kubectl delete daemonset web'],
  ['a ReplicaSet selector', [workload('ReplicaSet')], [workload('ReplicaSet', { app: 'x' })], 'SU003', 'kubectl delete replicaset web'],
  ['a Job selector', [workload('Job')], [workload('Job', { app: 'x' })], 'SU003', 'once it has finished'],
  ['a StorageClass provisioner', [storageClass()], [storageClass({ provisioner: 'pd.csi.storage.gke.io' })], 'SU004', 'kubectl delete storageclass fast'],
  ['a StorageClass parameters', [storageClass()], [storageClass({ parameters: { type: 'io2' } })], 'SU004', 'existing PersistentVolumes keep their old settings'],
  ['a StorageClass reclaimPolicy', [storageClass()], [storageClass({ reclaimPolicy: 'Delete' })], 'SU004', 'Delete and recreate the class'],
  ['a StorageClass volumeBindingMode', [storageClass()], [storageClass({ volumeBindingMode: 'Immediate' })], 'SU004', 'Delete and recreate the class'],
  ['a removed StatefulSet', [sts, claim()], [claim()], 'SU005', 'Keep the StatefulSet under its name and namespace'],
  ['a removed claim', [claim()], [storageClass()], 'SU005', 'Keep the claim under its name and namespace'],
  ['a removed PersistentVolume', [persistentVolume()], [storageClass()], 'SU005', 'Keep the PersistentVolume while a claim uses it'],
  ['retention turned to Delete', [sts], [changed(sts, s => { s.spec.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete' }; })], 'SU006', 'Keep whenScaled: Retain'],
  ['a PersistentVolume reclaimPolicy turned to Delete', [persistentVolume()], [persistentVolume({ persistentVolumeReclaimPolicy: 'Delete' })], 'SU006', 'Keep persistentVolumeReclaimPolicy: Retain'],
  ['a PostgreSQL major upgrade', [sts], [changed(sts, s => { s.spec.template.spec.containers[0].image = 'postgres:17.2'; })], 'SU007', 'pg_upgrade'],
  ['a MySQL upgrade over an LTS', [changed(sts, s => { s.spec.template.spec.containers[0].image = 'mysql:8.0.39'; })],
    [changed(sts, s => { s.spec.template.spec.containers[0].image = 'mysql:9.1.0'; })], 'SU007', 'first to 8.4'],
  ['a MariaDB downgrade', [changed(sts, s => { s.spec.template.spec.containers[0].image = 'mariadb:11.4'; })],
    [changed(sts, s => { s.spec.template.spec.containers[0].image = 'mariadb:10.11'; })], 'SU007', 'mariadb-dump'],
];

describe('check --baseline', () => {
  test.each(CASES)('%s fails with its rule and the migration in the fix', async (_what, previous, current, ruleId, hint) => {
    // GIVEN the previous output and the new one WHEN checked against each other
    const result = await check(previous, current);
    // THEN exit 1, the rule and the hint
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^ERROR ${ruleId} `, 'm'));
    const block = result.stdout.slice(result.stdout.indexOf(`ERROR ${ruleId} `));
    expect(block.slice(0, block.indexOf('\n\n'))).toContain(hint);
  });

  test.each(fs.readdirSync(DIST).filter(f => f.endsWith('.yaml')))('example %s against itself gives no SU finding and the same verdict as without a baseline', async (file) => {
    const input = path.join(DIST, file);
    const plain = await cli(['check', '--format', 'json', input]);
    const compared = await cli(['check', '--format', 'json', '--baseline', input, input]);
    const report = JSON.parse(compared.stdout);
    expect(report.findings.filter((f: any) => f.ruleId.startsWith('SU'))).toEqual([]);
    expect(compared.code).toBe(plain.code);
    expect(report.findings).toEqual(JSON.parse(plain.stdout).findings);
  });

  test('the annotation on the new object acknowledges a finding (exit 0, listed with its reason)', async () => {
    const after = changed(sts, s => { s.spec.serviceName = 'x'; s.metadata.annotations = { [ACK_ANNOTATION]: `SU001: ${REASON}` }; });
    const result = await check([sts], [after]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('acknowledged SU001 StatefulSet default/db');
    expect(result.stdout).toContain(REASON);
  });

  test('a removed object is located in the baseline file', async () => {
    const result = await check([claim()], [storageClass()]);
    expect(result.stdout).toMatch(/resource:\s+PersistentVolumeClaim default\/data\n\s+file:\s+\S+\/previous\/app\.k8s\.yaml \(document 1, line 1\)/);
    expect(result.stdout).toContain('acknowledge:   annotate PersistentVolumeClaim default/data in the baseline (the release before its removal)');
  });

  test('-n is the namespace of objects that set none, in both outputs', async () => {
    const before = changed(sts, s => { s.metadata.namespace = 'shop'; });
    const after = changed(sts, s => { s.spec.serviceName = 'x'; });
    expect((await check([before], [after], ['-n', 'shop'])).stdout).toMatch(/^ERROR SU001 /m);
    expect((await check([before], [after])).stdout).toMatch(/^ERROR SU005 /m);
  });

  test('several --baseline inputs form one previous output; json and sarif carry the findings', async () => {
    const dir = tempDir({ 'a.yaml': yaml([sts]), 'b.yaml': yaml([claim()]), 'new.yaml': yaml([changed(sts, s => { s.spec.serviceName = 'x'; }), claim({ storageClassName: 'slow' })]) });
    const json = await cli(['check', '--format', 'json', `--baseline=${path.join(dir, 'a.yaml')}`, '--baseline', path.join(dir, 'b.yaml'), path.join(dir, 'new.yaml')]);
    expect(JSON.parse(json.stdout).findings.filter((f: any) => f.ruleId.startsWith('SU')).map((f: any) => f.ruleId)).toEqual(['SU001', 'SU002']);
    const sarif = await cli(['check', '--format', 'sarif', '--baseline', path.join(dir, 'a.yaml'), path.join(dir, 'new.yaml')], { cwd: dir });
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(['SU001', 'SU007']));
    expect(run.results.find((r: any) => r.ruleId === 'SU001').locations[0].physicalLocation.artifactLocation.uri).toBe('new.yaml');
  });

  test('a baseline that cannot be read, holds no object or is not a file is a usage error (exit 2)', async () => {
    const dir = tempDir({ 'new.yaml': yaml([sts]), 'empty/README.md': 'x', 'bad.yaml': 'kind: [\n', 'blank.yaml': '' });
    const run = (...args: string[]) => cli(['check', ...args, path.join(dir, 'new.yaml')]);
    const missing = await run('--baseline', path.join(dir, 'nope'));
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('cdk8s-stateful: baseline: ');
    expect(missing.stderr).toContain('cannot read (ENOENT)');
    expect((await run('--baseline', path.join(dir, 'empty'))).stderr).toContain('holds no .yaml, .yml, .json file');
    expect((await run('--baseline', path.join(dir, 'bad.yaml'))).stderr).toContain('baseline: ');
    expect((await run('--baseline', path.join(dir, 'blank.yaml'))).stderr).toContain('baseline: no Kubernetes object');
    expect((await run('--baseline', '-')).code).toBe(2);
    expect((await cli(['check', path.join(dir, 'new.yaml'), '--baseline'])).stderr).toContain('option --baseline needs a value.');
  });

  test('parsing: repeatable, with = or a separate value; never standard input', () => {
    expect(parseArgs(['check', '--baseline', 'old', '--baseline=older', 'new']).baselines).toEqual(['old', 'older']);
    expect(parseArgs(['check', 'new']).baselines).toBeUndefined();
    expect(() => parseArgs(['check', '--baseline', '-', 'new'])).toThrow(new UsageError("--baseline takes a file or directory (the previous output), got '-'."));
    expect(USAGE).toContain('--baseline <file|dir>');
  });

  test('the rules command lists SU001 to SU007', async () => {
    const result = await cli(['rules']);
    for (const id of ['SU001', 'SU002', 'SU003', 'SU004', 'SU005', 'SU006', 'SU007']) expect(result.stdout).toMatch(new RegExp(`^${id}  error    `, 'm'));
  });
});
