/**
 * The one place that knows which container images are databases (or other stores whose data
 * must outlive a pod), where each keeps its data, and which of them form a quorum.
 *
 * Detection is by normalized image repository name: the last path segment before the tag or
 * digest, lower-cased, with version and distribution suffixes removed (`rhel9/postgresql-16`,
 * `sclorg/mariadb-1011-c9s`), looked up in the documented list of `images` (so `postgres-exporter`
 * or `redis_exporter` are not databases). An image the list does not know is a database only by
 * the engine's conventions together: an environment variable only its server reads and its
 * server port declared (then the evidence is weaker, and rules report warnings).
 */
export interface DatabaseEngineInfo {
  /** Engine name used in messages. */
  readonly engine: string;
  /**
   * Repository names that run this engine: the normalized last path segment, or the last two
   * segments (`mysql/community-server`) where the last one alone says nothing.
   */
  readonly images: string[];
  /** Default data directories (official image first, then Bitnami and other common images). */
  readonly dataDirs: string[];
  /** Environment variables that move the data directory (literal values only). */
  readonly dataDirEnv: string[];
  /** Command-line flags that move the data directory (`--flag=value` or `--flag value`). */
  readonly dataDirFlags: string[];
  /** Whether the members form a majority quorum (odd sizes, budgets that keep a majority of the members). */
  readonly quorum: boolean;
  /**
   * Whether each piece of data lives on a replication factor of members and needs a majority of
   * its copies (Cassandra's QUORUM, CockroachDB's ranges), not a majority of all members: any
   * member count works, and a budget must leave a majority of every copy set.
   */
  readonly copyQuorum?: CopyQuorum;
  /** Settings of its configuration files that move the data directory (group 1: the path). */
  readonly configDataDir?: RegExp;
  /** Ports its server listens on by default (further evidence for images the list does not know). */
  readonly ports?: number[];
  /** Environment variables only its server images read, never its clients (further evidence). */
  readonly serverEnv?: string[];
  /** Commands of the same image that are not the data server (sentinels, command-line clients). */
  readonly notServer?: RegExp;
}

const PATH = String.raw`["']?(\/[^"'\s,#\]]+)`;
const setting = (pattern: string, flags = 'm') => new RegExp(pattern.replace('PATH', PATH), flags);
/** Whether a config file may hold the setting: a cheap test of the literal it starts with, before the regex. */
function mayHold(pattern: RegExp, text: string): boolean {
  const keyword = /[A-Za-z_<][\w-]*/.exec(pattern.source.replace(/^\^\[ \\t\]\*/, ''))![0];
  return pattern.flags.includes('i') ? text.toLowerCase().includes(keyword.toLowerCase()) : text.includes(keyword);
}

