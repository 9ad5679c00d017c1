import { Duration, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { literalSecrets } from './helpers';
import { builtOrRefused, hostileNumber, hostileString as hostileStringOf, maybe as maybeOf, wrongType } from './hostile-props';
import {
  AntiAffinity, AppendFsync, RedisDatabase, RedisDatabaseProps, RedisEvictionPolicy, RedisPersistence,
} from '../../src/database';
import { Guards } from '../../src/guards';
import { detectEngine, persistenceOff } from '../../src/guards/graph';
import { all, find, synth } from '../harness';

const storage = { size: Size.gibibytes(10) };

function build(props: Partial<RedisDatabaseProps> = {}, id = 'sessions'): { db: RedisDatabase; objects: any[] } {
  const chart = Testing.chart();
  const db = new RedisDatabase(chart, id, { version: '7.4.2', storage, ...props });
  return { db, objects: synth(chart) };
}

function envOf(c: any): Record<string, any> {
  return Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

function conf(objects: any[], file: string): string {
  return find(objects, 'ConfigMap').data[file];
}

describe('RedisDatabase manifests', () => {
  test('three members: a StatefulSet with a Redis server and a Sentinel sidecar per member, on their own claims', () => {
    // GIVEN / WHEN three members with the default persistence
    const { db, objects } = build({ replicas: 3 });
    const sts = find(objects, 'StatefulSet');
    const pod = sts.spec.template.spec;
    // THEN the official image at the pinned version runs both containers
    expect(pod.containers.map((c: any) => [c.name, c.image])).toEqual([['redis', 'redis:7.4.2'], ['sentinel', 'redis:7.4.2']]);
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.serviceName).toBe('sessions-headless');
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    // AND both mount the claim at /data, the configuration read-only at /etc/redis
    for (const c of pod.containers) {
      expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: 'data', mountPath: '/data' }, { name: 'config', mountPath: '/etc/redis', readOnly: true }]));
    }
    expect(pod.containers[1].command).toEqual(['sh', '/etc/redis/redis-start.sh', '--sentinel']);
    // AND the restricted profile: uid 999, no escalation, ALL dropped, read-only root
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } }));
    for (const c of pod.containers) expect(c.securityContext).toEqual(expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }));
    // AND the public fields say what clients need
    expect([db.masterName, db.quorum, db.sentinelPort, db.sentinelServiceName, db.port]).toEqual(['sessions', 2, 26379, 'sessions', 6379]);
    expect(db.claimNames).toEqual(['data-sessions-0', 'data-sessions-1', 'data-sessions-2']);
  });

  test('the password reaches both containers from the Secret only, never as a literal', () => {
    const { objects } = build({ replicas: 3, passwordSecretName: 'redis-auth', passwordSecretKey: 'redis-password' });
    for (const c of find(objects, 'StatefulSet').spec.template.spec.containers) {
      expect(envOf(c).REDIS_PASSWORD).toEqual({ secretKeyRef: { name: 'redis-auth', key: 'redis-password' } });
    }
    expect(literalSecrets(objects)).toEqual([]);
    expect(all(objects, 'Secret')).toEqual([]);
    // The static configuration holds no password: the start script renders it from the environment.
    expect(conf(objects, 'redis.conf')).not.toMatch(/^(requirepass|masterauth)/m);
  });

  test('members announce their stable host names; Sentinel resolves and announces host names', () => {
    const { objects } = build({ replicas: 3 });
    const env = envOf(find(objects, 'StatefulSet').spec.template.spec.containers[0]);
    expect(env.REDIS_MEMBERS).toBe(['0', '1', '2'].map(i => `sessions-${i}.sessions-headless.$(POD_NAMESPACE).svc`).join(' '));
    expect(env.POD_NAMESPACE).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
    expect(env.REDIS_QUORUM).toBe('2');
    const start = conf(objects, 'redis-start.sh');
    for (const line of ['replica-announce-ip %s', 'sentinel resolve-hostnames yes', 'sentinel announce-hostnames yes', 'sentinel announce-ip %s']) expect(start).toContain(line);
    expect(start).toContain('SENTINEL get-master-addr-by-name');
  });

  test('probes: a replica is Ready only with its link up; startup allows a long load', () => {
    const { objects } = build({ replicas: 3 });
    const [server, sentinel] = find(objects, 'StatefulSet').spec.template.spec.containers;
    expect(server.readinessProbe.exec.command).toEqual(['sh', '/etc/redis/redis-probe.sh', 'ready']);
    expect(server.livenessProbe.exec.command).toEqual(['sh', '/etc/redis/redis-probe.sh', 'live']);
    expect(server.startupProbe.periodSeconds * server.startupProbe.failureThreshold).toBe(600);
    expect(sentinel.readinessProbe.exec.command).toEqual(['sh', '/etc/redis/redis-probe.sh', 'sentinel']);
    expect(conf(objects, 'redis-probe.sh')).toContain('master_link_status:up');
  });

  test('services: the headless one publishes both ports before Ready; clients reach the Sentinels', () => {
    const { objects } = build({ replicas: 3 });
    const headless = find(objects, 'Service', 'sessions-headless');
    expect(headless.spec).toEqual(expect.objectContaining({ clusterIP: 'None', publishNotReadyAddresses: true }));
    expect(headless.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['redis', 6379], ['sentinel', 26379]]);
    const client = all(objects, 'Service').find(s => s.metadata.name === 'sessions');
    expect(client.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['sentinel', 26379]]);
  });

  test.each([[3, 1], [5, 2], [7, 3]])('the disruption budget of %i members keeps a Sentinel majority (%i out at a time)', (replicas, out) => {
    const { objects } = build({ replicas });
    const budgets = all(objects, 'PodDisruptionBudget');
    expect(budgets.map(b => b.spec.maxUnavailable)).toEqual([out]);
    expect(find(objects, 'ConfigMap').data['redis-start.sh']).toBeDefined();
    expect(envOf(find(objects, 'StatefulSet').spec.template.spec.containers[0]).REDIS_QUORUM).toBe(String(Math.floor(replicas / 2) + 1));
  });

  test('standalone: no Sentinel, the client Service is the Redis port, the budget lets a drain through', () => {
    const { db, objects } = build();
    const pod = find(objects, 'StatefulSet').spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['redis']);
    expect(envOf(pod.containers[0]).REDIS_MASTER_NAME).toBeUndefined();
    expect(find(objects, 'Service', 'sessions-headless').spec.ports.map((p: any) => p.port)).toEqual([6379]);
    expect(all(objects, 'Service').find(s => s.metadata.name === 'sessions').spec.ports.map((p: any) => p.port)).toEqual([6379]);
    expect(all(objects, 'PodDisruptionBudget')[0].spec.maxUnavailable).toBe(1);
    expect(find(objects, 'ConfigMap').data['sentinel.conf']).toBeUndefined();
    expect([db.masterName, db.sentinelServiceName, db.quorum]).toEqual([undefined, undefined, undefined]);
  });

  test.each([
    ['the default (AOF and RDB)', undefined, ['appendonly yes', 'appendfsync everysec', 'save 3600 1 300 100 60 10000'], 'noeviction'],
    ['append-only, fsync always', RedisPersistence.appendOnly({ fsync: AppendFsync.ALWAYS }), ['appendonly yes', 'appendfsync always', 'save ""'], 'noeviction'],
    ['snapshots every 15 minutes', RedisPersistence.snapshots({ points: [{ interval: Duration.minutes(15), changes: 1 }] }), ['appendonly no', 'save 900 1'], 'noeviction'],
    ['none (a cache)', RedisPersistence.none(), ['appendonly no', 'save ""', 'rdb-del-sync-files yes'], 'allkeys-lru'],
  ])('persistence %s renders its redis.conf lines and eviction policy', (_name, persistence, lines, policy) => {
    const { objects } = build({ replicas: 3, persistence });
    const text = conf(objects, 'redis.conf');
    for (const line of lines) expect(text.split('\n')).toContain(line);
    expect(text).toContain(`maxmemory-policy ${policy}`);
  });

  test('maxmemory: half the memory limit when the server forks, three quarters for a standalone cache, or as given', () => {
    const limit = { memory: Size.mebibytes(512), memoryLimit: Size.gibibytes(2) };
    expect(build({ resources: limit }).db.maxMemoryBytes).toBe(1024 * 1024 * 1024);
    expect(build({ resources: limit, persistence: RedisPersistence.none(), replicas: 3 }).db.maxMemoryBytes).toBe(1024 * 1024 * 1024);
    const cache = build({ resources: limit, persistence: RedisPersistence.none() });
    expect(cache.db.maxMemoryBytes).toBe(1536 * 1024 * 1024);
    expect(conf(cache.objects, 'redis.conf')).toContain(`maxmemory ${1536 * 1024 * 1024}`);
    expect(build({ maxMemory: Size.mebibytes(700) }).db.maxMemoryBytes).toBe(700 * 1024 * 1024);
  });

  test('the cache mode puts --save "" --appendonly no on the command line', () => {
    const { objects } = build({ replicas: 3, persistence: RedisPersistence.none() });
    const server = find(objects, 'StatefulSet').spec.template.spec.containers[0];
    expect(server.command).toEqual(['sh', '/etc/redis/redis-start.sh', '--save', '', '--appendonly', 'no']);
    expect(envOf(server).REDIS_KEEPS_DATA).toBe('no');
  });

  test('a mirror repository keeps the pinned version as the tag', () => {
    expect(build({ repository: 'registry.example.com/mirror/redis' }).db.image).toBe('registry.example.com/mirror/redis:7.4.2');
  });
});

