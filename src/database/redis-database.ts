import { ApiObject, Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterMemberProps } from './cluster-member-props';
import { checkDuration } from './private/database-cron';
import { imageRepository } from './private/database-image';
import { memberHost, renderMemberSet, resolveMemberProps, tolerableFailures } from './private/member-set';
import { defaultMaxMemoryBytes, redisScripts, renderRedisConf, renderSentinelConf } from './private/redis-config';
import { RedisPersistence } from './redis-persistence';
import { fail, subject } from '../internal/errors';
import { markLibraryConstruct } from '../internal/library-marker';
import { checkDnsSubdomain, checkInteger, checkOneOf } from '../internal/validate';
import { renderSize } from '../storage/private/claim-spec';

/**
 * What Redis evicts when it reaches `maxmemory` (`maxmemory-policy`).
 * @see https://redis.io/docs/latest/develop/reference/eviction/
 */
export enum RedisEvictionPolicy {
  /** Evict nothing: writes fail with an OOM error (a database must not drop keys). */
  NO_EVICTION = 'noeviction',
  /** The least recently used keys, of all keys (the usual cache). */
  ALLKEYS_LRU = 'allkeys-lru',
  /** The least frequently used keys, of all keys. */
  ALLKEYS_LFU = 'allkeys-lfu',
  /** Random keys, of all keys. */
  ALLKEYS_RANDOM = 'allkeys-random',
  /** The least recently used keys, of keys with a TTL. */
  VOLATILE_LRU = 'volatile-lru',
  /** The least frequently used keys, of keys with a TTL. */
  VOLATILE_LFU = 'volatile-lfu',
  /** Random keys, of keys with a TTL. */
  VOLATILE_RANDOM = 'volatile-random',
  /** The keys closest to expiring, of keys with a TTL. */
  VOLATILE_TTL = 'volatile-ttl',
}

/** Props of `RedisDatabase`. */
export interface RedisDatabaseProps extends ClusterMemberProps {
  /**
   * Version of the official `redis` image, 7.0 or later (Sentinel's host name support and the
   * multi-part append-only file), e.g. `7.4.2`. Only numeric versions: a tag such as `latest`
   * would change the server under a running StatefulSet.
   */
  readonly version: string;
  /**
   * Image repository, for a mirror of the official image (the tag is always `version`).
   * @default 'redis' (the official Docker Hub image)
   */
  readonly repository?: string;
  /**
   * Number of members: 1 = a standalone server (no Sentinel); 3 or more (odd) = a primary and
   * replicas, each member with a Sentinel sidecar that promotes a replica when the primary fails.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * How the data is kept on the claims, or `RedisPersistence.none()` for a cache.
   * @default - RedisPersistence.appendOnlyAndSnapshots(): the append-only file (fsync every
   * second) and Redis' default snapshot points
   */
  readonly persistence?: RedisPersistence;
  /**
   * What is evicted at maxmemory.
   * @default - RedisEvictionPolicy.NO_EVICTION with persistence, RedisEvictionPolicy.ALLKEYS_LRU for a cache
   */
  readonly evictionPolicy?: RedisEvictionPolicy;
  /**
   * Memory for the dataset (`maxmemory`), below the memory limit.
   * @default - half of `resources.memoryLimit` when the server forks (persistence or replicas:
   * a fork copies pages on write), three quarters for a standalone cache
   */
  readonly maxMemory?: Size;
  /**
   * An existing Secret in the namespace holding the password (requirepass, masterauth and the
   * Sentinels' own). The pods read it through `secretKeyRef` only.
   * @default - `<name>-password`
   */
  readonly passwordSecretName?: string;
  /**
   * The key of the password in that Secret.
   * @default 'password'
   */
  readonly passwordSecretKey?: string;
  /**
   * The Sentinel master group name, which clients ask the Sentinels for.
   * @default - the name
   */
  readonly masterName?: string;
  /**
   * How long the primary must be unreachable before a Sentinel thinks it is down
   * (`down-after-milliseconds`); a majority of Sentinels must agree before one promotes a replica.
   * From 1 second to 10 minutes.
   * @default Duration.seconds(10)
   */
  readonly sentinelDownAfter?: Duration;
}

const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;
const UID = 999;
const CONFIG_DIR = '/etc/redis';
const DATA_DIR = '/data';
const RUN_DIR = '/run/redis';

