import * as fs from 'fs';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { container, envOf, gp3, literalSecrets, podSpecs, podTemplate, synthDatabase } from './helpers';
import {
  AntiAffinity, BackupPolicy, ClaimRetention, DatabaseCredentials, DatabaseEngine, PrimaryEviction, StatefulDatabase,
} from '../../src/database';
import { StatefulError } from '../../src/internal/errors';
import { AccessMode, ClaimDataSource, Provisioner, VolumeMode } from '../../src/storage';
import { all, find } from '../harness';

const SELECTOR = {
  'app.kubernetes.io/name': 'postgres',
  'app.kubernetes.io/instance': 'orders',
  'app.kubernetes.io/component': 'database',
};

describe('StatefulDatabase: the StatefulSet', () => {
  test('gives every replica its own claim from a volumeClaimTemplate on the requested class', () => {
    // GIVEN / WHEN
    const objects = synthDatabase({ replicas: 3 });
    // THEN
    const sts = find(objects, 'StatefulSet', 'orders');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: SELECTOR },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } }, storageClassName: 'gp3', volumeMode: 'Filesystem' },
    }]);
    // the data directory is the claim, never an emptyDir
    expect(container(objects, 'postgres').volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(all(objects, 'PersistentVolumeClaim')).toEqual([]);
  });

  test('keeps the claims when deleted or scaled down by default', () => {
    const sts = find(synthDatabase(), 'StatefulSet');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  test('deletes claims only when the user spells it out', () => {
    const sts = find(synthDatabase({ claimRetentionWhenScaled: ClaimRetention.DELETE }), 'StatefulSet');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    const sts2 = find(synthDatabase({ claimRetentionWhenDeleted: ClaimRetention.DELETE }), 'StatefulSet');
    expect(sts2.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
  });

  test('starts pods in order and rolls them, with a partition only when asked', () => {
    const plain = find(synthDatabase({ replicas: 3 }), 'StatefulSet').spec;
    expect(plain.podManagementPolicy).toBe('OrderedReady');
    expect(plain.updateStrategy).toEqual({ type: 'RollingUpdate' });
    const staged = find(synthDatabase({ replicas: 3, partition: 2 }), 'StatefulSet').spec;
    expect(staged.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
  });

  test('restores the claims from a VolumeSnapshot', () => {
    const objects = synthDatabase({ storage: { size: Size.gibibytes(50), storageClass: gp3, dataSource: ClaimDataSource.fromSnapshot('orders-snap-1') } });
    expect(find(objects, 'StatefulSet').spec.volumeClaimTemplates[0].spec.dataSource)
      .toEqual({ kind: 'VolumeSnapshot', name: 'orders-snap-1', apiGroup: 'snapshot.storage.k8s.io' });
  });

  test('carries the standard labels on every object and selects with a subset of the pod labels', () => {
    const objects = synthDatabase({ replicas: 3 });
    const sts = find(objects, 'StatefulSet');
    expect(sts.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(sts.spec.template.metadata.labels).toEqual({ ...SELECTOR, 'app.kubernetes.io/managed-by': 'cdk8s-stateful' });
    for (const o of objects) {
      expect(o.metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/managed-by': 'cdk8s-stateful' }));
    }
  });
});

describe('StatefulDatabase: services', () => {
  const objects = synthDatabase({ replicas: 3 });

  test('the governing Service is headless, publishes unready pods and is the serviceName', () => {
    const headless = find(objects, 'Service', 'orders-headless');
    expect(headless.spec).toEqual(expect.objectContaining({ clusterIP: 'None', publishNotReadyAddresses: true, selector: SELECTOR }));
    expect(find(objects, 'StatefulSet').spec.serviceName).toBe('orders-headless');
  });

  test('the primary Service selects only ordinal 0', () => {
    const primary = objects.find(o => o.kind === 'Service' && o.metadata.name === 'orders');
    expect(primary.spec.selector).toEqual({ ...SELECTOR, 'statefulset.kubernetes.io/pod-name': 'orders-0' });
    expect(primary.spec.ports).toEqual([{ name: 'db', port: 5432, targetPort: 'db', protocol: 'TCP' }]);
  });

  test('the read Service selects every member', () => {
    expect(find(objects, 'Service', 'orders-read').spec.selector).toEqual(SELECTOR);
  });

  test('exposes the names on the construct', () => {
    const chart = Testing.chart();
    const db = new StatefulDatabase(chart, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), replicas: 2, storage: { size: Size.gibibytes(1) } });
    expect([db.primaryServiceName, db.readServiceName, db.headlessServiceName, db.port]).toEqual(['orders', 'orders-read', 'orders-headless', 5432]);
    expect(db.claimNames).toEqual(['data-orders-0', 'data-orders-1']);
  });

  // Found by kube-apiserver: the old schema harness accepted both, the server refuses them.
  test('rejects a name starting with a digit, which its Services cannot carry (DNS-1035)', () => {
    expect(() => synthDatabase({ name: '3' })).toThrow(
      "StatefulDatabase 'test/orders': name must be a DNS-1035 label of at most 36 characters (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit), as Service names must be, got \"3\".");
    expect(synthDatabase({ name: 'db3' }).map(o => o.metadata.name)).toContain('db3-headless');
  });

  test('rejects Block storage: the data directory is a mounted filesystem', () => {
    expect(() => synthDatabase({ storage: { size: Size.gibibytes(10), volumeMode: VolumeMode.BLOCK } })).toThrow(
      "StatefulDatabase 'test/orders': storage.volumeMode must be Filesystem (the claim is mounted as a directory; a Block device has no files to write), got \"Block\".");
    expect(() => synthDatabase({ backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(10), volumeMode: VolumeMode.BLOCK } }) })).toThrow(
      /backup.storage.volumeMode must be Filesystem/);
  });

  test('rejects a storage size beyond 8 EiB, which would render as an exponent the server refuses', () => {
    expect(() => synthDatabase({ storage: { size: Size.tebibytes(2 ** 40) } })).toThrow(/storage.size must be at most 8 EiB \(8192 PiB\), got "1073741824 PiB"/);
    const sts = find(synthDatabase({ storage: { size: Size.tebibytes(8 * 1024 * 1024 - 1) } }), 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('8388607Ti');
  });
});

