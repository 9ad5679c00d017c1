/**
 * The ZooKeeper ensemble: a static `zoo.cfg` listing every member as `server.N` (N = ordinal + 1)
 * through the headless Service, and a start script that writes `myid` (ordinal + 1) into the data
 * directory before it starts the server in the foreground.
 *
 * @see https://zookeeper.apache.org/doc/r3.9.3/zookeeperAdmin.html#sc_zkMulitServerSetup
 * @see https://zookeeper.apache.org/doc/r3.9.3/zookeeperAdmin.html#sc_configuration
 */
import { k8s } from 'cdk8s-plus-28';
import { ConsensusInput, ConsensusPlan, port, servicePort } from './consensus-plan';
import { memberHost } from './member-set';

export const ZK_CLIENT_PORT = 2181;
/** Followers connect to the leader here. */
export const ZK_QUORUM_PORT = 2888;
/** Leader election. */
export const ZK_ELECTION_PORT = 3888;
/** Where the claim is mounted. */
export const ZK_MOUNT = '/data';
/** `dataDir`: snapshots and `myid`. */
export const ZK_DATA_DIR = `${ZK_MOUNT}/snapshot`;
/** `dataLogDir`: the transaction log, on the same claim (see the README for why one claim). */
export const ZK_DATA_LOG_DIR = `${ZK_MOUNT}/txnlog`;
/** Where the ConfigMap (`zoo.cfg`, `logback.xml`) is mounted: `ZOOCFGDIR`. */
export const ZK_CONF_DIR = '/conf';
/** The official image's `zookeeper` user and group (its entrypoint drops to it from root; here the pod starts as it). */
export const ZK_UID = 1000;

/** The `server.N` line of member `ordinal`. */
export function serverLine(name: string, ordinal: number): string {
  return `server.${ordinal + 1}=${memberHost(name, ordinal)}:${ZK_QUORUM_PORT}:${ZK_ELECTION_PORT}`;
}

/** zoo.cfg of an ensemble of `replicas` members. */
export function zooCfg(name: string, replicas: number): string {
  return [
    `# ZooKeeper ensemble '${name}' (${replicas} member${replicas === 1 ? '' : 's'}), rendered by cdk8s-stateful.`,
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${ZK_DATA_DIR}`,
    `dataLogDir=${ZK_DATA_LOG_DIR}`,
    `clientPort=${ZK_CLIENT_PORT}`,
    'maxClientCnxns=60',
    // Without purging, snapshots and transaction logs fill the claim: keep 3, purge hourly.
    'autopurge.snapRetainCount=3',
    'autopurge.purgeInterval=1',
    // The probes speak the four-letter words; nothing else is enabled.
    '4lw.commands.whitelist=ruok,srvr,mntr',
    // The AdminServer answers HTTP 200 even when the member serves nothing: not a health signal.
    'admin.enableServer=false',
    // A member binds its quorum and election ports before its own DNS name resolves.
    'quorumListenOnAllIPs=true',
    // Membership is this static list; a change rolls the members (the config hash).
    'reconfigEnabled=false',
    ...Array.from({ length: replicas }, (_, i) => serverLine(name, i)),
    '',
  ].join('\n');
}

/** Console logging at INFO (the image's own logback.xml is hidden by the ConfigMap mount). */
export const LOGBACK_XML = `<configuration>
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} [myid:%X{myid}] %-5p [%t:%C{1}@%L] - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="CONSOLE"/></root>
</configuration>
`;

/**
 * The start script: `myid` is the ordinal of the pod name plus one, written at every start (the
 * ordinal IS the identity; a stale file from another identity would be wrong), then the server.
 */
export const ZK_START_SCRIPT = [
  'set -eu',
  'ordinal="${HOSTNAME##*-}"',
  'case "$ordinal" in',
  "  ''|*[!0-9]*) echo \"zookeeper-start: pod name $HOSTNAME has no ordinal\" >&2; exit 1 ;;",
  'esac',
  'mkdir -p "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR" "$ZOO_LOG_DIR"',
  'echo "$((ordinal + 1))" > "$ZOO_DATA_DIR/myid"',
  'exec zkServer.sh start-foreground',
].join('\n');

/** A four-letter word on the client port, answered on loopback (bash's /dev/tcp: no nc in the image). */
function fourLetterWord(word: string, expect: string): string[] {
  return ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${ZK_CLIENT_PORT} && printf ${word} >&3 && grep -q '${expect}' <&3`];
}

export interface ZooKeeperSettings {
  readonly image: string;
}

export function renderZooKeeper(input: ConsensusInput, settings: ZooKeeperSettings): ConsensusPlan {
  const name = input.members.name;
  // Heap: half the memory limit; the rest is metaspace, direct buffers, threads and page cache.
  const heapMib = Math.max(64, Math.floor(input.members.memoryLimitMib / 2));
  const container: k8s.Container = {
    name: 'zookeeper',
    image: settings.image,
    command: ['bash', '-c', ZK_START_SCRIPT],
    env: [
      { name: 'ZOOCFGDIR', value: ZK_CONF_DIR },
      { name: 'ZOO_DATA_DIR', value: ZK_DATA_DIR },
      { name: 'ZOO_DATA_LOG_DIR', value: ZK_DATA_LOG_DIR },
      { name: 'ZOO_LOG_DIR', value: '/tmp/logs' },
      { name: 'ZK_SERVER_HEAP', value: String(heapMib) },
    ],
    ports: [port('client', ZK_CLIENT_PORT), port('quorum', ZK_QUORUM_PORT), port('election', ZK_ELECTION_PORT)],
    volumeMounts: [
      { name: 'data', mountPath: ZK_MOUNT },
      { name: 'config', mountPath: ZK_CONF_DIR, readOnly: true },
      // The JVM's hsperfdata and the log directory: the root filesystem is read-only.
      { name: 'tmp', mountPath: '/tmp' },
    ],
    // ruok: the process answers (no quorum needed, so a member waiting for peers is not killed).
    // srvr: it serves requests, as leader, follower or standalone; without a quorum it answers
    // "This ZooKeeper instance is not currently serving requests".
    startupProbe: { exec: { command: fourLetterWord('ruok', 'imok') }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 },
    livenessProbe: { exec: { command: fourLetterWord('ruok', 'imok') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
    readinessProbe: { exec: { command: fourLetterWord('srvr', '^Mode: ') }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
  };
  const connect = Array.from({ length: input.replicas }, (_, i) => `${memberHost(name, i)}:${ZK_CLIENT_PORT}`).join(',');
  return {
    engineName: 'zookeeper',
    uid: ZK_UID,
    containers: [container],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } }],
    headlessPorts: [servicePort('client', ZK_CLIENT_PORT), servicePort('quorum', ZK_QUORUM_PORT), servicePort('election', ZK_ELECTION_PORT)],
    clientPorts: [servicePort('client', ZK_CLIENT_PORT)],
    configFiles: { 'zoo.cfg': zooCfg(name, input.replicas), 'logback.xml': LOGBACK_XML },
    clientPort: ZK_CLIENT_PORT,
    connectionString: connect,
  };
}