/**
 * Redis on Kubernetes as a StatefulSet: one claim per member, the official image, a password
 * from a Secret, and for 3 or more members a primary with replicas failed over by Redis Sentinel.
 *
 * Why Sentinel: it is Redis' own, long-established high-availability design (no operator, no
 * custom resources, no access to the Kubernetes API): each member runs a Sentinel sidecar, the
 * Sentinels agree by majority (quorum = a majority of the members) that the primary is down, elect
 * a leader, promote the best replica and repoint the others. A member that starts asks the other
 * members' Sentinels for the current primary (`SENTINEL get-master-addr-by-name`; of several
 * answers, the one of the latest failover) and follows it; with no answer it uses its own
 * Sentinel's last known primary on its claim, else ordinal 0 is the primary. A primary stopped on
 * purpose (a rollout, a drain) hands over to a replica in its preStop hook (`SENTINEL FAILOVER`). Members announce their stable host names
 * (`<name>-<i>.<name>-headless.<namespace>.svc`: `replica-announce-ip`, Sentinel
 * `resolve-hostnames` and `announce-hostnames`), so a pod that comes back with a new IP keeps its
 * identity. Clients connect through the Sentinels: the Service `<name>` exposes the Sentinel port
 * (26379) with a replicated set, the Redis port (6379) for a standalone server.
 *
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/replication/
 *
 * @example
 * const sessions = new RedisDatabase(chart, 'sessions', {
 *   version: '7.4.2',
 *   replicas: 3,
 *   storage: { size: Size.gibibytes(10) },
 *   persistence: RedisPersistence.appendOnly(),
 * });
 * // Clients ask the Sentinels at sessions.sentinelServiceName:26379 for master sessions.masterName,
 * // with the password of the Secret sessions.passwordSecretName.
 */
export class RedisDatabase extends Construct {
  /** Name of the StatefulSet (and prefix of every object). */
  public readonly name: string;
  /** The full image reference (`redis:<version>`). */
  public readonly image: string;
  /** Number of members. */
  public readonly replicas: number;
  /** How the data is kept (`keepsData` false: a cache). */
  public readonly persistence: RedisPersistence;
  /** The Redis port (6379). */
  public readonly port: number;
  /** The Sentinel port (26379); undefined for a standalone server. */
  public readonly sentinelPort?: number;
  /** The Sentinel master group name; undefined for a standalone server. */
  public readonly masterName?: string;
  /** The Sentinels that must agree the primary is down (a majority); undefined for a standalone server. */
  public readonly quorum?: number;
  /** `maxmemory` in bytes. */
  public readonly maxMemoryBytes: number;
  /** The eviction policy. */
  public readonly evictionPolicy: RedisEvictionPolicy;
  /** The governing headless Service (`<name>-headless`). */
  public readonly headlessServiceName: string;
  /** The client Service (`<name>`): the Sentinel port when replicated, the Redis port when standalone. */
  public readonly clientServiceName: string;
  /** The client Service when replicated (the Sentinels); undefined for a standalone server. */
  public readonly sentinelServiceName?: string;
  /** The Secret and key of the password. */
  public readonly passwordSecretName: string;
  /** The key of the password in its Secret. */
  public readonly passwordSecretKey: string;
  /** The ConfigMap holding redis.conf, sentinel.conf and the scripts (`<name>-config`). */
  public readonly configMapName: string;
  /** The labels that select the members. */
  public readonly selectorLabels: Record<string, string>;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;

