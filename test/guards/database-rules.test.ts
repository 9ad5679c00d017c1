import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { acknowledgementTests, checkApp, claimVolume, container, findingsOf, goodDatabase, newChart, pdb, rawStatefulSet, ruleIds } from './helpers';
import { Guards } from '../../src/guards';

describe('a well-formed database StatefulSet', () => {
  test('raises no finding at all', () => {
    const { chart } = newChart();
    goodDatabase(chart, 'orders');
    expect(checkApp(chart).report.findings).toEqual([]);
  });
});

describe('SG004 database in a multi-replica Deployment', () => {
  const build = (chart: Chart) => {
    const { volume } = claimVolume(chart, 'data', [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY]);
    return new kplus.Deployment(chart, 'db', { replicas: 2, containers: [container('docker.io/library/postgres:16.2', [{ path: '/var/lib/postgresql/data', volume }])] });
  };

  test('rejects a postgres Deployment with two replicas', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG004');
    expect(f.message).toMatch(/2 replica\(s\) of container 'main' with database image 'docker.io\/library\/postgres:16.2' \(postgres\)/);
    expect(f.fix).toMatch(/StatefulSet/);
  });

  test('does not take exporters or other images named after a database for databases', () => {
    const { chart } = newChart();
    new kplus.Deployment(chart, 'exporters', {
      replicas: 3,
      containers: [
        { ...container('quay.io/prometheuscommunity/postgres-exporter:v0.15.0'), name: 'postgres-exporter' },
        { ...container('oliver006/redis_exporter:latest'), name: 'redis-exporter' },
      ],
    });
    expect(ruleIds(checkApp(chart).report)).toEqual([]);
  });

  test('accepts the database in a StatefulSet', () => {
    const { chart } = newChart();
    goodDatabase(chart, 'db');
    expect(findingsOf(checkApp(chart).report, 'SG004')).toEqual([]);
  });

  acknowledgementTests('SG004', build);
});

describe('SG005 database data directory not persistent', () => {
  const build = (chart: Chart) => rawStatefulSet(chart, 'cache', { image: 'redis:7', replicas: 1 });

  test('rejects a redis StatefulSet with nothing mounted at /data', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG005');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/redis container 'main' \(image 'redis:7'\) has no volume mounted at its data directory any of \/data, \/bitnami\/redis\/data, \/var\/lib\/redis\.$/);
    expect(f.impact).toMatch(/deleted with it/);
  });

  test('rejects a mysql Deployment keeping its data on an emptyDir', () => {
    const { chart } = newChart();
    const scratch = kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch');
    new kplus.Deployment(chart, 'db', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('mysql:8.0', [{ path: '/var/lib/mysql', volume: scratch }])] });
    const [f] = findingsOf(checkApp(chart).report, 'SG005');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/keeps its data in \/var\/lib\/mysql on volume 'scratch', an emptyDir mounted at \/var\/lib\/mysql\.$/);
  });

  test('follows PGDATA and --dbpath to the real data directory', () => {
    const { chart } = newChart();
    rawStatefulSet(chart, 'pg', { dataPath: '/var/lib/postgresql/data', env: [{ name: 'PGDATA', value: '/pgdata/main' }], replicas: 1 });
    rawStatefulSet(chart, 'mongo', { image: 'mongo:7', dataPath: '/data/db', args: ['--dbpath', '/srv/mongo'], replicas: 1 });
    const findings = findingsOf(checkApp(chart).report, 'SG005');
    expect(findings.map(f => f.message)).toEqual([
      expect.stringMatching(/has no volume mounted at its data directory \/pgdata\/main \(PGDATA=\/pgdata\/main\)\.$/),
      expect.stringMatching(/has no volume mounted at its data directory \/srv\/mongo \(--dbpath \/srv\/mongo\)\.$/),
    ]);
    expect(findings.map(f => f.severity)).toEqual(['error', 'error']);
  });

  test('accepts a claim template mounted at a parent of the data directory', () => {
    const { chart } = newChart();
    rawStatefulSet(chart, 'pg', { dataPath: '/var/lib/postgresql', replicas: 1 });
    rawStatefulSet(chart, 'cache', { image: 'bitnami/redis:7.2', dataPath: '/bitnami/redis/data', replicas: 1 });
    expect(findingsOf(checkApp(chart).report, 'SG005')).toEqual([]);
  });

  acknowledgementTests('SG005', build);
});

