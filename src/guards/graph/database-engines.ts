/**
 * The one place that knows which container images are databases (or other stores whose data
 * must outlive a pod), where each keeps its data, and which of them form a quorum.
 *
 * Detection is by image repository name: the last path segment before the tag or digest,
 * matched EXACTLY (so `postgres-exporter` or `redis_exporter` are not databases).
 */
export interface DatabaseEngineInfo {
  /** Engine name used in messages. */
  readonly engine: string;
  /** Repository names (last path segment) that run this engine. */
  readonly images: string[];
  /** Default data directories (official image first, then Bitnami and other common images). */
  readonly dataDirs: string[];
  /** Environment variables that move the data directory (literal values only). */
  readonly dataDirEnv: string[];
  /** Command-line flags that move the data directory (`--flag=value` or `--flag value`). */
  readonly dataDirFlags: string[];
  /** Whether replicas form a majority quorum (odd sizes, budgets that keep a majority). */
  readonly quorum: boolean;
}

export const DATABASE_ENGINES: DatabaseEngineInfo[] = [
  {
    engine: 'postgres',
    images: ['postgres', 'postgresql', 'postgis', 'timescaledb', 'postgresql-repmgr', 'spilo'],
    dataDirs: ['/var/lib/postgresql/data', '/bitnami/postgresql', '/home/postgres/pgdata'],
    dataDirEnv: ['PGDATA', 'POSTGRESQL_DATA_DIR'],
    dataDirFlags: ['-D', '--pgdata'],
    quorum: false,
  },
  {
    engine: 'mysql',
    images: ['mysql', 'mysql-server', 'percona-server', 'percona'],
    dataDirs: ['/var/lib/mysql', '/bitnami/mysql'],
    dataDirEnv: [],
    dataDirFlags: ['--datadir'],
    quorum: false,
  },
  {
    engine: 'mariadb',
    images: ['mariadb', 'mariadb-galera'],
    dataDirs: ['/var/lib/mysql', '/bitnami/mariadb', '/bitnami/mariadb-galera'],
    dataDirEnv: [],
    dataDirFlags: ['--datadir'],
    quorum: false,
  },
  {
    engine: 'mongodb',
    images: ['mongo', 'mongodb', 'mongodb-community-server'],
    dataDirs: ['/data/db', '/bitnami/mongodb'],
    dataDirEnv: [],
    dataDirFlags: ['--dbpath'],
    quorum: false,
  },
  {
    engine: 'redis',
    images: ['redis', 'redis-stack-server', 'keydb'],
    dataDirs: ['/data', '/bitnami/redis/data'],
    dataDirEnv: [],
    dataDirFlags: ['--dir'],
    quorum: false,
  },
  {
    engine: 'valkey',
    images: ['valkey'],
    dataDirs: ['/data', '/bitnami/valkey/data'],
    dataDirEnv: [],
    dataDirFlags: ['--dir'],
    quorum: false,
  },
  {
    engine: 'cassandra',
    images: ['cassandra', 'scylla'],
    dataDirs: ['/var/lib/cassandra', '/bitnami/cassandra', '/var/lib/scylla'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: true,
  },
  {
    engine: 'elasticsearch',
    images: ['elasticsearch'],
    dataDirs: ['/usr/share/elasticsearch/data', '/bitnami/elasticsearch/data'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
  },
  {
    engine: 'opensearch',
    images: ['opensearch'],
    dataDirs: ['/usr/share/opensearch/data', '/bitnami/opensearch/data'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
  },
  {
    engine: 'etcd',
    images: ['etcd'],
    dataDirs: ['/var/lib/etcd', '/etcd-data', '/bitnami/etcd'],
    dataDirEnv: ['ETCD_DATA_DIR'],
    dataDirFlags: ['--data-dir'],
    quorum: true,
  },
  {
    engine: 'zookeeper',
    images: ['zookeeper', 'cp-zookeeper'],
    dataDirs: ['/data', '/var/lib/zookeeper', '/bitnami/zookeeper'],
    dataDirEnv: ['ZOO_DATA_DIR'],
    dataDirFlags: [],
    quorum: true,
  },
  {
    engine: 'kafka',
    images: ['kafka', 'cp-kafka', 'cp-server'],
    dataDirs: ['/var/lib/kafka', '/bitnami/kafka', '/var/lib/kafka/data', '/tmp/kafka-logs'],
    dataDirEnv: ['KAFKA_LOG_DIRS', 'KAFKA_CFG_LOG_DIRS'],
    dataDirFlags: [],
    quorum: false,
  },
  {
    engine: 'consul',
    images: ['consul'],
    dataDirs: ['/consul/data', '/bitnami/consul'],
    dataDirEnv: [],
    dataDirFlags: ['-data-dir', '--data-dir'],
    quorum: true,
  },
  {
    engine: 'cockroachdb',
    images: ['cockroach', 'cockroachdb'],
    dataDirs: ['/cockroach/cockroach-data'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: true,
  },
  {
    engine: 'clickhouse',
    images: ['clickhouse', 'clickhouse-server'],
    dataDirs: ['/var/lib/clickhouse', '/bitnami/clickhouse'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
  },
  {
    engine: 'influxdb',
    images: ['influxdb'],
    dataDirs: ['/var/lib/influxdb2', '/var/lib/influxdb', '/bitnami/influxdb'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
  },
  {
    engine: 'neo4j',
    images: ['neo4j'],
    dataDirs: ['/data', '/bitnami/neo4j'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
  },
  {
    engine: 'couchdb',
    images: ['couchdb'],
    dataDirs: ['/opt/couchdb/data', '/bitnami/couchdb'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
  },
  {
    engine: 'rabbitmq',
    images: ['rabbitmq'],
    dataDirs: ['/var/lib/rabbitmq', '/bitnami/rabbitmq/mnesia'],
    dataDirEnv: ['RABBITMQ_MNESIA_BASE'],
    dataDirFlags: [],
    quorum: false,
  },
];

const BY_IMAGE = new Map<string, DatabaseEngineInfo>();
for (const engine of DATABASE_ENGINES) for (const image of engine.images) BY_IMAGE.set(image, engine);

/** The repository name of an image: `docker.io/bitnami/postgresql:16@sha256:..` → `postgresql`. */
export function imageRepositoryName(image: unknown): string | undefined {
  if (typeof image !== 'string' || image.trim() === '') return undefined;
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const name = ref.slice(ref.lastIndexOf('/') + 1).toLowerCase();
  return name || undefined;
}

/** The engine a container image runs, if it is a known database. */
export function databaseEngineOf(image: unknown): DatabaseEngineInfo | undefined {
  const name = imageRepositoryName(image);
  return name === undefined ? undefined : BY_IMAGE.get(name);
}

/**
 * Whether a container of this engine runs as a quorum member. Kafka forms a quorum only in KRaft
 * mode with the controller role (`KAFKA_PROCESS_ROLES` / `KAFKA_CFG_PROCESS_ROLES` containing
 * `controller`); brokers alone replicate partitions without a majority vote.
 */
export function isQuorumMember(engine: DatabaseEngineInfo, env: Map<string, string>): boolean {
  if (engine.quorum) return true;
  if (engine.engine === 'kafka') {
    const roles = env.get('KAFKA_PROCESS_ROLES') ?? env.get('KAFKA_CFG_PROCESS_ROLES');
    return roles !== undefined && roles.split(',').map(r => r.trim()).includes('controller');
  }
  return false;
}

/**
 * The data directories a container of this engine uses: from its environment or flags when set
 * literally, else the engine's defaults (any one of them mounted persistently is enough).
 */
export function dataDirsOf(engine: DatabaseEngineInfo, env: Map<string, string>, argv: string[]): string[] {
  for (const name of engine.dataDirEnv) {
    const value = env.get(name);
    if (value && value.startsWith('/')) return [value.split(',')[0].trim()];
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    for (const flag of engine.dataDirFlags) {
      if (arg === flag && typeof argv[i + 1] === 'string' && argv[i + 1].startsWith('/')) return [argv[i + 1]];
      if (arg.startsWith(`${flag}=`) && arg.slice(flag.length + 1).startsWith('/')) return [arg.slice(flag.length + 1)];
    }
  }
  return engine.dataDirs;
}