  constructor(scope: Construct, id: string, props: RedisDatabaseProps) {
    super(scope, id);
    markLibraryConstruct(this);
    const who = subject('RedisDatabase', this);
    const members = resolveMemberProps(who, id, props, { terminationGracePeriod: Duration.seconds(60) });
    const name = this.name = members.name;

    const version = props.version;
    const m = typeof version === 'string' ? /^(\d{1,2})\.(\d{1,2})(\.\d{1,3})?$/.exec(version) : null;
    if (!m || Number(m[1]) < 7) fail(who, 'version', version, "a Redis version such as '7.4.2' or '7.2' (7.0 or later)");
    const repository = imageRepository(who, props.repository, 'redis');
    this.image = `${repository}:${version}`;

    const replicas = this.replicas = checkInteger(who, 'replicas', props.replicas ?? 1, 1, 99);
    if (replicas > 1 && replicas % 2 === 0) {
      fail(who, 'replicas', replicas, `1 (standalone) or an odd number of 3 or more: a failover needs a majority of the Sentinels (one per member), and ${replicas} members tolerate no more failures than ${replicas - 1}`);
    }
    const replicated = replicas > 1;

    const persistence = this.persistence = props.persistence ?? RedisPersistence.appendOnlyAndSnapshots();
    if (!(persistence instanceof RedisPersistence)) fail(who, 'persistence', persistence, 'RedisPersistence.appendOnly(), .snapshots(), .appendOnlyAndSnapshots() or .none()');
    const rendering = persistence._render();
    this.evictionPolicy = checkOneOf(who, 'evictionPolicy', props.evictionPolicy
      ?? (rendering.keepsData ? RedisEvictionPolicy.NO_EVICTION : RedisEvictionPolicy.ALLKEYS_LRU), Object.values(RedisEvictionPolicy));

    const limitBytes = members.memoryLimitMib * 1024 * 1024;
    if (props.maxMemory === undefined) {
      this.maxMemoryBytes = defaultMaxMemoryBytes(members.memoryLimitMib, rendering.keepsData || replicated);
    } else {
      if (!(props.maxMemory instanceof Size)) fail(who, 'maxMemory', props.maxMemory, 'a Size such as Size.mebibytes(512)');
      const quantity = renderSize(who, 'maxMemory', props.maxMemory);
      const bytes = Math.floor(props.maxMemory.toKibibytes() * 1024);
      if (!(bytes >= 16 * 1024 * 1024 && bytes < limitBytes)) {
        fail(who, 'maxMemory', quantity, `at least 16Mi and below the memory limit (${members.limits.memory}): the server needs memory beyond its dataset`);
      }
      this.maxMemoryBytes = bytes;
    }

    this.passwordSecretName = checkDnsSubdomain(who, 'passwordSecretName', props.passwordSecretName ?? `${name}-password`);
    this.passwordSecretKey = checkSecretKey(who, 'passwordSecretKey', props.passwordSecretKey ?? 'password');
    let sentinel: { masterName: string; downAfterMs: number; failoverTimeoutMs: number } | undefined;
    if (replicated) {
      const masterName = props.masterName ?? name;
      if (typeof masterName !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(masterName)) {
        fail(who, 'masterName', masterName, "a name of letters, digits, '.', '_' and '-' (at most 64 characters)");
      }
      const downAfterS = checkDuration(who, 'sentinelDownAfter', props.sentinelDownAfter ?? Duration.seconds(10), 1, 600);
      // Sentinel's failover-timeout bounds a failover and spaces retries: six detection periods, at least 10 s.
      sentinel = { masterName, downAfterMs: downAfterS * 1000, failoverTimeoutMs: Math.max(10, 6 * downAfterS) * 1000 };
      this.masterName = masterName;
      this.quorum = Math.floor(replicas / 2) + 1;
      this.sentinelPort = SENTINEL_PORT;
    } else {
      if (props.masterName !== undefined) fail(who, 'masterName', props.masterName, 'unset for a standalone server (replicas 1 runs no Sentinel)');
      if (props.sentinelDownAfter !== undefined) fail(who, 'sentinelDownAfter', props.sentinelDownAfter, 'unset for a standalone server (replicas 1 runs no Sentinel)');
    }
    this.port = REDIS_PORT;

    const plan = { name, persistence: rendering, maxMemoryBytes: this.maxMemoryBytes, evictionPolicy: this.evictionPolicy, sentinel };
    const configFiles: Record<string, string> = { 'redis.conf': renderRedisConf(plan), ...redisScripts() };
    if (sentinel) configFiles['sentinel.conf'] = renderSentinelConf(plan);

    // The environment both containers read (redis-start.sh, redis-probe.sh).
    const hosts = Array.from({ length: replicas }, (_, i) => `${memberHost(name, i)}.$(POD_NAMESPACE).svc`);
    const env: k8s.EnvVar[] = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: this.passwordSecretName, key: this.passwordSecretKey } } },
      { name: 'REDIS_MEMBERS', value: hosts.join(' ') },
      { name: 'REDIS_PORT', value: String(REDIS_PORT) },
      { name: 'SENTINEL_PORT', value: String(SENTINEL_PORT) },
      { name: 'REDIS_BIND', value: '* -::*' },
      ...(sentinel ? [
        { name: 'REDIS_MASTER_NAME', value: sentinel.masterName },
        { name: 'REDIS_QUORUM', value: String(this.quorum) },
        // A cache member that was the primary waits this long for a promotion.
        { name: 'REDIS_FAILOVER_WAIT', value: String((sentinel.downAfterMs + sentinel.failoverTimeoutMs) / 1000) },
        // The preStop handover waits at most half the grace period, then the server stops anyway.
        { name: 'REDIS_HANDOVER_WAIT', value: String(Math.floor(members.terminationGracePeriodSeconds / 2)) },
      ] : []),
      { name: 'REDIS_KEEPS_DATA', value: rendering.keepsData ? 'yes' : 'no' },
      { name: 'REDIS_CONFIG', value: CONFIG_DIR },
      { name: 'REDIS_DATA', value: DATA_DIR },
      { name: 'REDIS_RUN', value: RUN_DIR },
    ];
    const probe = (what: string) => ({ exec: { command: ['sh', `${CONFIG_DIR}/redis-probe.sh`, what] } });
    const mounts: k8s.VolumeMount[] = [
      { name: 'data', mountPath: DATA_DIR },
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
    ];
    const server: k8s.Container = {
      name: 'redis',
      image: this.image,
      command: ['sh', `${CONFIG_DIR}/redis-start.sh`, ...rendering.args],
      ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
      env,
      volumeMounts: [...mounts, { name: 'run', mountPath: RUN_DIR }],
      // Loading a large AOF takes a while: up to 10 minutes before liveness counts.
      startupProbe: { ...probe('live'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 120 },
      // 60 s: long enough for the Sentinels to repoint a replica after a failover themselves.
      livenessProbe: { ...probe('live'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
      // A replica is Ready only while its link to the primary is up (master_link_status:up).
      readinessProbe: { ...probe('ready'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 2 },
      // A primary that is stopped on purpose (rollout, drain) hands over to a replica first.
      lifecycle: sentinel ? { preStop: probe('handover') } : undefined,
    };
    const containers = [server];
    if (sentinel) {
      containers.push({
        name: 'sentinel',
        image: this.image,
        // `--sentinel`: redis-start.sh runs `redis-server sentinel.conf --sentinel` (and the guards see a Sentinel, not a data server).
        command: ['sh', `${CONFIG_DIR}/redis-start.sh`, '--sentinel'],
        ports: [{ name: 'sentinel', containerPort: SENTINEL_PORT, protocol: 'TCP' }],
        env,
        volumeMounts: mounts,
        startupProbe: { ...probe('sentinel'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 },
        livenessProbe: { ...probe('sentinel'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
        readinessProbe: { ...probe('sentinel'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 2 },
        resources: {
          requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('32Mi') },
          limits: { memory: k8s.Quantity.fromString('64Mi') },
        },
      });
    }

    const redisPort: k8s.ServicePort = { name: 'redis', port: REDIS_PORT, targetPort: k8s.IntOrString.fromString('redis'), protocol: 'TCP' };
    const sentinelPort: k8s.ServicePort = { name: 'sentinel', port: SENTINEL_PORT, targetPort: k8s.IntOrString.fromString('sentinel'), protocol: 'TCP' };
    const set = renderMemberSet(this, {
      members,
      engineName: 'redis',
      component: 'database',
      replicas,
      // Members start together: after a restart of all of them, ordinal 0 may have to follow
      // another member, which OrderedReady would never start.
      podManagementPolicy: 'Parallel',
      uid: UID,
      containers,
      // The rendered redis.conf (it holds the password): in memory, for uid 999 only.
      volumes: [{ name: 'run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } }],
      headlessPorts: sentinel ? [redisPort, sentinelPort] : [redisPort],
      clientPorts: sentinel ? [sentinelPort] : [redisPort],
      configFiles,
      // A Sentinel majority stays up through drains (a standalone server: its one pod may go).
      maxUnavailable: replicated ? tolerableFailures(replicas) : 1,
    });
    this.statefulSet = set.statefulSet;
    this.headlessServiceName = set.headlessServiceName;
    this.clientServiceName = set.clientServiceName!;
    this.sentinelServiceName = replicated ? set.clientServiceName : undefined;
    this.configMapName = set.configMapName!;
    this.selectorLabels = set.selectorLabels;
  }

  /** Names of the members' claims (`data-<name>-<ordinal>`). */
  public get claimNames(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => `data-${this.name}-${i}`);
  }
}

function checkSecretKey(who: string, property: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(value)) fail(who, property, value, "a Secret key of letters, digits, '-', '_' and '.'");
  return value;
}