describe('SG009 literal secrets in the environment', () => {
  const build = (chart: Chart) => new kplus.Deployment(chart, 'api', {
    replicas: 1,
    containers: [container('example/api:1', [], {
      DB_PASSWORD: kplus.EnvValue.fromValue('hunter2'),
      STRIPE_API_KEY: kplus.EnvValue.fromValue('sk_live_123'),
    })],
  });

  test('rejects a literal password and a literal API key, one finding each', () => {
    const { chart } = newChart();
    build(chart);
    const messages = findingsOf(checkApp(chart).report, 'SG009').map(f => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/container 'main' sets DB_PASSWORD to a literal value/),
      expect.stringMatching(/sets STRIPE_API_KEY to a literal value/),
    ]);
    expect(messages.join()).not.toMatch(/hunter2|sk_live/); // never echo the secret
  });

  test('accepts secret references, flags, file paths, identifiers and non-secret names', () => {
    const { chart } = newChart();
    const secret = new kplus.Secret(chart, 'auth', { stringData: { password: 'x' } });
    new kplus.Deployment(chart, 'api', {
      replicas: 1,
      containers: [container('example/api:1', [], {
        DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }),
        MYSQL_ALLOW_EMPTY_PASSWORD: kplus.EnvValue.fromValue('1'),
        MYSQL_RANDOM_ROOT_PASSWORD: kplus.EnvValue.fromValue('yes'),
        POSTGRES_PASSWORD_FILE: kplus.EnvValue.fromValue('/run/secrets/pg'),
        TLS_KEY: kplus.EnvValue.fromValue('/etc/tls/tls.key'),
        AWS_ACCESS_KEY_ID: kplus.EnvValue.fromValue('AKIAEXAMPLE'),
        TOKEN_TTL: kplus.EnvValue.fromValue('3600'),
        DB_USER: kplus.EnvValue.fromValue('app'),
        APP_SECRET: kplus.EnvValue.fromValue('$(OTHER_VAR)'),
      })],
    });
    expect(findingsOf(checkApp(chart).report, 'SG009')).toEqual([]);
  });

  test('rejects a secret read from a ConfigMap, by key reference or through envFrom', () => {
    const { chart } = newChart();
    const config = new kplus.ConfigMap(chart, 'config', { data: { 'API_TOKEN': 'abc123', 'LOG_LEVEL': 'debug', 'nginx.conf': 'events {}' } });
    const d = new kplus.Deployment(chart, 'api', {
      replicas: 1,
      containers: [container('example/api:1', [], { DB_PASSWORD: kplus.EnvValue.fromConfigMap(config, 'LOG_LEVEL') })],
    });
    d.containers[0].env.copyFrom(kplus.Env.fromConfigMap(config));
    const messages = findingsOf(checkApp(chart).report, 'SG009').map(f => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/reads DB_PASSWORD from ConfigMap 'test-config-.*' \(key 'LOG_LEVEL'\)\./),
      expect.stringMatching(/reads API_TOKEN from ConfigMap default\/test-config-.* \(envFrom\)\./),
    ]);
  });

  acknowledgementTests('SG009', build);
});