describe('StatefulDatabase: credentials', () => {
  test('reads passwords from the default Secret through secretKeyRef', () => {
    const objects = synthDatabase({ replicas: 2 });
    const env = envOf(container(objects, 'postgres'));
    expect(env.POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } });
    expect(env.REPLICATION_PASSWORD).toEqual({ secretKeyRef: { name: 'orders-credentials', key: 'replication-password' } });
    expect(all(objects, 'Secret')).toEqual([]);
    expect(literalSecrets(objects)).toEqual([]);
  });

  test('uses an existing Secret with its own key names', () => {
    const objects = synthDatabase({ credentials: DatabaseCredentials.fromSecret('vault-synced', { superuserPasswordKey: 'pg', replicationPasswordKey: 'repl' }) });
    const env = envOf(container(objects, 'postgres'));
    expect(env.POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: 'vault-synced', key: 'pg' } });
    expect(env.REPLICATION_PASSWORD).toEqual({ secretKeyRef: { name: 'vault-synced', key: 'repl' } });
  });

  test('creates a Secret from values and never puts them in a pod spec', () => {
    const objects = synthDatabase({
      credentials: DatabaseCredentials.fromPasswords({ superuserPassword: 'Sup3r-s3cret!', replicationPassword: 'R3pl-s3cret!' }),
      metrics: {},
    });
    const secret = find(objects, 'Secret', 'orders-credentials');
    expect(secret.stringData).toEqual({ 'superuser-password': 'Sup3r-s3cret!', 'replication-password': 'R3pl-s3cret!' });
    for (const o of objects.filter(x => x.kind !== 'Secret')) {
      expect(JSON.stringify(o)).not.toMatch(/Sup3r-s3cret|R3pl-s3cret/);
    }
    expect(literalSecrets(objects)).toEqual([]);
  });

  test('keeps the replication user apart from the superuser', () => {
    const env = envOf(container(synthDatabase({ replicas: 2 }), 'postgres'));
    expect(env.POSTGRES_USER).toBe('postgres');
    expect(env.REPLICATION_USER).toBe('replicator');
    expect(() => synthDatabase({ replicationUser: 'postgres' })).toThrow(
      "StatefulDatabase 'test/orders': replicationUser must be a user other than the superuser, got \"postgres\".");
  });

  test('rejects short or identical passwords without echoing them', () => {
    expect(() => DatabaseCredentials.fromPasswords({ superuserPassword: 'short', replicationPassword: 'long-enough-1' })).toThrow(
      'DatabaseCredentials.fromPasswords: superuserPassword must be a string of at least 8 characters without control characters, got "(hidden, 5 characters)".');
    expect(() => DatabaseCredentials.fromPasswords({ superuserPassword: 'same-password', replicationPassword: 'same-password' })).toThrow(
      'DatabaseCredentials.fromPasswords: replicationPassword must be different from the superuser password, got "(hidden)".');
    expect(() => DatabaseCredentials.fromSecret('Bad_Name')).toThrow(/DatabaseCredentials.fromSecret: secretName must be a DNS-1123 subdomain/);
    expect(() => DatabaseCredentials.fromSecret('ok', { superuserPasswordKey: 'a b' })).toThrow(
      "DatabaseCredentials.fromSecret: superuserPasswordKey must be a Secret key of letters, digits, '-', '_' and '.', got \"a b\".");
  });
});

