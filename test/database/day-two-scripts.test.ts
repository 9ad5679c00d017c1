import { Duration, Size, Testing } from 'cdk8s';
import { container, envOf, gp3, podTemplate, synthDatabase } from './helpers';
import { DatabaseEngine, StatefulDatabase } from '../../src/database';
import { StatefulError } from '../../src/internal/errors';
import { find } from '../harness';

describe('StatefulDatabase: day-two wiring of the scripts', () => {
  test('the PostgreSQL server starts through postgres-start.sh, which runs the image entrypoint with the config file', () => {
    const main = container(synthDatabase({ replicas: 3 }), 'postgres');
    expect(main.command).toEqual(['/scripts/postgres-start.sh']);
    expect(main.args).toEqual(['-c', 'config_file=/etc/postgresql/postgresql.conf']);
    // the start script applies the Secret's passwords on the primary and gives standbys their conninfo
    expect(envOf(main)).toEqual(expect.objectContaining({
      POSTGRES_PASSWORD: { secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } },
      REPLICATION_PASSWORD: { secretKeyRef: { name: 'orders-credentials', key: 'replication-password' } },
      PGDATA: '/var/lib/postgresql/data/pgdata',
    }));
    // the passfile goes to the run emptyDir, never the claim
    expect(main.volumeMounts).toContainEqual({ name: 'run', mountPath: '/var/run/postgresql' });
  });

  test.each([
    ['mysql', DatabaseEngine.mysql({ version: '8.0.39' })],
    ['mariadb', DatabaseEngine.mariadb({ version: '11.4' })],
  ])('the %s server starts through mysql-start.sh with the data directory it initialises', (flavor, engine) => {
    const main = container(synthDatabase({ engine, replicas: 2 }), flavor);
    expect(main.command).toEqual(['/scripts/mysql-start.sh']);
    expect(main.args).toBeUndefined();
    expect(envOf(main)).toEqual(expect.objectContaining({ DATA_DIR: '/var/lib/mysql/data', DB_FLAVOR: flavor }));
  });

  test('a MariaDB replica is seeded by an init container from the primary\'s seed-source sidecar', () => {
    const objects = synthDatabase({ engine: DatabaseEngine.mariadb({ version: '11.4' }), replicas: 3 });
    const spec = podTemplate(objects).spec;
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['server-id', 'seed-replica']);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['mariadb', 'seed-source']);
    const seed = container(objects, 'seed-replica');
    expect(seed.command).toEqual(['/scripts/mysql-seed.sh']);
    expect(envOf(seed)).toEqual(expect.objectContaining({ PRIMARY_HOST: 'orders-0.orders-headless', SEED_PORT: '4444', DATA_DIR: '/var/lib/mysql/data' }));
    expect(seed.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql' });
    const source = container(objects, 'seed-source');
    expect(source.command).toEqual(['/scripts/mysql-seed.sh', 'serve']);
    expect(source.ports).toEqual([{ name: 'seed', containerPort: 4444, protocol: 'TCP' }]);
    // it reads the data (read-only) and reaches the server over its socket
    expect(source.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'data', mountPath: '/var/lib/mysql', readOnly: true },
      { name: 'run', mountPath: '/var/run/mysqld' },
    ]));
    expect(envOf(source).MARIADB_ROOT_PASSWORD).toEqual({ secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } });
  });

  test('a standalone MariaDB opens no seed port', () => {
    const spec = podTemplate(synthDatabase({ engine: DatabaseEngine.mariadb({ version: '11.4' }) })).spec;
    expect([...spec.initContainers, ...spec.containers].map((c: any) => c.name)).toEqual(['server-id', 'mariadb']);
  });

  test('a MySQL replica is seeded by an init container that clones the primary, with the clone plugin loaded on every member', () => {
    const objects = synthDatabase({ engine: DatabaseEngine.mysql({ version: '8.0.39' }), replicas: 2 });
    const spec = podTemplate(objects).spec;
    // no sidecar: the primary's own server is the donor
    expect([...spec.initContainers, ...spec.containers].map((c: any) => c.name)).toEqual(['server-id', 'seed-replica', 'mysql']);
    const seed = container(objects, 'seed-replica');
    expect(seed.command).toEqual(['/scripts/mysql-seed.sh']);
    expect(envOf(seed)).toEqual(expect.objectContaining({
      DB_FLAVOR: 'mysql',
      PRIMARY_HOST: 'orders-0.orders-headless',
      PRIMARY_PORT: '3306',
      REPLICATION_USER: 'replicator',
      DATA_DIR: '/var/lib/mysql/data',
      REPLICATION_PASSWORD: { secretKeyRef: { name: 'orders-credentials', key: 'replication-password' } },
    }));
    expect(seed.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql' });
    const config = objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'orders-config');
    expect(config.data['my.cnf']).toMatch(/^plugin-load-add = mysql_clone\.so$/m);
  });

  test('a standalone MySQL loads no clone plugin and has no seed container', () => {
    const objects = synthDatabase({ engine: DatabaseEngine.mysql({ version: '8.0.39' }) });
    const spec = podTemplate(objects).spec;
    expect([...spec.initContainers, ...spec.containers].map((c: any) => c.name)).toEqual(['server-id', 'mysql']);
    const config = objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'orders-config');
    expect(config.data['my.cnf']).not.toContain('mysql_clone');
  });

  test('a custom engine keeps its own probe for readiness', () => {
    const engine = DatabaseEngine.custom({ name: 'redis', image: 'redis:7.2.5', port: 6379, dataPath: '/data', probeCommand: ['redis-cli', 'ping'] });
    const main = container(synthDatabase({ engine }), 'redis');
    expect(main.readinessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    expect(main.command).toBeUndefined();
  });
});