describe('SG012 disruption budgets and quorum sizes', () => {
  const build = (chart: Chart) => rawStatefulSet(chart, 'web', { image: 'nginx', dataPath: '/usr/share/nginx/html', replicas: 2 });

  test('warns about a multi-replica StatefulSet without a PodDisruptionBudget', () => {
    const { chart } = newChart();
    build(chart);
    expect(findingsOf(checkApp(chart).report, 'SG012')[0].message).toMatch(/runs 2 replica\(s\) and no PodDisruptionBudget in the input selects its pods/);
  });

  test('warns about an even-sized etcd quorum and a budget that lets a drain break it', () => {
    const { chart } = newChart();
    rawStatefulSet(chart, 'etcd', { image: 'quay.io/coreos/etcd:v3.5.12', dataPath: '/var/lib/etcd', replicas: 4 });
    pdb(chart, 'etcd', { app: 'etcd' }, { maxUnavailable: 1 });
    rawStatefulSet(chart, 'zk', { image: 'zookeeper:3.9', dataPath: '/data', replicas: 5 });
    pdb(chart, 'zk', { app: 'zk' }, { minAvailable: '40%' });
    const messages = findingsOf(checkApp(chart).report, 'SG012').map(f => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/StatefulSet default\/etcd runs etcd, a quorum system, with an even number of replicas \(4\)/),
      expect.stringMatching(/PodDisruptionBudget default\/zk lets 3 of the 5 zookeeper members .* be evicted at once; a quorum needs 3/),
    ]);
  });

  test('accepts a budget that keeps a majority, and kafka brokers outside KRaft controller mode', () => {
    const { chart } = newChart();
    rawStatefulSet(chart, 'zk', { image: 'zookeeper:3.9', dataPath: '/data', replicas: 5 });
    pdb(chart, 'zk', { app: 'zk' }, { maxUnavailable: 2 });
    rawStatefulSet(chart, 'kafka', { image: 'bitnami/kafka:3.7', dataPath: '/bitnami/kafka', replicas: 4 });
    pdb(chart, 'kafka', { app: 'kafka' }, { maxUnavailable: 1 });
    expect(findingsOf(checkApp(chart).report, 'SG012')).toEqual([]);
  });

  test('treats kafka with the KRaft controller role as a quorum', () => {
    const { chart } = newChart();
    rawStatefulSet(chart, 'kafka', { image: 'bitnami/kafka:3.7', dataPath: '/bitnami/kafka', replicas: 4, env: [{ name: 'KAFKA_CFG_PROCESS_ROLES', value: 'controller,broker' }] });
    pdb(chart, 'kafka', { app: 'kafka' }, { maxUnavailable: 1 });
    expect(findingsOf(checkApp(chart).report, 'SG012')[0].message).toMatch(/runs kafka, a quorum system/);
  });

  test('judges Cassandra and CockroachDB by the copies of each row, not by a majority of members', () => {
    // GIVEN even rings with a budget of one (sound with RF 3) and a ring whose budget of two
    // breaks the QUORUM of rows with RF 3 (assumed), and one whose cassandra.yaml declares RF 5
    const { chart } = newChart();
    rawStatefulSet(chart, 'ring', { image: 'cassandra:5.0.4', dataPath: '/var/lib/cassandra', replicas: 6 });
    pdb(chart, 'ring', { app: 'ring' }, { maxUnavailable: 1 });
    rawStatefulSet(chart, 'roach', { image: 'cockroachdb/cockroach:v24.1.0', dataPath: '/cockroach/cockroach-data', replicas: 4 });
    pdb(chart, 'roach', { app: 'roach' }, { maxUnavailable: 1 });
    rawStatefulSet(chart, 'wide', { image: 'cassandra:5.0.4', dataPath: '/var/lib/cassandra', replicas: 5 });
    pdb(chart, 'wide', { app: 'wide' }, { maxUnavailable: 2 });
    new ApiObject(chart, 'rf5-config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rf5-config' }, data: { 'cassandra.yaml': 'num_tokens: 16\nallocate_tokens_for_local_replication_factor: 5\n' } });
    rawStatefulSet(chart, 'rf5', {
      image: 'cassandra:5.0.4',
      dataPath: '/var/lib/cassandra',
      replicas: 5,
      extraMounts: [{ name: 'config', mountPath: '/etc/cassandra' }],
      extraVolumes: [{ name: 'config', configMap: { name: 'rf5-config' } }],
    });
    pdb(chart, 'rf5', { app: 'rf5' }, { maxUnavailable: 2 });
    // WHEN / THEN: only the budget of two with the assumed RF 3 is a risk
    const findings = findingsOf(checkApp(chart).report, 'SG012');
    expect(findings.map(f => f.message)).toEqual([
      expect.stringMatching(/^PodDisruptionBudget default\/wide lets 2 of the 5 cassandra members of StatefulSet default\/wide be evicted at once; with replication factor 3 \(assumed: the manifests do not declare it\) a QUORUM needs 2 of each row's 3 copies/),
    ]);
    expect(findings[0].fix).toMatch(/maxUnavailable: 1/);
  });

  test('reads the replication factor a Cassandra config declares: RF 3 in its file makes a budget of two a risk', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { 'cassandra.yaml': 'allocate_tokens_for_local_replication_factor: 3\n' } });
    rawStatefulSet(chart, 'ring', {
      image: 'cassandra:5.0.4',
      dataPath: '/var/lib/cassandra',
      replicas: 7,
      extraMounts: [{ name: 'config', mountPath: '/etc/cassandra' }],
      extraVolumes: [{ name: 'config', configMap: { name: 'cfg' } }],
    });
    pdb(chart, 'ring', { app: 'ring' }, { minAvailable: 4 });
    const [finding] = findingsOf(checkApp(chart).report, 'SG012');
    expect(finding.message).toMatch(/lets 3 of the 7 cassandra members .* with replication factor 3 \(allocate_tokens_for_local_replication_factor: 3 in ConfigMap/);
  });

  acknowledgementTests('SG012', build);
});