describe('StatefulDatabase: PostgreSQL replication wiring (contract)', () => {
  const objects = synthDatabase({ replicas: 3 });
  const shared = {
    POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
    PRIMARY_HOST: 'orders-0.orders-headless',
    PRIMARY_PORT: '5432',
    REPLICATION_USER: 'replicator',
    REPLICATION_PASSWORD: { secretKeyRef: { name: 'orders-credentials', key: 'replication-password' } },
  };

  test('an init container clones the primary with the replica script', () => {
    const init = container(objects, 'clone-replica');
    expect(init.image).toBe('postgres:16.4');
    expect(init.command).toEqual(['/scripts/postgres-replica-init.sh']);
    expect(envOf(init)).toEqual({ ...shared, PGDATA: '/var/lib/postgresql/data/pgdata', PRIMARY_WAIT_SECONDS: '300' });
    expect(init.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { name: 'scripts', mountPath: '/scripts', readOnly: true },
    ]));
  });

  test('the server runs the primary script from docker-entrypoint-initdb.d and reads its config file', () => {
    const main = container(objects, 'postgres');
    expect(envOf(main)).toEqual(expect.objectContaining({ ...shared, PGDATA: '/var/lib/postgresql/data/pgdata' }));
    expect(main.volumeMounts).toContainEqual({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(main.args).toEqual(['-c', 'config_file=/etc/postgresql/postgresql.conf']);
    const volumes = podTemplate(objects).spec.volumes;
    expect(volumes).toContainEqual({ name: 'initdb', configMap: { name: 'orders-scripts', defaultMode: 0o555, items: [{ key: 'postgres-primary-init.sh', path: 'postgres-primary-init.sh' }] } });
    expect(volumes).toContainEqual({ name: 'scripts', configMap: { name: 'orders-scripts', defaultMode: 0o555 } });
  });

  test('the scripts ConfigMap holds the shipped scripts byte for byte', () => {
    const scripts = find(objects, 'ConfigMap', 'orders-scripts');
    const dir = path.join(__dirname, '..', '..', 'assets', 'database');
    expect(Object.keys(scripts.data).sort()).toEqual(fs.readdirSync(dir).filter(f => f.endsWith('.sh')).sort());
    for (const [file, text] of Object.entries(scripts.data)) {
      expect(text).toBe(fs.readFileSync(path.join(dir, file), 'utf-8'));
    }
  });

  test('the config ConfigMap is a postgresql.conf fragment with the user parameters', () => {
    const conf = find(synthDatabase({ parameters: { max_connections: '300' } }), 'ConfigMap', 'orders-config').data['postgresql.conf'];
    expect(conf).toContain("listen_addresses = '*'");
    expect(conf).toContain('wal_level = replica');
    expect(conf).toContain('max_connections = 300');
  });
});

