import { Guards } from '../../src/guards';
import { databaseEngineOf, detectEngine, normalizedRepositoryName } from '../../src/guards/graph/database-engines';
import { checkedByApiServer } from '../harness';
import { restrictedContainer } from './helpers';

/**
 * SG005 judges the data directory from the manifest's own evidence (claims mounted, env and args
 * that move the directory, mounted configuration, persistence turned off), not from the image name
 * alone; database detection uses normalized repository names and the engines' conventions.
 * The manifests are plain JSON, shaped like the public ones that were judged wrongly.
 */

type Json = Record<string, any>;

/** A workload of `kind` with the restricted security context on every container. */
interface WorkloadOptions {
  readonly volumes?: Json[];
  readonly replicas?: number;
  readonly templates?: string[];
  readonly strategy?: string;
}

function workload(kind: string, name: string, containers: Json[], o: WorkloadOptions = {}): Json {
  const labels = { app: name };
  const template = { metadata: { labels }, spec: { containers: containers.map(restrictedContainer), ...(o.volumes ? { volumes: o.volumes } : {}) } };
  const spec: Json = {
    replicas: o.replicas ?? 1,
    selector: kind === 'ReplicationController' ? labels : { matchLabels: labels },
    template,
  };
  if (kind === 'StatefulSet') {
    spec.serviceName = name;
    spec.volumeClaimTemplates = (o.templates ?? []).map(t => ({ metadata: { name: t }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }));
  }
  if (o.strategy) spec.strategy = { type: o.strategy };
  return { apiVersion: kind === 'ReplicationController' ? 'v1' : 'apps/v1', kind, metadata: { name }, spec };
}

function headless(name: string): Json {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { clusterIP: 'None', selector: { app: name }, ports: [{ port: 6379 }] } };
}

function configMap(name: string, data: Record<string, string>): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

const emptyDir = (name: string) => ({ name, emptyDir: {} });
const fromConfigMap = (name: string, configMapName: string) => ({ name, configMap: { name: configMapName } });

function sg005(objects: Json[]) {
  return Guards.check(checkedByApiServer(objects)).findings.filter(f => f.ruleId === 'SG005');
}