export const DATABASE_ENGINES: DatabaseEngineInfo[] = [
  {
    engine: 'postgres',
    images: ['postgres', 'postgresql', 'postgis', 'timescaledb', 'timescaledb-ha', 'postgresql-repmgr', 'spilo', 'pgvector',
      'crunchy-postgres', 'crunchy-postgres-gis', 'percona-distribution-postgresql'],
    dataDirs: ['/var/lib/postgresql/data', '/bitnami/postgresql', '/home/postgres/pgdata', '/var/lib/pgsql/data'],
    dataDirEnv: ['PGDATA', 'POSTGRESQL_DATA_DIR'],
    dataDirFlags: ['-D', '--pgdata'],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*data_directory\s*=\s*PATH`),
    ports: [5432],
    // The official image's initialization variables (clients name theirs after the server: PG*, DB_*);
    // with port 5432 declared too, a container setting them is the server.
    serverEnv: ['PGDATA', 'POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_INITDB_ARGS', 'POSTGRES_INITDB_WALDIR', 'POSTGRES_HOST_AUTH_METHOD',
      'POSTGRESQL_DATA_DIR', 'POSTGRESQL_REPLICATION_MODE'],
    notServer: /^(psql|pg_dump|pg_dumpall|pg_restore|pg_isready|pg_basebackup)$/,
  },
  {
    engine: 'mysql',
    images: ['mysql', 'mysql-server', 'percona-server', 'percona', 'percona-xtradb-cluster', 'mysql/community-server', 'mysql/enterprise-server'],
    dataDirs: ['/var/lib/mysql', '/bitnami/mysql', '/var/lib/mysql/data'],
    dataDirEnv: [],
    dataDirFlags: ['--datadir'],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*datadir\s*=\s*PATH`),
    ports: [3306],
    serverEnv: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD', 'MYSQL_ROOT_HOST', 'MYSQL_INITDB_SKIP_TZINFO', 'MYSQL_DATABASE'],
    notServer: /^(mysql|mysqldump|mysqladmin|mysqlsh|xtrabackup)$/,
  },
  {
    engine: 'mariadb',
    images: ['mariadb', 'mariadb-galera', 'mariadb-server'],
    dataDirs: ['/var/lib/mysql', '/bitnami/mariadb', '/bitnami/mariadb-galera', '/var/lib/mysql/data'],
    dataDirEnv: [],
    dataDirFlags: ['--datadir'],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*datadir\s*=\s*PATH`),
    ports: [3306],
    serverEnv: ['MARIADB_ROOT_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD', 'MARIADB_ROOT_HOST', 'MARIADB_AUTO_UPGRADE', 'MARIADB_DATABASE'],
    notServer: /^(mariadb|mysql|mariadb-dump|mysqldump|mariadb-admin|mariadb-backup)$/,
  },
  {
    engine: 'mongodb',
    images: ['mongo', 'mongodb', 'mongodb-community-server', 'mongodb-enterprise-server', 'percona-server-mongodb', 'mongodb-sharded'],
    dataDirs: ['/data/db', '/bitnami/mongodb', '/var/lib/mongodb'],
    dataDirEnv: [],
    dataDirFlags: ['--dbpath'],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*dbpath\s*[:=]\s*PATH`, 'mi'),
    ports: [27017],
    serverEnv: ['MONGO_INITDB_ROOT_USERNAME', 'MONGO_INITDB_ROOT_PASSWORD', 'MONGO_INITDB_DATABASE', 'MONGODB_ROOT_PASSWORD', 'MONGODB_REPLICA_SET_MODE'],
    notServer: /^(mongosh|mongo|mongodump|mongorestore|mongos)$/,
  },
  {
    engine: 'redis',
    images: ['redis', 'redis-stack', 'redis-stack-server', 'redis-cluster', 'keydb'],
    dataDirs: ['/data', '/bitnami/redis/data', '/var/lib/redis'],
    dataDirEnv: [],
    dataDirFlags: ['--dir'],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*dir\s+PATH`),
    ports: [6379],
    serverEnv: ['REDIS_REPLICATION_MODE', 'REDIS_AOF_ENABLED', 'REDIS_RDB_POLICY', 'REDIS_RDB_POLICY_DISABLED'],
    notServer: /^(redis-sentinel|redis-cli|redis-benchmark|keydb-cli)$|^--sentinel$/,
  },
  {
    engine: 'valkey',
    images: ['valkey'],
    dataDirs: ['/data', '/bitnami/valkey/data'],
    dataDirEnv: [],
    dataDirFlags: ['--dir'],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*dir\s+PATH`),
    ports: [6379],
    serverEnv: ['VALKEY_REPLICATION_MODE', 'VALKEY_AOF_ENABLED', 'VALKEY_RDB_POLICY', 'VALKEY_RDB_POLICY_DISABLED'],
    notServer: /^(valkey-sentinel|valkey-cli|valkey-benchmark)$|^--sentinel$/,
  },
  {
    engine: 'cassandra',
    images: ['cassandra', 'scylla', 'dse-server'],
    dataDirs: ['/var/lib/cassandra', '/bitnami/cassandra', '/var/lib/scylla'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
    // Keyspaces set the replication factor (CREATE KEYSPACE); the token allocator's setting is the
    // one place a manifest declares it. 3 is the usual choice.
    copyQuorum: { defaultReplicationFactor: 3, replicationFactorSetting: /^[ \t]*allocate_tokens_for_local_replication_factor\s*:\s*(\d+)/m },
    configDataDir: setting(String.raw`^[ \t]*data_file_directories\s*:\s*\n\s*-\s*PATH`),
    ports: [9042, 7000],
    serverEnv: ['CASSANDRA_SEEDS', 'CASSANDRA_CLUSTER_NAME', 'CASSANDRA_DC', 'CASSANDRA_RACK', 'CASSANDRA_ENDPOINT_SNITCH', 'CASSANDRA_NUM_TOKENS'],
    notServer: /^(cqlsh|nodetool)$/,
  },
  {
    engine: 'elasticsearch',
    images: ['elasticsearch'],
    dataDirs: ['/usr/share/elasticsearch/data', '/bitnami/elasticsearch/data'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*path\.data\s*:\s*\[?\s*PATH`),
    ports: [9200, 9300],
    serverEnv: ['ES_JAVA_OPTS', 'ELASTIC_PASSWORD'],
  },
  {
    engine: 'opensearch',
    images: ['opensearch'],
    dataDirs: ['/usr/share/opensearch/data', '/bitnami/opensearch/data'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*path\.data\s*:\s*\[?\s*PATH`),
    ports: [9200, 9300],
    serverEnv: ['OPENSEARCH_JAVA_OPTS', 'OPENSEARCH_INITIAL_ADMIN_PASSWORD'],
  },
  {
    engine: 'etcd',
    images: ['etcd'],
    dataDirs: ['/var/lib/etcd', '/etcd-data', '/bitnami/etcd'],
    dataDirEnv: ['ETCD_DATA_DIR'],
    dataDirFlags: ['--data-dir'],
    quorum: true,
    configDataDir: setting(String.raw`^[ \t]*data-dir\s*:\s*PATH`),
    ports: [2379, 2380],
    serverEnv: ['ETCD_INITIAL_CLUSTER', 'ETCD_DATA_DIR', 'ETCD_INITIAL_CLUSTER_TOKEN', 'ETCD_LISTEN_PEER_URLS'],
    notServer: /^(etcdctl|etcdutl)$/,
  },
  {
    engine: 'zookeeper',
    images: ['zookeeper', 'cp-zookeeper', 'kubernetes-zookeeper', 'k8szk'],
    dataDirs: ['/data', '/var/lib/zookeeper', '/bitnami/zookeeper'],
    dataDirEnv: ['ZOO_DATA_DIR', 'ZOOKEEPER_DATA_DIR'],
    dataDirFlags: ['--data_dir', '--data-dir'],
    quorum: true,
    configDataDir: setting(String.raw`^[ \t]*dataDir\s*=\s*PATH`),
    ports: [2181, 2888, 3888],
    serverEnv: ['ZOO_MY_ID', 'ZOO_SERVERS', 'ZOO_DATA_DIR', 'ZOOKEEPER_SERVER_ID', 'ZOOKEEPER_SERVERS'],
    notServer: /^(zkCli\.sh|zookeeper-shell)$/,
  },
  {
    engine: 'kafka',
    images: ['kafka', 'cp-kafka', 'cp-server'],
    dataDirs: ['/var/lib/kafka', '/bitnami/kafka', '/var/lib/kafka/data', '/tmp/kafka-logs'],
    dataDirEnv: ['KAFKA_LOG_DIRS', 'KAFKA_CFG_LOG_DIRS'],
    dataDirFlags: [],
    quorum: false,
    configDataDir: setting(String.raw`^[ \t]*log\.dirs?\s*=\s*PATH`),
    ports: [9092],
    serverEnv: ['KAFKA_BROKER_ID', 'KAFKA_NODE_ID', 'KAFKA_PROCESS_ROLES', 'KAFKA_CFG_NODE_ID', 'KAFKA_CFG_PROCESS_ROLES', 'KAFKA_LOG_DIRS', 'KAFKA_CFG_LOG_DIRS'],
    notServer: /^(kafka-topics|kafka-console-(producer|consumer)|kafka-configs|connect-distributed|connect-standalone|kafka-mirror-maker)(\.sh)?$/,
  },
  {
    engine: 'consul',
    images: ['consul'],
    dataDirs: ['/consul/data', '/bitnami/consul'],
    dataDirEnv: [],
    dataDirFlags: ['-data-dir', '--data-dir'],
    quorum: true,
    configDataDir: setting(String.raw`data_dir"?\s*[:=]\s*PATH`),
  },
  {
    engine: 'cockroachdb',
    images: ['cockroach', 'cockroachdb'],
    dataDirs: ['/cockroach/cockroach-data'],
    dataDirEnv: [],
    dataDirFlags: ['--store', '-s'],
    quorum: false,
    // Ranges are replicated 3 times by default (zone configurations, set in SQL, change it).
    copyQuorum: { defaultReplicationFactor: 3 },
  },
  {
    engine: 'clickhouse',
    images: ['clickhouse', 'clickhouse-server'],
    dataDirs: ['/var/lib/clickhouse', '/bitnami/clickhouse'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
    configDataDir: setting(String.raw`<path>\s*PATH`),
  },
  {
    engine: 'influxdb',
    images: ['influxdb'],
    dataDirs: ['/var/lib/influxdb2', '/var/lib/influxdb', '/bitnami/influxdb'],
    dataDirEnv: ['INFLUXD_ENGINE_PATH'],
    dataDirFlags: ['--engine-path'],
    quorum: false,
    ports: [8086],
    serverEnv: ['DOCKER_INFLUXDB_INIT_MODE', 'INFLUXD_ENGINE_PATH', 'INFLUXD_BOLT_PATH'],
  },
  {
    engine: 'neo4j',
    images: ['neo4j'],
    dataDirs: ['/data', '/bitnami/neo4j'],
    dataDirEnv: [],
    dataDirFlags: [],
    quorum: false,
    ports: [7687],
    serverEnv: ['NEO4J_AUTH'],
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
    dataDirEnv: ['RABBITMQ_MNESIA_BASE', 'RABBITMQ_MNESIA_DIR'],
    dataDirFlags: [],
    quorum: false,
    ports: [5672],
    serverEnv: ['RABBITMQ_ERLANG_COOKIE', 'RABBITMQ_NODENAME', 'RABBITMQ_MNESIA_BASE'],
    notServer: /^(rabbitmqctl|rabbitmqadmin|rabbitmq-diagnostics)$/,
  },
];

const BY_IMAGE = new Map<string, DatabaseEngineInfo>();
for (const engine of DATABASE_ENGINES) for (const image of engine.images) BY_IMAGE.set(image, engine);

/** The image reference without registry-independent noise: digest and tag removed, lower-cased. */
function repositoryPath(image: unknown): string | undefined {
  if (typeof image !== 'string' || image.trim() === '') return undefined;
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  return ref.toLowerCase() || undefined;
}

/** The tag of an image reference (`docker.io/library/postgres:16.4@sha256:..` → `16.4`), undefined when it has none. */
export function imageTag(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') && colon < ref.length - 1 ? ref.slice(colon + 1) : undefined;
}

/** The repository name of an image: `docker.io/bitnami/postgresql:16@sha256:..` → `postgresql`. */
export function imageRepositoryName(image: unknown): string | undefined {
  const path = repositoryPath(image);
  const name = path?.slice(path.lastIndexOf('/') + 1);
  return name || undefined;
}

/** Version and distribution suffixes of repository names: `-16`, `-1011`, `-c9s`, `-centos7`, `-rhel9`, `-ubi8`, `-alpine`. */
const SUFFIX = /-(\d[\w.]*|c\d+s|centos\d*|rhel\d*|ubi\d*|el\d+|alpine|debian|bookworm|bullseye)$/;

/**
 * The repository name as the list of images knows it: `rhel9/postgresql-16` → `postgresql`,
 * `centos/postgresql-96-centos7` → `postgresql`, `sclorg/mariadb-1011-c9s` → `mariadb`. Names that
 * are something else with a database's name in them (`postgres-exporter`) keep their suffix.
 */
export function normalizedRepositoryName(image: unknown): string | undefined {
  let name = imageRepositoryName(image);
  for (let i = 0; name && i < 3 && !BY_IMAGE.has(name); i++) {
    const stripped = name.replace(SUFFIX, '');
    if (stripped === name || stripped === '') break;
    name = stripped;
  }
  return name;
}

/** The engine a container image runs, if the list of images names it. */
export function databaseEngineOf(image: unknown): DatabaseEngineInfo | undefined {
  const path = repositoryPath(image);
  if (path === undefined) return undefined;
  const segments = path.split('/');
  const lastTwo = segments.slice(-2).join('/');
  if (segments.length >= 2 && BY_IMAGE.has(lastTwo)) return BY_IMAGE.get(lastTwo);
  const name = normalizedRepositoryName(image);
  return name === undefined ? undefined : BY_IMAGE.get(name);
}

/** What a container runs as far as databases go, and how sure the manifest makes it. */
export interface EngineMatch {
  readonly engine: DatabaseEngineInfo;
  /** `image`: the list of images names it; `convention`: a server-only env var and its server port. */
  readonly evidence: 'image' | 'convention';
}

/** Start scripts that say which server an image runs. */
const ROLES: Array<{ program: RegExp; engine: string }> = [
  { program: /^(zookeeper-server-start(\.sh)?|zkServer\.sh)$/, engine: 'zookeeper' },
  { program: /^kafka-server-start(\.sh)?$/, engine: 'kafka' },
];

const SHELLS = /^(sh|bash|ash|dash|zsh|tini|dumb-init|gosu|su-exec|exec|env|-c|-ec|-ex|-xc|-exc|-euc|-eu|-e|-x|--)$/;

/** The program a container starts: the first word of its argv that is not a shell or init wrapper. */
function program(argv: string[]): string | undefined {
  for (const arg of argv) {
    for (const word of arg.trim().split(/\s+/)) {
      const base = word.slice(word.lastIndexOf('/') + 1);
      if (base === '' || SHELLS.test(base)) continue;
      return base;
    }
  }
  return undefined;
}

/**
 * The engine a main container runs as its data server: by its image, else by its conventions
 * (a server-only env var AND a server port). A container of a database image that runs a client
 * or a sentinel (`redis-sentinel`, `psql`, `nodetool`...) is not a data server.
 */
export function detectEngine(image: unknown, envNames: readonly string[], ports: readonly number[],
  argv: readonly string[]): EngineMatch | undefined {
  let match: EngineMatch | undefined;
  const engine = databaseEngineOf(image);
  if (engine) {
    match = { engine, evidence: 'image' };
  } else if (envNames.length > 0 && ports.length > 0) {
    const names = new Set(envNames);
    const found = DATABASE_ENGINES.find(e => e.serverEnv?.some(n => names.has(n)) && e.ports?.some(p => ports.includes(p)));
    if (found) match = { engine: found, evidence: 'convention' };
  }
  if (!match) return undefined;
  const run = program([...argv]);
  // An image that ships several servers runs the one its command starts (a Kafka image running ZooKeeper).
  const role = run === undefined ? undefined : ROLES.find(r => r.program.test(run));
  if (role && role.engine !== match.engine.engine) {
    match = { engine: DATABASE_ENGINES.find(e => e.engine === role.engine)!, evidence: match.evidence };
  }
  if (!match.engine.notServer) return match;
  if (run !== undefined && match.engine.notServer.test(run)) return undefined;
  if (argv.some(a => a.split(/\s+/).some(w => match!.engine.notServer!.test(w) && w.startsWith('--')))) return undefined;
  return match;
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

/** Where a container keeps its data, and what says so. */
export interface DataDirEvidence {
  /** The data directories (any one of them on a persistent volume is enough). */
  readonly dirs: string[];
  /** What moved the data directory from the engine's defaults (`PGDATA=/pgdata`, `--dir /srv`, `dir /srv in ConfigMap 'redis'`). */
  readonly movedBy?: string;
  /** Whether the move comes from a configuration file (which the server may or may not read): weaker evidence. */
  readonly fromConfig?: boolean;
}

function flagValue(argv: string[], flags: string[]): { flag: string; value: string } | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (!flags.some(f => argv[i].includes(f))) continue;
    // `sh -c "redis-server --dir /srv"`: a script is a list of words too.
    const words = argv[i].includes(' ') ? argv[i].trim().split(/\s+/) : [argv[i]];
    const next = (j: number) => (j + 1 < words.length ? words[j + 1] : words.length === 1 ? argv[i + 1] : undefined);
    for (let j = 0; j < words.length; j++) {
      for (const flag of flags) {
        let value: string | undefined;
        if (words[j] === flag) value = next(j);
        else if (words[j].startsWith(`${flag}=`)) value = words[j].slice(flag.length + 1);
        if (value === undefined) continue;
        value = value.replace(/^["']|["']$/g, '').replace(/^path=/, '').split(',')[0];
        if (value.startsWith('/')) return { flag, value };
      }
    }
  }
  return undefined;
}

/** How a copy-quorum engine's replication factor is found, and what it is when nothing says. */
export interface CopyQuorum {
  /** The replication factor when the manifests do not say (the engine's or the common default). */
  readonly defaultReplicationFactor: number;
  /** A setting of its configuration files that declares the replication factor (group 1: the number). */
  readonly replicationFactorSetting?: RegExp;
}

/** The replication factor of a copy-quorum engine: from its mounted configuration files, else the default. */
export function replicationFactorEvidence(quorum: CopyQuorum,
  configFiles: readonly ConfigFile[]): { readonly factor: number; readonly declaredBy?: string } {
  for (const file of quorum.replicationFactorSetting ? configFiles : []) {
    const m = quorum.replicationFactorSetting!.exec(file.text);
    const factor = m ? Number(m[1]) : NaN;
    if (Number.isInteger(factor) && factor >= 1) return { factor, declaredBy: `${m![0].trim()} in ${file.source}` };
  }
  return { factor: quorum.defaultReplicationFactor };
}

/** A configuration file of a mounted ConfigMap: where it comes from, and its text. */
export interface ConfigFile {
  readonly source: string;
  readonly text: string;
}

/**
 * The data directories a container of this engine uses: from its literal environment, its flags,
 * or the configuration files mounted from ConfigMaps of the input, else the engine's defaults.
 */
export function dataDirEvidence(engine: DatabaseEngineInfo, env: Map<string, string>, argv: string[],
  configFiles: readonly ConfigFile[] = []): DataDirEvidence {
  for (const name of engine.dataDirEnv) {
    const value = env.get(name);
    if (value && value.startsWith('/')) {
      const dir = value.split(',')[0].trim();
      return { dirs: [dir], movedBy: `${name}=${dir}` };
    }
  }
  const flag = flagValue(argv, engine.dataDirFlags);
  if (flag) return { dirs: [flag.value], movedBy: `${flag.flag} ${flag.value}` };
  if (engine.configDataDir) {
    for (const file of configFiles) {
      if (!mayHold(engine.configDataDir, file.text)) continue;
      const m = engine.configDataDir.exec(file.text);
      if (m) return { dirs: [m[1]], movedBy: `${m[0].trim().replace(/\s+/g, ' ')} in ${file.source}`, fromConfig: true };
    }
  }
  return { dirs: engine.dataDirs };
}

/** The data directories a container of this engine uses (see `dataDirEvidence`). */
export function dataDirsOf(engine: DatabaseEngineInfo, env: Map<string, string>, argv: string[]): string[] {
  return dataDirEvidence(engine, env, argv).dirs;
}

/**
 * Whether a Redis-like server keeps nothing on disk: RDB snapshots off (`--save ""`, `save ""` in
 * its config, Bitnami `REDIS_RDB_POLICY_DISABLED=yes` with `REDIS_AOF_ENABLED=no`) and the
 * append-only file not turned on.
 * `unknown` when only the append-only file is turned off (`--appendonly no`): the default
 * snapshots may still be written, or a config the manifest does not show may disable them.
 */
export function persistenceOff(engine: DatabaseEngineInfo, env: Map<string, string>, argv: string[], configFiles: ReadonlyArray<{ text: string }>): boolean | 'unknown' {
  if (engine.engine !== 'redis' && engine.engine !== 'valkey') return false;
  const prefix = engine.engine === 'redis' ? 'REDIS' : 'VALKEY';
  const script = argv.join(' ');
  const texts = configFiles.map(f => f.text);
  const aofOn = /--appendonly\s+["']?yes/.test(script) || texts.some(t => /^[ \t]*appendonly[ \t]+["']?yes/m.test(t)) || /^(yes|true)$/i.test(env.get(`${prefix}_AOF_ENABLED`) ?? '');
  if (aofOn) return false;
  const saveIndex = argv.indexOf('--save');
  const rdbOff = (saveIndex >= 0 && /^(|""|'')$/.test(argv[saveIndex + 1] ?? 'x'))
    || /--save\s+(""|'')(\s|$)/.test(script)
    || texts.some(t => /^\s*save\s+(""|'')\s*$/m.test(t))
    // Bitnami images turn the append-only file on by default: both settings are needed there.
    || (/^(yes|true)$/i.test(env.get(`${prefix}_RDB_POLICY_DISABLED`) ?? '') && /^(no|false)$/i.test(env.get(`${prefix}_AOF_ENABLED`) ?? ''));
  if (rdbOff) return true;
  const aofOff = /--appendonly\s+["']?no/.test(script) || /^(no|false)$/i.test(env.get(`${prefix}_AOF_ENABLED`) ?? '');
  return aofOff ? 'unknown' : false;
}