describe('RedisDatabase and the guards', () => {
  test.each([
    ['standalone', {}],
    ['three members', { replicas: 3 }],
    ['five members, snapshots only', { replicas: 5, persistence: RedisPersistence.snapshots() }],
    ['a standalone cache', { persistence: RedisPersistence.none() }],
    ['a three-member cache', { replicas: 3, persistence: RedisPersistence.none(), antiAffinity: AntiAffinity.PREFERRED }],
  ])('%s: no finding at all, not even a warning', (_name, props) => {
    const { objects } = build(props as Partial<RedisDatabaseProps>);
    const report = Guards.check(objects);
    expect(report.findings.map(f => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  test('the guards read the cache mode as a cache by design, the Sentinel as no data server', () => {
    // GIVEN the synthesized containers of a three-member cache
    const { objects } = build({ replicas: 3, persistence: RedisPersistence.none() });
    const [server, sentinel] = find(objects, 'StatefulSet').spec.template.spec.containers;
    const argv = (c: any) => [...(c.command ?? []), ...(c.args ?? [])];
    // THEN the server is a redis data server with persistence off (not 'unknown'), from its command line alone
    const engine = detectEngine(server.image, server.env.map((e: any) => e.name), [6379], argv(server));
    expect(engine?.engine.engine).toBe('redis');
    expect(persistenceOff(engine!.engine, new Map(), argv(server), [])).toBe(true);
    // AND the Sentinel sidecar is not a data server
    expect(detectEngine(sentinel.image, [], [26379], argv(sentinel))).toBeUndefined();
    // AND a persistent member is not read as a cache
    const persistent = find(build({ replicas: 3 }).objects, 'StatefulSet').spec.template.spec.containers[0];
    expect(persistenceOff(engine!.engine, new Map(), argv(persistent), [{ text: conf(build({ replicas: 3 }).objects, 'redis.conf') }])).toBe(false);
  });

  test.each(['Deployment', 'StatefulSet'])('a plain cache %s running redis --save "" --appendonly no on an emptyDir gets no finding', (kind) => {
    // GIVEN a hand-written cache: one replica, data on an emptyDir, a password from a Secret
    const template = {
      metadata: { labels: { app: 'cache' } },
      spec: {
        containers: [{
          name: 'redis',
          image: 'redis:7.4.2',
          args: ['redis-server', '--save', '', '--appendonly', 'no', '--requirepass', '$(REDIS_PASSWORD)'],
          env: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'cache', key: 'password' } } }],
          ports: [{ containerPort: 6379 }],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    };
    const workload = {
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: 'cache', namespace: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'cache' } }, template, ...(kind === 'StatefulSet' ? { serviceName: 'cache' } : {}) },
    };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cache', namespace: 'web' }, spec: { clusterIP: 'None', selector: { app: 'cache' }, ports: [{ port: 6379 }] } };
    // WHEN the guards check it
    const report = Guards.check(kind === 'StatefulSet' ? [workload, service] : [workload]);
    // THEN nothing: a cache keeps nothing, so nothing is lost with the pod
    expect(report.findings.map(f => `${f.ruleId} ${f.message}`)).toEqual([]);
    // AND (control) the same server with snapshots left on is a finding
    const persistentArgs = ['redis-server', '--appendonly', 'yes'];
    const control = JSON.parse(JSON.stringify(workload));
    control.spec.template.spec.containers[0].args = persistentArgs;
    expect(Guards.check([control]).findings.map(f => f.ruleId)).toContain('SG005');
  });
});