describe('SG005 reads the data directory from the manifest, not from the image name alone', () => {
  test('a claim mounted elsewhere in the container makes it a warning naming that claim (a custom build)', () => {
    // GIVEN a postgres image whose build keeps its data on a claim at /pgdata, with no PGDATA in the manifest
    const pg = workload('StatefulSet', 'pg', [{ name: 'postgres', image: 'registry.example.com/team/postgresql-16:1.2', volumeMounts: [{ name: 'store', mountPath: '/pgdata' }] }],
      { templates: ['store'] });
    // THEN a warning, not an error, saying why it may be fine
    const [f] = sg005([pg, headless('pg')]);
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/postgres container 'postgres' .* has no volume mounted at its data directory any of \/var\/lib\/postgresql\/data/);
    expect(f.message).toMatch(/Not certain: claim template 'store' is mounted at \/pgdata, where a custom build of the image may keep its data\.$/);
  });

  test('a Kafka image started as ZooKeeper is judged as ZooKeeper: its claim at /var/lib/zookeeper is its data', () => {
    const zk = workload('StatefulSet', 'zk', [{
      name: 'zookeeper',
      image: 'confluentinc/cp-kafka:7.6.0',
      command: ['./bin/zookeeper-server-start.sh', '/etc/kafka/zookeeper.properties'],
      volumeMounts: [{ name: 'datadir', mountPath: '/var/lib/zookeeper' }],
    }], { templates: ['datadir'] });
    expect(sg005([zk, headless('zk')])).toEqual([]);
    expect(detectEngine('confluentinc/cp-kafka:7.6.0', [], [], ['./bin/zookeeper-server-start.sh'])?.engine.engine).toBe('zookeeper');
  });

  test('Redis with persistence off is a cache: --save "" in args, save "" in a mounted ConfigMap, or the Bitnami settings', () => {
    const args = workload('Deployment', 'cache-args', [{ name: 'redis', image: 'redis:7.2', args: ['--save', '', '--appendonly', 'no'] }], { strategy: 'Recreate' });
    const shell = workload('Deployment', 'cache-shell', [{ name: 'redis', image: 'redis:7.2', command: ['sh', '-c', 'exec redis-server --save "" --appendonly no'] }], { strategy: 'Recreate' });
    const config = workload('Deployment', 'cache-config', [{
      name: 'redis',
      image: 'redis:7.2',
      command: ['redis-server', '/etc/redis/redis.conf'],
      volumeMounts: [{ name: 'config', mountPath: '/etc/redis' }, { name: 'data', mountPath: '/data' }],
    }], { strategy: 'Recreate', volumes: [fromConfigMap('config', 'redis-cache'), emptyDir('data')] });
    const bitnami = workload('Deployment', 'cache-bitnami', [{
      name: 'redis',
      image: 'bitnami/redis:7.2',
      env: [{ name: 'REDIS_RDB_POLICY_DISABLED', value: 'yes' }, { name: 'REDIS_AOF_ENABLED', value: 'no' }, { name: 'ALLOW_EMPTY_PASSWORD', value: 'yes' }],
    }], { strategy: 'Recreate' });
    const cm = configMap('redis-cache', { 'redis.conf': 'maxmemory 256mb\nmaxmemory-policy allkeys-lru\nsave ""\nappendonly no\n' });
    expect(sg005([args, shell, config, cm, bitnami])).toEqual([]);
  });

  test('--appendonly no alone is ambiguous (the default snapshots may still be written): a warning', () => {
    const redis = workload('Deployment', 'cache', [{ name: 'redis', image: 'redis:7.2', args: ['--appendonly', 'no'] }], { strategy: 'Recreate' });
    const [f] = sg005([redis]);
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/Not certain: the append-only file is turned off \(--appendonly no\)/);
  });

  test('sidecars of the same image give one finding per workload, naming the emptyDir that is wrong', () => {
    // GIVEN redis on an emptyDir at /data, a sentinel and a helper script of the same image
    const pod = workload('StatefulSet', 'redis', [
      { name: 'redis', image: 'redis:7.2', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      { name: 'sentinel', image: 'redis:7.2', command: ['redis-sentinel', '/etc/sentinel/sentinel.conf'], volumeMounts: [{ name: 'sentinel', mountPath: '/etc/sentinel' }] },
      { name: 'helper', image: 'redis:7.2', command: ['sh', '-c', 'while true; do redis-cli -h localhost ping; sleep 10; done'] },
    ], { volumes: [emptyDir('data'), emptyDir('sentinel')] });
    // THEN one error, about the main container's emptyDir
    const findings = sg005([pod, headless('redis')]);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].message).toMatch(/redis container 'redis' keeps its data in \/data on volume 'data', an emptyDir mounted at \/data\.$/);
  });

  test('a sidecar of the same image does not hide a persistent main container', () => {
    const pod = workload('StatefulSet', 'redis', [
      { name: 'redis', image: 'redis:7.2', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      { name: 'metrics-helper', image: 'redis:7.2', command: ['sh', '-c', 'sleep infinity'] },
    ], { templates: ['data'] });
    expect(sg005([pod, headless('redis')])).toEqual([]);
  });

  test('a data directory moved by a flag onto an emptyDir is an error naming the emptyDir', () => {
    const redis = workload('StatefulSet', 'redis', [{
      name: 'redis',
      image: 'docker.io/library/redis:7.2@sha256:0123456789abcdef',
      args: ['--dir', '/srv/redis'],
      volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'scratch', mountPath: '/srv' }],
    }], { templates: ['data'], volumes: [emptyDir('scratch')] });
    const [f] = sg005([redis, headless('redis')]);
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/keeps its data in \/srv\/redis \(--dir \/srv\/redis\) on volume 'scratch', an emptyDir mounted at \/srv\.$/);
  });

  test('a data directory moved by a mounted ConfigMap is followed, and a miss there is only a warning', () => {
    // GIVEN mysql's datadir moved to /srv/mysql by the my.cnf of a ConfigMap, and the claim at the default path
    const moved = workload('StatefulSet', 'mysql', [{
      name: 'mysql', image: 'mysql:8.0', volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }, { name: 'conf', mountPath: '/etc/mysql/conf.d' }],
    }], { templates: ['data'], volumes: [fromConfigMap('conf', 'mysql-conf')] });
    const cm = configMap('mysql-conf', { 'my.cnf': '[mysqld]\ndatadir = /srv/mysql\n' });
    const [f] = sg005([moved, cm, headless('mysql')]);
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/data directory \/srv\/mysql \(datadir = \/srv\/mysql in ConfigMap 'mysql-conf' \(key 'my.cnf'\)\)/);
    // AND a ConfigMap that moves it onto the claim is accepted
    const onClaim = configMap('mysql-conf', { 'my.cnf': '[mysqld]\ndatadir = /var/lib/mysql/db\n' });
    expect(sg005([moved, onClaim, headless('mysql')])).toEqual([]);
  });

  test('a configuration the input does not show (a ConfigMap elsewhere, a config file of the image) makes it a warning', () => {
    const unknownConfig = workload('Deployment', 'pg', [{
      name: 'postgres', image: 'postgres:16', volumeMounts: [{ name: 'conf', mountPath: '/etc/postgresql' }],
    }], { strategy: 'Recreate', volumes: [fromConfigMap('conf', 'pg-conf-deployed-elsewhere')] });
    const imageConfig = workload('Deployment', 'redis', [{ name: 'redis', image: 'redis:7.2', command: ['redis-server', '/usr/local/etc/redis/redis.conf'] }], { strategy: 'Recreate' });
    const findings = sg005([unknownConfig, imageConfig]);
    expect(findings.map(f => f.severity)).toEqual(['warning', 'warning']);
    expect(findings[0].message).toMatch(/ConfigMap 'pg-conf-deployed-elsewhere' mounted at \/etc\/postgresql is not in the input/);
    expect(findings[1].message).toMatch(/it starts with \/usr\/local\/etc\/redis\/redis.conf, a configuration file the manifest does not show/);
  });

  test('a config file naming the image\'s own default directory agrees with it: still an error on the emptyDir there', () => {
    const redis = workload('StatefulSet', 'redis', [{
      name: 'redis',
      image: 'bitnami/redis:7.2',
      args: ['--include', '/opt/bitnami/redis/mounted-etc/master.conf'],
      volumeMounts: [{ name: 'config', mountPath: '/opt/bitnami/redis/mounted-etc' }, { name: 'redis-data', mountPath: '/data' }],
    }], { volumes: [fromConfigMap('config', 'redis-configuration'), emptyDir('redis-data')] });
    const cm = configMap('redis-configuration', { 'master.conf': 'dir /data\nappendonly yes\n' });
    const [f] = sg005([redis, cm, headless('redis')]);
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/keeps its data in \/data \(dir \/data in ConfigMap 'redis-configuration' \(key 'master.conf'\)\) on volume 'redis-data', an emptyDir mounted at \/data\.$/);
  });

  test('a bare Pod running a database on nothing persistent is an error too', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'some-postgres' }, spec: { containers: [restrictedContainer({ name: 'postgres', image: 'postgres:16' })] } };
    expect(sg005([pod]).map(f => [f.resource.kind, f.severity])).toEqual([['Pod', 'error']]);
  });

  test('still an error when nothing persistent is mounted anywhere (the image defaults are the only evidence, and they agree)', () => {
    const [f] = sg005([workload('Deployment', 'pg', [{ name: 'postgres', image: 'postgres:16' }], { strategy: 'Recreate' })]);
    expect(f.severity).toBe('error');
  });
});

