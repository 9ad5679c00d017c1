import * as fs from 'fs';
import * as path from 'path';
import { Guards } from '../../src/guards';
import { parseYaml } from '../harness';

/** The official Kubernetes examples and their expected verdicts (EXPECTED.md beside them). */
const CORPUS = path.join(__dirname, '../../../shared/corpus/kubernetes-examples');
const files = fs.readdirSync(CORPUS).filter(f => f.endsWith('.yaml')).sort();
const load = (file: string) => parseYaml(fs.readFileSync(path.join(CORPUS, file), 'utf8'));

describe('the Kubernetes examples corpus', () => {
  test('holds the files EXPECTED.md talks about', () => {
    expect(files).toEqual(expect.arrayContaining(['mysql-deployment.yaml', 'mysql-statefulset.yaml', 'storageclass-local.yaml', 'web.yaml']));
    expect(files.length).toBeGreaterThanOrEqual(19);
  });

  test.each(files.filter(f => f !== 'mysql-deployment.yaml'))('%s alone has no error', file => {
    const report = Guards.check(load(file));
    expect(report.findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(report.failed).toBe(false);
  });

  test('mysql-deployment.yaml raises the literal-secret error on MYSQL_ROOT_PASSWORD, and only that error', () => {
    const report = Guards.check(load('mysql-deployment.yaml'));
    const errors = report.findings.filter(f => f.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ ruleId: 'SG009', resource: { kind: 'Deployment', name: 'mysql', namespace: 'default' } });
    expect(errors[0].message).toMatch(/sets MYSQL_ROOT_PASSWORD to a literal value/);
  });

  test('all files together raise exactly that one error', () => {
    const report = Guards.check(files.flatMap(load));
    const errors = report.findings.filter(f => f.severity === 'error');
    expect(errors.map(f => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`)).toEqual(['SG009 Deployment/mysql']);
    expect(report.errorCount).toBe(1);
  });

  test('the warnings are the true ones EXPECTED.md allows', () => {
    const report = Guards.check(files.flatMap(load));
    const warnings = report.findings.filter(f => f.severity === 'warning').map(f => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`);
    // hostPath volumes, an empty MySQL password, unspread
    // StatefulSets without budgets, two Deployments on one claim and a Service redefined by web-parallel.yaml.
    expect(new Set(warnings)).toEqual(new Set([
      'SG010 PersistentVolumeClaim/mysql-pv-claim',
      'SG011 StatefulSet/mysql', 'SG011 StatefulSet/web',
      'SG012 StatefulSet/mysql', 'SG012 StatefulSet/web',
      'SG015 StatefulSet/web',
      'SG016 PersistentVolume/mysql-pv-volume', 'SG016 PersistentVolume/task-pv-volume',
      'SG017 StatefulSet/mysql',
    ]));
  });

  test('a StatefulSet whose Service lives in another file is only a warning', () => {
    const report = Guards.check(load('mysql-statefulset.yaml'));
    expect(report.findings.find(f => f.ruleId === 'SG015')).toMatchObject({ severity: 'warning', resource: { name: 'mysql' } });
  });

  test('unknown provisioners are never an error', () => {
    const report = Guards.check([...load('storageclass-topology.yaml'), ...load('volume-snapshot-class.yaml'), {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'minikube' }, provisioner: 'k8s.io/minikube-hostpath',
    }]);
    expect(report.findings).toEqual([]);
  });
});
