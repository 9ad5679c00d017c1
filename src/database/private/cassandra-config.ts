/**
 * The Cassandra ring: a `cassandra.yaml` rendered here (not edited by the official image's
 * docker-entrypoint.sh, which rewrites the file in place with sed and so needs a writable
 * /etc/cassandra), `cassandra-rackdc.properties` for GossipingPropertyFileSnitch, a console-only
 * `logback.xml`, and the container that starts `cassandra -f` with them.
 *
 * @see https://cassandra.apache.org/doc/5.0/cassandra/managing/configuration/cass_yaml_file.html
 * @see https://cassandra.apache.org/doc/5.0/cassandra/managing/configuration/cass_rackdc_file.html
 */
import { k8s } from 'cdk8s-plus-28';
import { memberHost, ResolvedMembers } from './member-set';

/** CQL (native transport). */
export const CASSANDRA_CQL_PORT = 9042;
/** Internode messaging and gossip. */
export const CASSANDRA_STORAGE_PORT = 7000;
/** The claim: data, commit log, hints, saved caches. */
export const CASSANDRA_DATA = '/var/lib/cassandra';
/** Where the ConfigMap is mounted (read-only; the image's /etc/cassandra is left as shipped). */
export const CASSANDRA_RENDERED_CONF = '/etc/cassandra-rendered';
/** The official image's `cassandra` user and group. */
export const CASSANDRA_UID = 999;
/** How many members are seeds: Cassandra's guidance is a few per datacenter, never all. */
export const MAX_SEEDS = 3;

/** The facts the renderer needs. */
export interface CassandraSettings {
  readonly members: ResolvedMembers;
  readonly replicas: number;
  readonly image: string;
  readonly clusterName: string;
  readonly datacenter: string;
  readonly rack: string;
  readonly numTokens: number;
  readonly replicationFactor: number;
}

/** The seeds: the first min(3, members) members by their stable names. */
export function seedHosts(name: string, replicas: number): string[] {
  return Array.from({ length: Math.min(MAX_SEEDS, replicas) }, (_, i) => memberHost(name, i));
}

/**
 * The heap: half the memory limit, capped at 8 GiB (the cap of cassandra-env.sh's own
 * formula), since the other half is off-heap memory (bloom filters, compression metadata,
 * network buffers) and page cache. cassandra-env.sh would size it from `free`, which shows the
 * node's memory, not the container's limit.
 */
export function heapMib(memoryLimitMib: number): number {
  return Math.min(8192, Math.floor(memoryLimitMib / 2));
}