describe('StatefulDatabase: replication slots', () => {
  test('bound the WAL a slot may keep to a quarter of the claim, so a removed member cannot fill the primary\'s disk', () => {
    const conf = (size: Size) => find(synthDatabase({ replicas: 3, storage: { size, storageClass: gp3 } }), 'ConfigMap', 'orders-config').data['postgresql.conf'];
    expect(conf(Size.gibibytes(50))).toContain("max_slot_wal_keep_size = '12800MB'");
    expect(conf(Size.mebibytes(100))).toContain("max_slot_wal_keep_size = '64MB'");
    // the user's parameter wins
    const custom = find(synthDatabase({ parameters: { max_slot_wal_keep_size: "'1GB'" } }), 'ConfigMap', 'orders-config').data['postgresql.conf'];
    expect(custom.match(/max_slot_wal_keep_size = .*/g)).toEqual(["max_slot_wal_keep_size = '1GB'"]);
  });
});

describe('StatefulDatabase: maxReplicaLag', () => {
  test('defaults to 30 seconds for the readiness script', () => {
    expect(envOf(container(synthDatabase({ replicas: 2 }), 'postgres')).MAX_REPLICA_LAG_SECONDS).toBe('30');
  });

  test('takes a Duration', () => {
    const env = envOf(container(synthDatabase({ replicas: 2, maxReplicaLag: Duration.minutes(2) }), 'postgres'));
    expect(env.MAX_REPLICA_LAG_SECONDS).toBe('120');
  });

  test.each([
    [Duration.millis(500), 'maxReplicaLag must be a Duration from 1 second(s) to 24 hour(s) in whole seconds, e.g. Duration.minutes(5), got "500ms".'],
    [Duration.days(2), 'maxReplicaLag must be a Duration from 1 second(s) to 24 hour(s) in whole seconds, e.g. Duration.minutes(5), got "172800s".'],
    [30 as unknown as Duration, 'maxReplicaLag must be a Duration from 1 second(s) to 24 hour(s) in whole seconds, e.g. Duration.minutes(5), got 30.'],
  ])('rejects %p', (lag, message) => {
    const build = () => new StatefulDatabase(Testing.chart(), 'orders', {
      engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(5), storageClass: gp3 }, maxReplicaLag: lag,
    });
    expect(build).toThrow(StatefulError);
    expect(build).toThrow(`StatefulDatabase 'test/orders': ${message}`);
  });
});