describe('database detection by normalized repository names and conventions', () => {
  test.each([
    ['registry.redhat.io/rhel9/postgresql-16', 'postgres'], ['quay.io/sclorg/postgresql-15-c9s:latest', 'postgres'],
    ['centos/postgresql-96-centos7', 'postgres'], ['docker.io/bitnami/postgresql:16.2.0@sha256:abc', 'postgres'],
    ['percona/percona-server:8.0', 'mysql'], ['percona/percona-xtradb-cluster:8.0', 'mysql'], ['container-registry.oracle.com/mysql/community-server:8.4', 'mysql'],
    ['percona/percona-server-mongodb:7.0', 'mongodb'], ['registry.example.com:5000/mirror/mariadb-1011-c9s', 'mariadb'],
    ['registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10', 'zookeeper'], ['gcr.io/google-samples/cassandra:v13', 'cassandra'],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.13.0', 'elasticsearch'], ['ghcr.io/cloudnative-pg/postgresql:16.2', 'postgres'],
  ])('%s runs %s', (image, engine) => {
    expect(databaseEngineOf(image)?.engine).toBe(engine);
  });

  test.each([
    'prometheuscommunity/postgres-exporter', 'oliver006/redis_exporter', 'bitnami/redis-sentinel', 'bitnami/pgbouncer', 'phpmyadmin:5',
    'zalando/postgres-operator:v1.12', 'redis-commander', 'bitnami/mysqld-exporter:0.15',
  ])('%s is not a database', image => {
    expect(databaseEngineOf(image)).toBeUndefined();
  });

  test('normalization only strips version and distribution suffixes', () => {
    expect(normalizedRepositoryName('rhel8/mariadb-105')).toBe('mariadb');
    expect(normalizedRepositoryName('postgres-exporter:v0.15')).toBe('postgres-exporter');
  });

  test('an unknown image is a database only with a server-only variable AND its server port', () => {
    expect(detectEngine('acme/orders-db:1.4', ['PGDATA'], [5432], [])).toMatchObject({ engine: { engine: 'postgres' }, evidence: 'convention' });
    // A client that connects with the same variables serves its own port; a pooler on 5432 uses its own variables.
    expect(detectEngine('acme/api:1.4', ['POSTGRES_PASSWORD', 'POSTGRES_HOST'], [8080], [])).toBeUndefined();
    expect(detectEngine('bitnami/pgbouncer:1.22', ['POSTGRESQL_PASSWORD', 'PGBOUNCER_DATABASE'], [5432], [])).toBeUndefined();
    expect(detectEngine('ghcr.io/acme-corp/orders-db:2024.06.1', ['POSTGRES_DB', 'POSTGRES_USER'], [5432], [])?.evidence).toBe('convention');
    expect(detectEngine('phpmyadmin:5', ['MYSQL_ROOT_PASSWORD'], [80], [])).toBeUndefined();
    // A database image running its client or sentinel is not the data server.
    expect(detectEngine('redis:7', [], [], ['redis-sentinel', '/etc/sentinel.conf'])).toBeUndefined();
    expect(detectEngine('redis:7', [], [], ['redis-server', '/etc/sentinel.conf', '--sentinel'])).toBeUndefined();
    expect(detectEngine('postgres:16', [], [], ['sh', '-c', 'pg_dump -h db > /backup/db.sql'])).toBeUndefined();
  });

  test('a database recognized by conventions only is a warning where the image would make it an error (SG004, SG005)', () => {
    const db = workload('Deployment', 'orders-db', [{
      name: 'db', image: 'acme/orders-db:1.4', ports: [{ containerPort: 5432 }], env: [{ name: 'PGDATA', value: '/var/lib/pgsql/orders' }],
    }], { replicas: 2 });
    const report = Guards.check(checkedByApiServer([db]));
    const byRule = Object.fromEntries(report.findings.map(f => [f.ruleId, f]));
    expect(byRule.SG004).toMatchObject({ severity: 'warning' });
    expect(byRule.SG004.message).toMatch(/looks like a postgres server by its environment and port/);
    expect(byRule.SG005).toMatchObject({ severity: 'warning' });
    expect(report.errorCount).toBe(0);
  });
});