describe('SG013 database data deleted with its claim', () => {
  const build = (chart: Chart) => {
    new ApiObject(chart, 'sc', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer' });
    return goodDatabase(chart, 'orders', { storageClassName: 'fast' });
  };

  test('warns when database data sits on a class with the default reclaimPolicy Delete', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG013');
    expect(f.message).toMatch(/claim template 'data' of StatefulSet default\/orders holds database data .* StorageClass 'fast' with reclaimPolicy Delete \(the default\)/);
  });

  test('warns about a claim retention policy that deletes claims', () => {
    const { chart } = newChart();
    goodDatabase(chart, 'orders', { retention: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    expect(findingsOf(checkApp(chart).report, 'SG013')[0].message).toMatch(/deletes its claims \(persistentVolumeClaimRetentionPolicy whenDeleted: Delete\)/);
  });

  test('accepts a Retain class and ignores non-database claims on Delete classes', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'sc', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'safe' }, provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' });
    new ApiObject(chart, 'sc2', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'scratch' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer' });
    goodDatabase(chart, 'orders', { storageClassName: 'safe' });
    const { volume } = claimVolume(chart, 'cache', undefined, 'scratch');
    new kplus.Deployment(chart, 'web', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/cache', volume }])] });
    expect(findingsOf(checkApp(chart).report, 'SG013')).toEqual([]);
  });

  acknowledgementTests('SG013', build);
});

describe('SG017 database without a password', () => {
  const build = (chart: Chart) => goodDatabase(chart, 'mysql', {
    image: 'mysql:8.0', dataPath: '/var/lib/mysql', env: [{ name: 'MYSQL_ALLOW_EMPTY_PASSWORD', value: '1' }],
  });

  test('warns about MYSQL_ALLOW_EMPTY_PASSWORD and POSTGRES_HOST_AUTH_METHOD=trust', () => {
    const { chart } = newChart();
    build(chart);
    goodDatabase(chart, 'pg', { env: [{ name: 'POSTGRES_HOST_AUTH_METHOD', value: 'trust' }] });
    const messages = findingsOf(checkApp(chart).report, 'SG017').map(f => f.message);
    expect(messages).toEqual([expect.stringMatching(/MYSQL_ALLOW_EMPTY_PASSWORD="1"/), expect.stringMatching(/POSTGRES_HOST_AUTH_METHOD="trust"/)]);
  });

  test('accepts a password from a Secret', () => {
    const { chart } = newChart();
    goodDatabase(chart, 'pg');
    expect(findingsOf(checkApp(chart).report, 'SG017')).toEqual([]);
  });

  acknowledgementTests('SG017', build);
});

describe('SG018 database in a Deployment', () => {
  // A shared (ReadWriteMany) claim keeps SG002 quiet: what is left is the RollingUpdate.
  const build = (chart: Chart) => {
    const { volume } = claimVolume(chart, 'data', [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY]);
    return new kplus.Deployment(chart, 'db', { replicas: 1, containers: [container('mariadb:11', [{ path: '/var/lib/mysql', volume }])] });
  };

  test('warns about a single-replica mariadb Deployment that rolls out with RollingUpdate (and nothing else)', () => {
    const { chart } = newChart();
    build(chart);
    const { report } = checkApp(chart);
    expect(ruleIds(report)).toEqual(['SG018']);
    expect(findingsOf(report, 'SG018')[0].message).toMatch(/runs mariadb \(image 'mariadb:11'\) in a Deployment \(strategy RollingUpdate, not Recreate\)\./);
  });

  test('raises nothing on a Deployment that already applies the documented fix: one replica, Recreate, a claim', () => {
    // GIVEN the single-instance tutorial shape
    const { chart } = newChart();
    const { volume } = claimVolume(chart, 'data');
    new kplus.Deployment(chart, 'db', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('mariadb:11', [{ path: '/var/lib/mysql', volume }])] });
    // THEN no finding at all
    expect(checkApp(chart).report.findings).toEqual([]);
  });

  test('raises nothing on a Redis cache with persistence off (Argo CD\'s redis), whatever its strategy', () => {
    const { chart } = newChart();
    new kplus.Deployment(chart, 'cache', { replicas: 1, containers: [{ ...container('redis:7.2'), args: ['--save', '', '--appendonly', 'no'] }] });
    expect(checkApp(chart).report.findings).toEqual([]);
  });

  test('still warns when the fix is half applied: Recreate but the data on no claim', () => {
    const { chart } = newChart();
    const scratch = kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch');
    new kplus.Deployment(chart, 'db', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('mariadb:11', [{ path: '/var/lib/mysql', volume: scratch }])] });
    const [f] = findingsOf(checkApp(chart).report, 'SG018');
    expect(f.message).toMatch(/in a Deployment \(no PersistentVolumeClaim\)\./);
  });

  acknowledgementTests('SG018', build);
});

describe('Guards.check', () => {
  test('names rules and their severities', () => {
    const all = Guards.rules();
    // The SG rules judge one output; the SU rules (baseline comparison, test/guards/baseline) follow them.
    const rules = all.filter(r => r.id.startsWith('SG'));
    expect(all.map(r => r.id)).toEqual([...rules.map(r => r.id), 'SU001', 'SU002', 'SU003', 'SU004', 'SU005', 'SU006', 'SU007']);
    expect(rules.map(r => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `SG${String(i).padStart(3, '0')}`));
    expect(rules.filter(r => r.severity === 'error').map(r => r.id)).toEqual(['SG000', 'SG001', 'SG002', 'SG003', 'SG004', 'SG005', 'SG006', 'SG007', 'SG008', 'SG009']);
  });
});
