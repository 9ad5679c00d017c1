import * as fc from 'fast-check';
import { Guards } from '../../src/guards';
import { parseAckAnnotation } from '../../src/guards/acknowledgements';
import { databaseEngineOf, imageRepositoryName } from '../../src/guards/graph/database-engines';
import { RULE_IDS } from '../../src/guards/rules';
import { StatefulError } from '../../src/internal/errors';
import { isSecretName } from '../../src/internal/secret-env';

const deployment = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop', annotations },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1', env: [{ name: 'API_TOKEN', value: 'abc123' }] }] } },
  },
});

describe('Guards.check on plain manifests', () => {
  test('names the resource with its namespace and no construct path', () => {
    const [f] = Guards.check([deployment()]).findings;
    expect(f).toMatchObject({ ruleId: 'SG009', resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop' }, acknowledged: false });
    expect(f.resource.constructPath).toBeUndefined();
    expect(Guards.format(f)).toMatch(/^SG009 \[error\] Literal password, token or key in a container environment: Deployment shop\/api: .* Fix: .*"SG009: <reason>"/);
  });

  test('uses the default namespace for objects without one', () => {
    const d = deployment();
    delete (d.metadata as any).namespace;
    expect(Guards.check([d], { defaultNamespace: 'prod' }).findings[0].resource.namespace).toBe('prod');
  });

  test('accepts the JSON form of the acknowledgement annotation', () => {
    const report = Guards.check([deployment({ 'stateful.cdk8s.io/acknowledge': JSON.stringify({ SG009: 'Dummy token of the local demo stack.' }) })]);
    expect(report.findings[0]).toMatchObject({ acknowledged: true, acknowledgedReason: 'Dummy token of the local demo stack.' });
    expect(report).toMatchObject({ errorCount: 0, acknowledgedCount: 1, failed: false });
  });

  test('reports a malformed annotation as SG000 and does not acknowledge', () => {
    const report = Guards.check([deployment({ 'stateful.cdk8s.io/acknowledge': 'SG009: ok; SG777: a rule that does not exist' })]);
    expect(report.findings.map(f => [f.ruleId, f.acknowledged])).toEqual([['SG000', false], ['SG009', false]]);
    expect(report.findings[0].message).toMatch(/the reason for SG009 must be a reason of at least 10 characters, got "ok"; "SG777" is not a rule id/);
  });

  test('a reason may contain semicolons', () => {
    const { acks, problems } = parseAckAnnotation('SG001: single node; dev only cluster; SG010: shared by design, read mostly', RULE_IDS);
    expect(problems).toEqual([]);
    expect(acks.get('SG001')).toBe('single node; dev only cluster');
    expect(acks.get('SG010')).toBe('shared by design, read mostly');
  });

  test('strict mode fails on warnings', () => {
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { hostPath: { path: '/mnt' }, capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
    expect(Guards.check([pv]).failed).toBe(false);
    expect(Guards.check([pv], { strict: true })).toMatchObject({ failed: true, warningCount: 1 });
  });
});

describe('image and name detection', () => {
  test.each([
    ['postgres', 'postgres'], ['docker.io/library/postgres:16.2-alpine', 'postgres'], ['registry:5000/team/mysql:8@sha256:abc', 'mysql'],
    ['bitnami/postgresql', 'postgresql'], ['cockroachdb/cockroach:v23.1.0', 'cockroach'],
  ])('the repository name of %s is %s', (image, name) => {
    expect(imageRepositoryName(image)).toBe(name);
  });

  test('exact names only: exporters and lookalikes are not databases', () => {
    expect(databaseEngineOf('prometheuscommunity/postgres-exporter')).toBeUndefined();
    expect(databaseEngineOf('redis-commander')).toBeUndefined();
    expect(databaseEngineOf('bitnami/redis:7')?.engine).toBe('redis');
    expect(databaseEngineOf(42)).toBeUndefined();
  });

  test.each(['MYSQL_ROOT_PASSWORD', 'DB_PASSWD', 'API_TOKEN', 'JWT_SECRET', 'STRIPE_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'APIKEY', 'dbPassword'.toUpperCase()])('%s is a secret name', name => {
    expect(isSecretName(name)).toBe(true);
  });
  test.each(['MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD', 'POSTGRES_PASSWORD_FILE', 'AWS_ACCESS_KEY_ID', 'DB_USER', 'SECRET_NAME', 'TOKEN_TTL', 'KEYCLOAK_URL', ''])('%s is not a secret name', name => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('robustness', () => {
  const json = fc.letrec(tie => ({
    value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('kind', 'spec', 'metadata', 'template', 'containers', 'volumes', 'name', 'replicas', 'selector', 'env', 'value',
        'volumeMounts', 'persistentVolumeClaim', 'claimName', 'accessModes', 'storageClassName', 'image', 'annotations', 'labels', 'matchLabels'), tie('value'), { maxKeys: 5 })),
  })).value;
  const kind = fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet', 'PersistentVolumeClaim', 'PersistentVolume',
    'StorageClass', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ConfigMap');
  const manifest = fc.record({ apiVersion: fc.oneof(fc.string(), json), kind, metadata: fc.oneof(json, fc.record({ name: fc.string(), annotations: fc.dictionary(fc.string(), fc.string()) })), spec: json }, { requiredKeys: ['kind'] });

  const isObject = (m: unknown) => m !== null && typeof m === 'object' && !Array.isArray(m);

  test('hostile manifests never make the checker throw', () => {
    fc.assert(fc.property(fc.array(fc.oneof(manifest, json), { maxLength: 8 }), list => {
      const manifests = list.filter(isObject);
      const report = Guards.check(manifests as any);
      expect(report.errorCount + report.warningCount + report.acknowledgedCount).toBe(report.findings.length);
    }), { numRuns: 200 });
  });

  test('a list holding anything but objects throws a StatefulError naming the entry', () => {
    fc.assert(fc.property(fc.array(fc.oneof(manifest, json), { maxLength: 8 }), list => {
      const bad = list.findIndex(m => !isObject(m));
      if (bad < 0) return;
      expect(() => Guards.check(list as any)).toThrow(StatefulError);
      expect(() => Guards.check(list as any)).toThrow(`Guards.check: manifests[${bad}] must be a Kubernetes object`);
    }), { numRuns: 200 });
  });

  test('rejects garbage instead of a list with a StatefulError', () => {
    // GIVEN / WHEN / THEN
    for (const garbage of [undefined, null, 'kind: Deployment', 7, { kind: 'Deployment' }]) {
      expect(() => Guards.check(garbage as any)).toThrow(StatefulError);
    }
    expect(() => Guards.check(undefined as any)).toThrow('Guards.check: manifests must be an array of Kubernetes objects (parsed YAML or JSON), got undefined.');
    expect(() => Guards.check([deployment(), null] as any)).toThrow('Guards.check: manifests[1] must be a Kubernetes object (a mapping with apiVersion and kind), got null.');
    expect(() => Guards.check([[deployment()]] as any)).toThrow(/manifests\[0\] must be a Kubernetes object/);
  });

  test('objects that are not Kubernetes objects are ignored, as before', () => {
    expect(Guards.check([{}, { kind: 7 }, { metadata: { name: 'x' } }] as any).findings).toEqual([]);
  });

  test('rejects packs that are not GuardPacks', () => {
    expect(() => Guards.check([], { packs: 'acme' as any })).toThrow('Guards.check: packs must be an array of GuardPack, got "acme".');
    expect(() => Guards.check([], { packs: [{ name: 'acme', rules: [] }] as any })).toThrow(/Guards.check: packs\[0\] must be a GuardPack/);
  });
});

describe('Guards.toSarif', () => {
  test('turns findings into SARIF results, acknowledged ones suppressed with their reason', () => {
    const open = deployment();
    const acked = {
      ...deployment({ 'stateful.cdk8s.io/acknowledge': 'SG009: Dummy token of the local demo stack.' }),
      metadata: {
        name: 'demo', namespace: 'shop', annotations: { 'stateful.cdk8s.io/acknowledge': 'SG009: Dummy token of the local demo stack.' },
      },
    };
    const sarif = Guards.toSarif(Guards.check([open, acked]));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('SG009');
    expect(sarif.runs[0].results).toEqual([
      expect.objectContaining({ ruleId: 'SG009', level: 'error', locations: [{ logicalLocations: [expect.objectContaining({ fullyQualifiedName: 'Deployment/shop/api' })] }] }),
      expect.objectContaining({ ruleId: 'SG009', suppressions: [{ kind: 'inSource', justification: 'Dummy token of the local demo stack.' }] }),
    ]);
    expect(sarif.runs[0].results[0].suppressions).toBeUndefined();
  });
});