describe('ReplicationController is a workload', () => {
  test('a literal password, a database replicated without a StatefulSet and its data on an emptyDir are found', () => {
    const rc = workload('ReplicationController', 'mysql', [{
      name: 'mysql', image: 'mysql:5.7', env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'yourpassword' }], volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }],
    }], { replicas: 2, volumes: [emptyDir('data')] });
    const report = Guards.check(checkedByApiServer([rc]));
    expect(report.findings.filter(f => f.severity === 'error').map(f => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`))
      .toEqual(['SG004 ReplicationController/mysql', 'SG005 ReplicationController/mysql', 'SG009 ReplicationController/mysql']);
  });

  test('a single-replica database in one still earns SG018, claim or not (the documented fix is a Deployment with Recreate)', () => {
    const rc = workload('ReplicationController', 'mysql', [{
      name: 'mysql',
      image: 'mysql:8.0',
      env: [{ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql', key: 'password' } } }],
      volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }],
    }], { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'mysql-data' } }] });
    const report = Guards.check(checkedByApiServer([rc]));
    expect(report.findings.map(f => `${f.ruleId} ${f.severity}`)).toEqual(['SG018 warning']);
    expect(report.findings[0].message).toMatch(/runs mysql \(image 'mysql:8.0'\) in a ReplicationController\.$/);
  });

  test('its selector is a plain map of labels, which budgets are matched against', () => {
    const rc = workload('ReplicationController', 'web', [{ name: 'nginx', image: 'nginx:1.27' }], { replicas: 3 });
    const budget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } } };
    const [f] = Guards.check(checkedByApiServer([rc, budget])).findings.filter(x => x.ruleId === 'SG019');
    expect(f.message).toMatch(/minAvailable 3 equals the 3 replica\(s\) of ReplicationController default\/web/);
  });
});

describe('SG009 access-key identifiers are user names, the secret keys beside them are secrets', () => {
  test('MINIO_ACCESS_KEY, AWS_ACCESS_KEY_ID, *_ACCESS_KEY_ID and *_USER pass; their secret keys do not', () => {
    const minio = workload('Deployment', 'minio', [{
      name: 'minio',
      image: 'minio/minio:RELEASE.2024-05-10T01-41-38Z',
      args: ['server', '/data'],
      env: [
        { name: 'MINIO_ACCESS_KEY', value: 'minio' }, { name: 'MINIO_SECRET_KEY', value: 'minio123' },
        { name: 'MINIO_ROOT_USER', value: 'admin' }, { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, { name: 'BACKUP_STORE_ACCESS_KEY_ID', value: 'backup' },
        { name: 'THANOS_ACCESS_KEY', value: 'thanos' }, { name: 'THANOS_SECRET_KEY', value: 'thanos-secret' },
      ],
    }], { strategy: 'Recreate' });
    const names = Guards.check(checkedByApiServer([minio])).findings.filter(f => f.ruleId === 'SG009').map(f => /sets (\w+) to/.exec(f.message)?.[1]);
    expect(names).toEqual(['MINIO_SECRET_KEY', 'AWS_SECRET_ACCESS_KEY', 'THANOS_SECRET_KEY']);
  });

  test('etcd\'s cluster token and token provider are settings; Vault\'s dev root token id is the token itself', () => {
    const etcd = workload('Deployment', 'etcd', [{
      name: 'etcd', image: 'acme/tools:1', env: [{ name: 'ETCD_INITIAL_CLUSTER_TOKEN', value: 'etcd-cluster-1' }, { name: 'ETCD_AUTH_TOKEN', value: 'simple' }, { name: 'VAULT_DEV_ROOT_TOKEN_ID', value: 'root' }],
    }], { strategy: 'Recreate' });
    const findings = Guards.check(checkedByApiServer([etcd])).findings.filter(f => f.ruleId === 'SG009');
    expect(findings.map(f => f.message)).toEqual([expect.stringMatching(/sets VAULT_DEV_ROOT_TOKEN_ID to a literal value/)]);
  });

  test('an access key with no secret key beside it, outside the object-store families, is still a secret (Azure storage calls its secret that)', () => {
    const app = workload('Deployment', 'app', [{ name: 'app', image: 'acme/app:1', env: [{ name: 'AZURE_STORAGE_ACCESS_KEY', value: 'c2VjcmV0LWtleQ==' }] }], { strategy: 'Recreate' });
    const findings = Guards.check(checkedByApiServer([app])).findings.filter(f => f.ruleId === 'SG009');
    expect(findings.map(f => f.message)).toEqual([expect.stringMatching(/sets AZURE_STORAGE_ACCESS_KEY to a literal value/)]);
  });
});