describe('RedisDatabase props', () => {
  const reject = (props: Partial<RedisDatabaseProps>, message: RegExp) => {
    expect(() => new RedisDatabase(Testing.chart(), 'sessions', { version: '7.4.2', storage, ...props } as RedisDatabaseProps)).toThrow(message);
  };

  test.each([
    [{ version: 'latest' }, /version must be a Redis version such as '7.4.2'.*got "latest"/],
    [{ version: '6.2.14' }, /version must be .*7.0 or later/],
    [{ replicas: 2 }, /replicas must be 1 \(standalone\) or an odd number of 3 or more.*got 2/],
    [{ replicas: 4 }, /replicas must be 1 \(standalone\) or an odd number/],
    [{ replicas: 0 }, /replicas must be/],
    [{ repository: 'redis:7' }, /repository must be an image repository without a tag/],
    [{ masterName: 'x' }, /masterName must be unset for a standalone server/],
    [{ replicas: 3, masterName: 'bad name' }, /masterName must be a name of letters/],
    [{ replicas: 3, sentinelDownAfter: Duration.millis(500) }, /sentinelDownAfter must be/],
    [{ maxMemory: Size.gibibytes(1) }, /maxMemory must be at least 16Mi and below the memory limit \(1Gi\)/],
    [{ passwordSecretName: 'Not_A_Name' }, /passwordSecretName must be/],
    [{ passwordSecretKey: 'a b' }, /passwordSecretKey must be a Secret key/],
    [{ evictionPolicy: 'lru' as any }, /evictionPolicy must be one of/],
    [{ persistence: 'aof' as any }, /persistence must be RedisPersistence/],
    [{ name: 'a'.repeat(37) }, /name must be/],
  ])('rejects %j', (props, message) => {
    reject(props as Partial<RedisDatabaseProps>, message);
  });

  test('RedisPersistence rejects snapshot points it cannot write', () => {
    expect(() => RedisPersistence.snapshots({ points: [] })).toThrow(/points must be a list of 1 to 10 snapshot points/);
    expect(() => RedisPersistence.snapshots({ points: [{ interval: Duration.millis(1500), changes: 1 }] })).toThrow(/whole seconds/);
    expect(() => RedisPersistence.snapshots({ points: [{ interval: Duration.minutes(1), changes: 0 }] })).toThrow(/points\[0\]\.changes must be/);
    expect(() => RedisPersistence.appendOnly({ fsync: 'sometimes' as any })).toThrow(/fsync must be one of/);
  });

  const hostileString = hostileStringOf('7.4.2', '6.2', '7');
  const maybe = <T>(arb: fc.Arbitrary<T>) => maybeOf(arb, 4);

  test('any props synthesize a consistent member set or throw StatefulError', () => {
    let synthesized = 0;
    fc.assert(fc.property(fc.record({
      version: fc.oneof({ arbitrary: fc.constantFrom('7.4.2', '7.2', '8.0.1'), weight: 4 }, { arbitrary: hostileString, weight: 1 }),
      repository: maybe(fc.oneof(hostileString, fc.constant('mirror.example.com/redis'))),
      replicas: maybe(fc.oneof(fc.constantFrom(1, 3, 5), hostileNumber, wrongType)),
      persistence: maybe(fc.oneof(wrongType, fc.constantFrom(
        RedisPersistence.none(), RedisPersistence.appendOnly(), RedisPersistence.snapshots(), RedisPersistence.appendOnlyAndSnapshots()))),
      evictionPolicy: maybe(fc.oneof(fc.constantFrom(...Object.values(RedisEvictionPolicy)), hostileString)),
      maxMemoryMi: maybe(hostileNumber.map(n => n * 100)),
      passwordSecretName: maybe(fc.oneof(hostileString, fc.constant('redis-auth'))),
      passwordSecretKey: maybe(hostileString),
      masterName: maybe(fc.oneof(hostileString, fc.constant('cache'))),
      downAfter: maybe(hostileNumber),
    }), (p) => {
      let maxMemory: Size | undefined;
      let downAfter: Duration | undefined;
      try {
        maxMemory = p.maxMemoryMi === undefined ? undefined : Size.mebibytes(p.maxMemoryMi);
        downAfter = p.downAfter === undefined ? undefined : Duration.seconds(p.downAfter);
      } catch {
        return; // cdk8s refuses these itself, before our code runs
      }
      const objects = builtOrRefused(() => {
        const chart = Testing.chart();
        new RedisDatabase(chart, 'sessions', {
          version: p.version,
          repository: p.repository,
          replicas: p.replicas as any,
          persistence: p.persistence as any,
          storage,
          evictionPolicy: p.evictionPolicy as any,
          maxMemory,
          passwordSecretName: p.passwordSecretName,
          passwordSecretKey: p.passwordSecretKey,
          masterName: p.masterName,
          sentinelDownAfter: downAfter,
        });
        return Testing.synth(chart);
      });
      if (!objects) return;
      synthesized++;
      const sts = find(objects, 'StatefulSet');
      const replicas = sts.spec.replicas;
      expect(replicas === 1 || (replicas >= 3 && replicas % 2 === 1)).toBe(true);
      expect(sts.spec.template.spec.containers.length).toBe(replicas === 1 ? 1 : 2);
      expect(sts.spec.template.spec.containers[0].image).toMatch(/:(\d+\.\d+(\.\d+)?)$/);
      const budget = find(objects, 'PodDisruptionBudget');
      expect(budget.spec.maxUnavailable).toBe(replicas === 1 ? 1 : Math.floor((replicas - 1) / 2));
      expect(literalSecrets(objects)).toEqual([]);
      const maxmemory = Number(/^maxmemory (\d+)$/m.exec(find(objects, 'ConfigMap').data['redis.conf'])![1]);
      expect(maxmemory).toBeGreaterThanOrEqual(16 * 1024 * 1024);
      expect(maxmemory).toBeLessThan(1024 * 1024 * 1024);
      expect(Guards.check(objects).findings.filter(f => f.severity === 'error')).toEqual([]);
    }), { numRuns: 150 });
    expect(synthesized).toBeGreaterThan(10);
  });
});