describe.each([
  ['mysql', DatabaseEngine.mysql({ version: '8.0.39' }), 'MYSQL_ROOT_PASSWORD', 'mysqladmin ping'],
  ['mariadb', DatabaseEngine.mariadb({ version: '11.4' }), 'MARIADB_ROOT_PASSWORD', 'mariadb-admin ping'],
])('StatefulDatabase: %s GTID replication wiring (contract)', (flavor, engine, rootEnv, ping) => {
  const objects = synthDatabase({ engine, replicas: 2 });

  test('an init container writes the server id into the conf.d emptyDir', () => {
    const init = container(objects, 'server-id');
    expect(init.image).toBe(`${flavor}:${engine.version}`);
    expect(init.command).toEqual(['/scripts/mysql-server-id.sh']);
    expect(envOf(init)).toEqual(expect.objectContaining({
      DB_FLAVOR: flavor,
      CONF_DIR: '/etc/mysql/conf.d',
      PRIMARY_HOST: 'orders-0.orders-headless',
      PRIMARY_PORT: '3306',
      [rootEnv]: { secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } },
    }));
    expect(init.volumeMounts).toContainEqual({ name: 'conf-d', mountPath: '/etc/mysql/conf.d' });
    expect(podTemplate(objects).spec.volumes).toContainEqual({ name: 'conf-d', emptyDir: {} });
  });

  test('the server runs the replication script at first init, with its data on the claim', () => {
    const main = container(objects, flavor);
    expect(main.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'data', mountPath: '/var/lib/mysql' },
      { name: 'conf-d', mountPath: '/etc/mysql/conf.d' },
      { name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
      { name: 'run', mountPath: '/var/run/mysqld' },
    ]));
    expect(podTemplate(objects).spec.volumes).toContainEqual({
      name: 'initdb', configMap: { name: 'orders-scripts', defaultMode: 0o555, items: [{ key: 'mysql-replication-init.sh', path: 'mysql-replication-init.sh' }] },
    });
    expect(find(objects, 'ConfigMap', 'orders-config').data['my.cnf']).toContain('datadir = /var/lib/mysql/data');
  });

  test('startup and liveness ping the server with the engine tool, readiness checks replication; passwords from the environment', () => {
    const main = container(objects, flavor);
    for (const probe of ['startupProbe', 'livenessProbe']) {
      expect(main[probe].exec.command.join(' ')).toContain(ping);
      expect(main[probe].exec.command.join(' ')).toContain(`"$${rootEnv}"`);
    }
    expect(main.readinessProbe.exec.command).toEqual(['/scripts/database-ready.sh']);
    expect(envOf(main)).toEqual(expect.objectContaining({ DB_ENGINE: flavor, DB_PORT: '3306', MAX_REPLICA_LAG_SECONDS: '30' }));
    expect(literalSecrets(objects)).toEqual([]);
  });

  test('the security context runs as the image user 999', () => {
    expect(podTemplate(objects).spec.securityContext).toEqual(expect.objectContaining({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 }));
  });
});