/** YAML string literal (single-quoted). */
function q(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** cassandra.yaml of the ring. */
export function cassandraYaml(s: CassandraSettings): string {
  const seeds = seedHosts(s.members.name, s.replicas).join(',');
  return [
    `# Cassandra ring '${s.members.name}' (${s.replicas} member${s.replicas === 1 ? '' : 's'}), rendered by cdk8s-stateful.`,
    `cluster_name: ${q(s.clusterName)}`,
    `num_tokens: ${s.numTokens}`,
    // The token allocator places each new member's tokens for an even load at this RF.
    `allocate_tokens_for_local_replication_factor: ${s.replicationFactor}`,
    'partitioner: org.apache.cassandra.dht.Murmur3Partitioner',
    // dc and rack come from cassandra-rackdc.properties; gossip carries them to the peers.
    'endpoint_snitch: GossipingPropertyFileSnitch',
    'seed_provider:',
    '  - class_name: org.apache.cassandra.locator.SimpleSeedProvider',
    '    parameters:',
    `      - seeds: ${q(seeds)}`,
    // listen_address and rpc_address are left unset: Cassandra uses InetAddress.getLocalHost(),
    // the pod name, which the kubelet's /etc/hosts maps to the pod IP.
    `storage_port: ${CASSANDRA_STORAGE_PORT}`,
    'start_native_transport: true',
    `native_transport_port: ${CASSANDRA_CQL_PORT}`,
    'data_file_directories:',
    `  - ${CASSANDRA_DATA}/data`,
    `commitlog_directory: ${CASSANDRA_DATA}/commitlog`,
    `saved_caches_directory: ${CASSANDRA_DATA}/saved_caches`,
    `hints_directory: ${CASSANDRA_DATA}/hints`,
    `cdc_raw_directory: ${CASSANDRA_DATA}/cdc_raw`,
    'commitlog_sync: periodic',
    'commitlog_sync_period: 10000ms',
    'commitlog_segment_size: 32MiB',
    'disk_failure_policy: stop',
    'commit_failure_policy: stop',
    'hinted_handoff_enabled: true',
    'max_hint_window: 3h',
    'authenticator: AllowAllAuthenticator',
    'authorizer: AllowAllAuthorizer',
    '',
  ].join('\n');
}

/** cassandra-rackdc.properties: this member's datacenter and rack. */
export function rackdcProperties(datacenter: string, rack: string): string {
  return `dc=${datacenter}\nrack=${rack}\n`;
}

/**
 * Console logging at INFO (read with `kubectl logs`): the image's logback.xml keeps up to 5 GB of
 * system.log and debug.log on the filesystem, which would overflow the logs emptyDir.
 */
export const CASSANDRA_LOGBACK_XML = `<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
  <logger name="org.apache.cassandra" level="INFO"/>
</configuration>
`;

/**
 * The start script: a seed must resolve its own name through the headless Service (published
 * before Ready) or it does not know it is a seed, so it waits up to 60 s for its DNS record, then
 * runs the image's launcher in the foreground with the rendered files.
 */
export function startScript(headlessService: string): string {
  return [
    'set -eu',
    'i=0',
    `until getent hosts "$HOSTNAME.${headlessService}" >/dev/null; do`,
    '  i=$((i + 1)); [ "$i" -ge 30 ] && break; sleep 2',
    'done',
    'exec cassandra -f'
      + ` -Dcassandra.config=file://${CASSANDRA_RENDERED_CONF}/cassandra.yaml`
      + ` -Dcassandra-rackdc.properties=file://${CASSANDRA_RENDERED_CONF}/cassandra-rackdc.properties`
      + ` -Dlogback.configurationFile=${CASSANDRA_RENDERED_CONF}/logback.xml`,
  ].join('\n');
}

function port(name: string, containerPort: number): k8s.ContainerPort {
  return { name, containerPort, protocol: 'TCP' };
}

/** The Cassandra container. */
export function cassandraContainer(s: CassandraSettings, headlessService: string): k8s.Container {
  const heap = heapMib(s.members.memoryLimitMib);
  return {
    name: 'cassandra',
    image: s.image,
    // Not the image's docker-entrypoint.sh: it edits /etc/cassandra/cassandra.yaml with sed.
    command: ['bash', '-c', startScript(headlessService)],
    env: [
      { name: 'MAX_HEAP_SIZE', value: `${heap}M` },
      // Used by cassandra-env.sh only with CMS; set in pairs as it asks.
      { name: 'HEAP_NEWSIZE', value: `${Math.min(800, Math.floor(heap / 4))}M` },
      { name: 'CASSANDRA_LOG_DIR', value: '/var/log/cassandra' },
    ],
    ports: [port('cql', CASSANDRA_CQL_PORT), port('intra-node', CASSANDRA_STORAGE_PORT)],
    volumeMounts: [
      { name: 'data', mountPath: CASSANDRA_DATA },
      { name: 'config', mountPath: CASSANDRA_RENDERED_CONF, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'logs', mountPath: '/var/log/cassandra' },
    ],
    // The storage port binds once the commit log is replayed, before bootstrap streaming (which
    // may take hours and must not be killed); CQL opens only once the member has joined the ring
    // (bootstrap done, state NORMAL) and closes on `nodetool drain`.
    startupProbe: { tcpSocket: { port: k8s.IntOrString.fromString('intra-node') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 90 },
    livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('intra-node') }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
    readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('cql') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
    lifecycle: {
      // Flush memtables, stop accepting writes and tell the peers, before SIGTERM.
      preStop: { exec: { command: ['nodetool', 'drain'] } },
    },
  };
}
