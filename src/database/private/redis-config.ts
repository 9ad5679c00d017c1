/**
 * What a RedisDatabase's pods read: the static redis.conf and sentinel.conf of its ConfigMap, the
 * start and probe scripts (assets/redis/), and the sizing of maxmemory. The password is not
 * here: redis-start.sh renders it into the running configuration from the environment.
 */
import * as fs from 'fs';
import * as path from 'path';

/** What a persistence mode renders. */
export interface RedisPersistenceRendering {
  /** Lines of redis.conf. */
  readonly lines: string[];
  /** Arguments of redis-server (visible in the pod spec, for the guards and the reader). */
  readonly args: string[];
  /** Whether the server keeps its data on the claim across restarts. */
  readonly keepsData: boolean;
}

/** The scripts shipped in `assets/redis/`, mounted with the configuration. */
export const REDIS_SCRIPTS = ['redis-start.sh', 'redis-probe.sh'] as const;

let scripts: Record<string, string> | undefined;

/** Contents of the scripts by file name, read once per process. */
export function redisScripts(): Record<string, string> {
  if (scripts) return scripts;
  // src/database/private (lib/database/private once compiled) -> the package root's assets/.
  const dir = path.join(__dirname, '..', '..', '..', 'assets', 'redis');
  scripts = Object.fromEntries(REDIS_SCRIPTS.map(name => [name, fs.readFileSync(path.join(dir, name), 'utf-8')]));
  return scripts;
}

/** What the static configuration is made of. */
export interface RedisConfigPlan {
  readonly name: string;
  readonly persistence: RedisPersistenceRendering;
  readonly maxMemoryBytes: number;
  readonly evictionPolicy: string;
  /** Unset: standalone, no Sentinel. */
  readonly sentinel?: {
    readonly masterName: string;
    readonly downAfterMs: number;
    readonly failoverTimeoutMs: number;
  };
}

/** redis.conf: everything but the password, the addresses and the role, which the start script adds. */
export function renderRedisConf(plan: RedisConfigPlan): string {
  return [
    `# RedisDatabase '${plan.name}' (cdk8s-stateful). redis-start.sh includes this file, then adds`,
    '# port, bind, dir, requirepass, masterauth, replica-announce-ip and replicaof.',
    // requirepass is always set: protected mode (which refuses remote clients without one) adds nothing.
    'protected-mode no',
    ...plan.persistence.lines,
    `maxmemory ${plan.maxMemoryBytes}`,
    `maxmemory-policy ${plan.evictionPolicy}`,
    // Full syncs stream the snapshot over the socket: no RDB file on the primary's claim for it.
    'repl-diskless-sync yes',
    'replica-read-only yes',
    // Logs to stdout, the container's log.
    'logfile ""',
    '',
  ].join('\n');
}

/** sentinel.conf: the settings that follow the `sentinel monitor` line the start script writes. */
export function renderSentinelConf(plan: RedisConfigPlan): string {
  const s = plan.sentinel!;
  return [
    `sentinel down-after-milliseconds ${s.masterName} ${s.downAfterMs}`,
    `sentinel failover-timeout ${s.masterName} ${s.failoverTimeoutMs}`,
    // One replica resyncs from a new primary at a time: the others keep serving reads.
    `sentinel parallel-syncs ${s.masterName} 1`,
    '',
  ].join('\n');
}

/**
 * maxmemory from the container's memory limit: half of it when the server forks (snapshots, AOF
 * rewrites and full syncs of replicas copy pages on write, up to twice the dataset), three
 * quarters for a standalone cache, which never forks.
 */
export function defaultMaxMemoryBytes(memoryLimitMib: number, forks: boolean): number {
  return Math.floor(memoryLimitMib * (forks ? 0.5 : 0.75)) * 1024 * 1024;
}