describe('StatefulDatabase: engine defaults', () => {
  const objects = synthDatabase({ replicas: 3 });

  test('startup and liveness use pg_isready, readiness the replication check', () => {
    const main = container(objects, 'postgres');
    for (const probe of ['startupProbe', 'livenessProbe']) {
      expect(main[probe].exec.command).toEqual(['sh', '-c', 'exec pg_isready -U "$POSTGRES_USER" -d postgres -h 127.0.0.1 -p 5432']);
    }
    expect(main.readinessProbe.exec.command).toEqual(['/scripts/database-ready.sh']);
    expect(main.startupProbe.failureThreshold * main.startupProbe.periodSeconds).toBeGreaterThanOrEqual(600);
  });

  test('requests resources and limits memory by default', () => {
    const resources = container(objects, 'postgres').resources;
    expect(resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } });
    expect(container(objects, 'clone-replica').resources).toEqual(resources);
  });

  test('takes custom resources', () => {
    const custom = synthDatabase({ resources: { cpu: Cpu.units(2), memory: Size.gibibytes(4), memoryLimit: Size.gibibytes(8) } });
    expect(container(custom, 'postgres').resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } });
  });

  test('runs under the restricted Pod Security profile', () => {
    const spec = podTemplate(objects).spec;
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect(c.securityContext).toEqual(expect.objectContaining({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true }));
    }
  });

  test('gives the writable paths of the official image emptyDirs', () => {
    const spec = podTemplate(objects).spec;
    expect(spec.volumes).toEqual(expect.arrayContaining([{ name: 'run', emptyDir: {} }, { name: 'tmp', emptyDir: {} }]));
    expect(container(objects, 'postgres').volumeMounts).toEqual(expect.arrayContaining([
      { name: 'run', mountPath: '/var/run/postgresql' }, { name: 'tmp', mountPath: '/tmp' },
    ]));
  });

  test('rolls the pods when the configuration changes (content hash on the pod template)', () => {
    const hash = (params?: Record<string, string>) => podTemplate(synthDatabase({ parameters: params })).metadata.annotations['stateful.cdk8s.io/config-hash'];
    expect(hash()).toMatch(/^[0-9a-f]{64}$/);
    expect(hash()).toBe(hash());
    expect(hash({ work_mem: "'64MB'" })).not.toBe(hash());
  });
});

describe('StatefulDatabase: spreading and disruption', () => {
  test('prefers one replica per node by default, with the pod selector', () => {
    const spec = podTemplate(synthDatabase({ replicas: 3 })).spec;
    expect(spec.affinity.podAntiAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' } }],
    });
    expect(spec.topologySpreadConstraints).toBeUndefined();
  });

  test('requires one replica per node on request and spreads across zones', () => {
    const spec = podTemplate(synthDatabase({ replicas: 3, antiAffinity: AntiAffinity.REQUIRED, spreadAcrossZones: true })).spec;
    expect(spec.affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' }],
    });
    expect(spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } }]);
  });

  test('a PodDisruptionBudget allows one member down and selects the pods', () => {
    // With PrimaryEviction.ALLOWED, one budget covers every member (the default adds a primary budget: day-two-manifests.test.ts).
    const objects = synthDatabase({ replicas: 3, primaryEviction: PrimaryEviction.ALLOWED });
    const pdb = find(objects, 'PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR } });
    const podLabels = podTemplate(objects).metadata.labels;
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
  });
});

describe('StatefulDatabase: metrics', () => {
  test('adds postgres_exporter with a pinned image and scrape annotations', () => {
    const objects = synthDatabase({ metrics: {} });
    const exporter = container(objects, 'metrics');
    expect(exporter.image).toBe('quay.io/prometheuscommunity/postgres-exporter:v0.15.0');
    expect(envOf(exporter).DATA_SOURCE_PASS).toEqual({ secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } });
    expect(exporter.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, allowPrivilegeEscalation: false, runAsUser: 65534 }));
    expect(podTemplate(objects).metadata.annotations).toEqual(expect.objectContaining({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '9187', 'prometheus.io/path': '/metrics',
    }));
  });

  test('adds mysqld_exporter for MariaDB, the password from the Secret', () => {
    const objects = synthDatabase({ engine: DatabaseEngine.mariadb({ version: '11.4' }), metrics: {} });
    const exporter = container(objects, 'metrics');
    expect(exporter.image).toBe('prom/mysqld-exporter:v0.15.1');
    expect(envOf(exporter).MYSQLD_EXPORTER_PASSWORD).toEqual({ secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } });
    expect(podTemplate(objects).metadata.annotations['prometheus.io/port']).toBe('9104');
  });

  test('rejects an exporter image without a tag', () => {
    const build = () => synthDatabase({ metrics: { image: 'prom/postgres-exporter' } });
    expect(build).toThrow(StatefulError);
    expect(build).toThrow(
      "StatefulDatabase 'test/orders': metrics.image must be an image reference with a pinned tag or digest, such as 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0' (not 'latest'), got \"prom/postgres-exporter\".");
  });

  test('rejects an exporter image on latest, and accepts one pinned to a digest', () => {
    const latest = () => synthDatabase({ metrics: { image: 'prom/postgres-exporter:latest' } });
    expect(latest).toThrow(StatefulError);
    expect(latest).toThrow(/metrics.image must be an image reference with a pinned tag/);
    const digest = `prom/postgres-exporter@sha256:${'0'.repeat(64)}`;
    expect(container(synthDatabase({ metrics: { image: digest } }), 'metrics').image).toBe(digest);
  });

  test('no exporter and no scrape annotations by default', () => {
    const template = podTemplate(synthDatabase());
    expect(template.spec.containers.map((c: any) => c.name)).toEqual(['postgres']);
    expect(template.metadata.annotations['prometheus.io/scrape']).toBeUndefined();
  });
});

describe('StatefulDatabase: custom engine', () => {
  const engine = DatabaseEngine.custom({ name: 'redis', image: 'redis:7.2.5', port: 6379, dataPath: '/data', probeCommand: ['redis-cli', 'ping'] });

  test('runs standalone with the same safe defaults', () => {
    const objects = synthDatabase({ engine });
    const main = container(objects, 'redis');
    expect(main.image).toBe('redis:7.2.5');
    expect(main.readinessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    expect(main.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(find(objects, 'StatefulSet').spec.selector.matchLabels['app.kubernetes.io/name']).toBe('redis');
    expect(podTemplate(objects).spec.initContainers).toBeUndefined();
  });

  test('falls back to a TCP probe', () => {
    const objects = synthDatabase({ engine: DatabaseEngine.custom({ name: 'kv', image: 'kv:1.0', port: 7000, dataPath: '/var/lib/kv' }) });
    expect(container(objects, 'kv').livenessProbe.tcpSocket).toEqual({ port: 7000 });
  });

  test('rejects replicas and logical backups it cannot provide', () => {
    expect(() => synthDatabase({ engine, replicas: 3 })).toThrow(
      "StatefulDatabase 'test/orders': replicas must be 1 for a custom engine (redis): this library only replicates postgres, mysql and mariadb, got 3.");
  });
});

describe('StatefulDatabase: bad input throws our error', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['replicas 0', () => synthDatabase({ replicas: 0 }), "StatefulDatabase 'test/orders': replicas must be an integer from 1 to 99, got 0."],
    ['replicas 1.5', () => synthDatabase({ replicas: 1.5 }), "StatefulDatabase 'test/orders': replicas must be an integer from 1 to 99, got 1.5."],
    ['an invalid name', () => synthDatabase({ name: 'Orders_DB' }),
      "StatefulDatabase 'test/orders': name must be a DNS-1035 label of at most 36 characters (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit), as Service names must be, got \"Orders_DB\"."],
    ['a name too long for derived names', () => synthDatabase({ name: 'a'.repeat(37) }), /name must be a DNS-1035 label of at most 36 characters/.source],
    ['a size of zero', () => synthDatabase({ storage: { size: Size.gibibytes(0) } }), "StatefulDatabase 'test/orders': storage.size must be at least 1 KiB, got \"0 KiB\"."],
    ['a class that cannot do ReadWriteOnce', () => synthDatabase({
      storage: { size: Size.gibibytes(1), storageClass: { storageClassName: 'rwx-only', provisioner: Provisioner.custom('files.example.com', { filesystemAccessModes: [AccessMode.READ_WRITE_MANY] }) } },
    }), "StatefulDatabase 'test/orders': storage.accessModes must be one that provisioner files.example.com serves in Filesystem mode (ReadWriteMany), got \"ReadWriteOnce\"."],
    ['a shared access mode', () => synthDatabase({ storage: { size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_MANY] } }),
      "StatefulDatabase 'test/orders': storage.accessModes must be ReadWriteOnce or ReadWriteOncePod (one server per volume), got \"ReadWriteMany\"."],
    ['a partition beyond the replicas', () => synthDatabase({ replicas: 3, partition: 4 }), "StatefulDatabase 'test/orders': partition must be an integer from 0 to 3, got 4."],
    ['a restore into several replicas', () => synthDatabase({ replicas: 3, storage: { size: Size.gibibytes(1), dataSource: ClaimDataSource.fromSnapshot('s1') } }),
      /replicas must be 1 when storage.dataSource restores data/.source],
    ['a restore from a snapshot into a class that cannot restore snapshots', () => synthDatabase({
      storage: { size: Size.gibibytes(1), storageClass: { storageClassName: 'local', provisioner: Provisioner.openEbsHostpath() }, dataSource: ClaimDataSource.fromSnapshot('s1') },
    }), "StatefulDatabase 'test/orders': storage.dataSource must be a claim source that provisioner openebs.io/local supports: it cannot restore snapshots, so restore into a class whose provisioner can, got \"VolumeSnapshot/s1\"."],
    ['a storage class that is not one', () => synthDatabase({ storage: { size: Size.gibibytes(1), storageClass: 'gp3' as any } }),
      /storage.storageClass must be a StorageClass or StorageClass.fromName/.source],
    ['a missing engine', () => synthDatabase({ engine: undefined as any }), /engine must be a DatabaseEngine/.source],
    ['a bad retention', () => synthDatabase({ claimRetentionWhenDeleted: 'Keep' as any }),
      "StatefulDatabase 'test/orders': claimRetentionWhenDeleted must be one of 'Retain', 'Delete', got \"Keep\"."],
    ['a CPU of zero', () => synthDatabase({ resources: { cpu: Cpu.millis(0) } }), "StatefulDatabase 'test/orders': resources.cpu must be a whole number of millicores from 1m to 1000000 cores, got \"0m\"."],
    ['a memory limit under the request', () => synthDatabase({ resources: { memory: Size.gibibytes(2), memoryLimit: Size.gibibytes(1) } }),
      "StatefulDatabase 'test/orders': resources.memoryLimit must be at least the memory request (2Gi), got \"1Gi\"."],
    ['a parameter with a newline', () => synthDatabase({ parameters: { work_mem: '1MB\nfsync = off' } }), /parameters.work_mem must be a single-line string/.source],
    ['a bad parameter name', () => synthDatabase({ parameters: { 'a b': '1' } }), /parameters must be setting names/.source],
    ['the superuser as replication user', () => synthDatabase({ engine: DatabaseEngine.mysql({ version: '8.4' }), replicationUser: 'root' }), /replicationUser must be a user other than the superuser/.source],
  ];
  test.each(cases)('%s', (_name, run, message) => {
    let error: unknown;
    try { run(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(StatefulError);
    if (message.startsWith('StatefulDatabase')) expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(new RegExp(message));
  });
});

test('every pod spec of a fully loaded database is free of literal secrets', () => {
  const objects = synthDatabase({ replicas: 3, metrics: {}, engine: DatabaseEngine.mysql({ version: '8.0.39' }) });
  expect(podSpecs(objects).length).toBeGreaterThan(0);
  expect(literalSecrets(objects)).toEqual([]);
});
