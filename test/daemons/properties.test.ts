import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { parseFluentBitYaml } from './fluent-bit-yaml';
import {
  AgentEnvValue, AgentMountPropagation, AgentProbe, HostMountType, LogCollectorDaemon, LogOutput, MaxUnavailable, NodeAgentDaemon,
  NodeExporterCollector, NodeExporterDaemon,
} from '../../src/daemons';
import { StatefulError } from '../../src/internal/errors';
import { all, find, synth } from '../harness';

// Every run either synthesizes schema-valid objects that keep the safety invariants, or throws
// StatefulError: never a TypeError, a schema violation or anything else.

const hostile = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.constant(''), fc.constant(NaN), fc.constant(-1), fc.constant(1e21),
  fc.constant('ünïcødé'), fc.constant({}), fc.constant([]), fc.string(), fc.integer(), fc.boolean(),
);
/** Mostly valid values, sometimes a bad one: enough runs get through to check the output. */
const mostly = <T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown> = hostile): fc.Arbitrary<any> =>
  fc.oneof({ weight: 20, arbitrary: valid }, { weight: 1, arbitrary: bad });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const badPath = fc.oneof(fc.constantFrom('var/log', '/a/../b', '/x:y', ''), fc.string({ maxLength: 10 }), hostile);
const path = mostly(fc.oneof(
  fc.constantFrom('/', '/proc', '/sys', '/proc/sys/kernel', '/sys/fs/cgroup', '//proc//', '/sys/.', '/var/log', '/var/lib/agent', '/etc/machine-id',
    '/run/ünï', '/a b'),
  fc.stringMatching(/^\/[a-z0-9._-]{1,12}(\/[a-z0-9._-]{1,12}){0,2}$/),
), badPath);
const name = mostly(fc.constantFrom('agent', 'fluent-bit', 'x', 'a-very-long-name-that-is-still-fine', 'a'.repeat(50)),
  fc.oneof(fc.constantFrom('9lives', 'UPPER', 'a'.repeat(60)), hostile));

const outcomes = { synthesized: 0, refused: 0 };

function expectOnlyStatefulErrors(run: () => void): void {
  try {
    run();
    outcomes.synthesized++;
  } catch (e) {
    if (!(e instanceof StatefulError)) throw e;
    outcomes.refused++;
  }
}

beforeEach(() => {
  outcomes.synthesized = 0;
  outcomes.refused = 0;
});

afterEach(() => {
  // A property whose runs all throw proves nothing about the output: demand a real share of successes.
  // (measured with 200 runs: about 40, 70 and 150 of the three properties synthesize)
  expect(outcomes.synthesized).toBeGreaterThanOrEqual(15);
});

function checkAgentInvariants(objects: any[]): void {
  for (const ds of all(objects, 'DaemonSet')) {
    const pod = ds.spec.template.spec;
    const container = pod.containers[0];
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.privileged).toBe(false);
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(ds.spec.updateStrategy.rollingUpdate.maxUnavailable).not.toBe(0);
    for (const volume of pod.volumes ?? []) {
      if (!volume.hostPath) continue;
      const mount = container.volumeMounts.find((m: any) => m.name === volume.name);
      const p = volume.hostPath.path;
      if (p === '/' || p === '/proc' || p === '/sys' || p.startsWith('/proc/') || p.startsWith('/sys/')) expect(mount.readOnly).toBe(true);
    }
    const sa = find(objects, 'ServiceAccount');
    expect(pod.automountServiceAccountToken).toBe(sa.automountServiceAccountToken);
    expect(sa.automountServiceAccountToken).toBe(all(objects, 'ClusterRole').length > 0);
  }
}

test('NodeAgentDaemon: random and hostile props synthesize valid, safe objects or throw StatefulError', () => {
  const mount = fc.record({
    hostPath: path,
    mountPath: path,
    readOnly: maybe(mostly(fc.boolean(), fc.constant('no'))),
    propagation: maybe(mostly(fc.constantFrom(...Object.values(AgentMountPropagation)), fc.constant('Bidirectional'))),
    type: maybe(mostly(fc.constantFrom(...Object.values(HostMountType)), fc.constant('Socketish'))),
  });
  const props = fc.record({
    image: mostly(fc.constantFrom('example.com/agent:1.0', 'registry:5000/team/agent:v2', `agent@sha256:${'b'.repeat(64)}`),
      fc.oneof(fc.constantFrom('busybox', 'busybox:latest', 'a:b c'), hostile)),
    name: maybe(name),
    hostMounts: maybe(mostly(fc.array(mount, { maxLength: 3 }))),
    hostNetwork: maybe(mostly(fc.boolean())),
    hostPID: maybe(mostly(fc.boolean())),
    maxUnavailable: maybe(mostly(fc.oneof(
      fc.integer({ min: 1, max: 1000 }).map(n => MaxUnavailable.count(n)),
      fc.integer({ min: 1, max: 100 }).map(n => MaxUnavailable.percent(n)),
    ), fc.oneof(fc.constant(MaxUnavailable.count(0)), fc.constant(MaxUnavailable.percent(0)),
      fc.double().map(n => MaxUnavailable.count(n)), hostile))),
    ports: maybe(mostly(fc.uniqueArray(fc.record({
      name: mostly(fc.constantFrom('metrics', 'http', 'a-b'), fc.string()),
      containerPort: mostly(fc.integer({ min: 1, max: 65535 }), fc.oneof(fc.integer(), hostile)),
    }), { maxLength: 3, selector: p => p.name }))),
    livenessProbe: maybe(mostly(fc.oneof(fc.constant(AgentProbe.httpGet({ path: '/healthz' })), fc.constant(AgentProbe.tcpSocket()),
      fc.integer({ min: 0, max: 100 }).map(s => AgentProbe.httpGet({ period: Duration.seconds(s) }))))),
    env: maybe(mostly(fc.dictionary(mostly(fc.constantFrom('TOKEN', 'LEVEL', 'X', 'API_KEY'), fc.string({ maxLength: 8 })), mostly(fc.oneof(
      fc.string().map(v => AgentEnvValue.fromValue(v)),
      fc.record({ secretName: mostly(fc.constant('creds'), fc.string()), key: mostly(fc.constant('k'), fc.string()) }).map(x => AgentEnvValue.fromSecret(x)),
      fc.constantFrom('spec.nodeName', 'status.hostIP').map(x => AgentEnvValue.fromFieldPath(x)),
    )), { maxKeys: 3 }))),
    nodeSelector: maybe(mostly(fc.dictionary(mostly(fc.constantFrom('kubernetes.io/os', 'role')), mostly(fc.constantFrom('linux', 'worker', '')), { maxKeys: 2 }))),
    tolerations: maybe(mostly(fc.array(mostly(fc.oneof(
      fc.constant({}),
      fc.record({ key: fc.constant('dedicated'), operator: fc.constant('Equal'), value: fc.constant('logs'), effect: maybe(fc.constantFrom('NoSchedule', 'NoExecute')) }),
      fc.record({ key: fc.constant('node.kubernetes.io/not-ready'), operator: fc.constant('Exists') }),
    ), fc.record({ key: maybe(fc.string()), operator: maybe(fc.string()), value: maybe(fc.string({ maxLength: 10 })), effect: maybe(fc.string()) })),
    { maxLength: 2 }))),
    priorityClassName: maybe(mostly(fc.constantFrom('system-node-critical', 'high'), fc.string())),
    runAsUser: maybe(mostly(fc.integer({ min: 0, max: 70000 }), fc.oneof(fc.constant(-1), hostile))),
    addCapabilities: maybe(fc.array(mostly(fc.constantFrom('NET_BIND_SERVICE', 'SYS_PTRACE', 'CHOWN'), fc.constantFrom('SYS_ADMIN', 'CAP_NET_RAW', 'ALL', '')),
      { maxLength: 2 })),
    resources: maybe(fc.record({
      cpuRequest: maybe(mostly(fc.integer({ min: 1, max: 5000 }).map(n => Cpu.millis(n)), fc.oneof(fc.double().map(n => Cpu.units(n)), hostile))),
      memoryLimit: maybe(mostly(fc.integer({ min: 1, max: 4096 }).map(n => Size.mebibytes(n)), hostile)),
    })),
    apiAccess: maybe(fc.array(fc.record({
      resources: mostly(fc.constantFrom(['pods'], ['nodes', 'nodes/metrics']), fc.oneof(fc.constant(['*']), fc.array(fc.string(), { maxLength: 2 }))),
      verbs: mostly(fc.constant(['get', 'list']), fc.array(fc.string(), { maxLength: 2 })),
    }), { maxLength: 2 })),
    createNamespace: maybe(name),
    terminationGracePeriod: maybe(mostly(fc.integer({ min: 0, max: 100 }).map(n => Duration.seconds(n)))),
  }, { requiredKeys: ['image'] });

  fc.assert(fc.property(props, (p) => {
    expectOnlyStatefulErrors(() => {
      const c = new Chart(Testing.app(), 'prop');
      const agent = new NodeAgentDaemon(c, 'agent', p as any);
      const objects = synth(c, { podSecurity: agent.podSecurityLevel });
      checkAgentInvariants(objects);
      expect(agent.hostPaths.length).toBe(find(objects, 'DaemonSet').spec.template.spec.volumes?.filter((v: any) => v.hostPath).length ?? 0);
    });
  }), { numRuns: 200 });
});

test('NodeExporterDaemon: random and hostile props synthesize valid, safe objects or throw StatefulError', () => {
  const collector = mostly(fc.constantFrom(...Object.values(NodeExporterCollector)), fc.constantFrom('gpu', '', 'CPU'));
  const props = fc.record({
    port: maybe(mostly(fc.integer({ min: 1, max: 65535 }), fc.oneof(fc.constant(0), fc.constant(70000), hostile))),
    enableCollectors: maybe(mostly(fc.uniqueArray(collector, { maxLength: 3 }))),
    disableCollectors: maybe(fc.uniqueArray(collector, { maxLength: 3 })),
    textfileDirectory: maybe(path),
    service: maybe(mostly(fc.boolean())),
    serviceMonitor: maybe(mostly(fc.record({
      interval: maybe(fc.integer({ min: 0, max: 600 }).map(n => Duration.seconds(n))),
      scrapeTimeout: maybe(fc.integer({ min: 0, max: 60 }).map(n => Duration.seconds(n))),
      labels: maybe(fc.dictionary(mostly(fc.constantFrom('release', 'team')), mostly(fc.constantFrom('prometheus', 'a'), fc.string()), { maxKeys: 2 })),
    }))),
    maxUnavailable: maybe(mostly(fc.integer({ min: 1, max: 100 }).map(n => MaxUnavailable.percent(n)), fc.constant(MaxUnavailable.percent(0)))),
  });
  fc.assert(fc.property(props, fc.option(fc.constantFrom('monitoring', 'ns-1')), (p, chartNamespace) => {
    expectOnlyStatefulErrors(() => {
      const c = new Chart(Testing.app(), 'prop', chartNamespace ? { namespace: chartNamespace } : {});
      const exporter = new NodeExporterDaemon(c, 'node-exporter', p as any);
      const objects = synth(c, { podSecurity: exporter.podSecurityLevel });
      checkAgentInvariants(objects);
      const container = find(objects, 'DaemonSet').spec.template.spec.containers[0];
      expect(container.args).toContain(`--web.listen-address=[$(HOST_IP)]:${exporter.port}`);
      expect(exporter.hostPaths.every(m => m.readOnly)).toBe(true);
    });
  }), { numRuns: 200 });
});

test('LogCollectorDaemon: random and hostile props synthesize a config Fluent Bit accepts, or throw StatefulError', () => {
  const host = mostly(fc.constantFrom('loki', 'es.example.com', '10.0.0.1', 'loki-gateway.monitoring.svc'),
    fc.oneof(fc.constantFrom('${X}', 'a b', 'ü.example', ''), fc.string({ maxLength: 12 }), hostile));
  const secret = mostly(fc.record({ secretName: mostly(fc.constant('creds'), fc.string()), key: mostly(fc.constant('password'), fc.string()) }));
  const output = mostly(fc.oneof(
    fc.record({
      host,
      port: maybe(mostly(fc.integer({ min: 1, max: 65535 }), fc.oneof(fc.constant(0), hostile))),
      tls: maybe(fc.boolean()),
      user: maybe(mostly(fc.constant('fluent'), fc.string())),
      index: maybe(mostly(fc.constant('logs'), fc.string())),
      logstashFormat: maybe(fc.boolean()),
    }).chain(o => (o.user !== undefined ? maybe(secret) : fc.constant(undefined))
      .map(passwordSecret => LogOutput.elasticsearch({ ...o, passwordSecret }))),
    fc.record({
      host,
      labels: maybe(mostly(fc.dictionary(mostly(fc.constantFrom('job', 'cluster', 'env')), mostly(fc.constantFrom('prod', 'fluent-bit', 'eu-west-1')),
        { maxKeys: 3 }))),
      tenantId: maybe(mostly(fc.constant('team-a'), fc.string())),
      user: maybe(fc.constant('u')),
    }).chain(o => (o.user !== undefined ? maybe(secret) : fc.constant(undefined)).map(passwordSecret => LogOutput.loki({ ...o, passwordSecret }))),
    fc.record({ host, tls: maybe(fc.boolean()), selfHostname: maybe(mostly(fc.constant('node-a'), fc.string())) })
      .chain(o => (o.tls ? maybe(secret) : fc.constant(undefined)).map(sharedKeySecret => LogOutput.forward({ ...o, sharedKeySecret }))),
    fc.constant(LogOutput.stdout()),
  ));
  const props = fc.record({
    output,
    name: maybe(name),
    positionsDirectory: maybe(mostly(fc.constantFrom('/var/lib/fluent-bit', '/var/lib/logs/positions', '/opt/fb'), fc.oneof(fc.constantFrom('/var/log/x', '/'), badPath))),
    dockerContainerLogs: maybe(mostly(fc.boolean())),
    logLevel: maybe(mostly(fc.constantFrom('info', 'debug', 'error'), fc.constant('loud'))),
    flushInterval: maybe(mostly(fc.integer({ min: 1, max: 100 }).map(n => Duration.seconds(n)),
      fc.oneof(fc.constant(Duration.millis(1500)), hostile))),
    memoryBufferLimit: maybe(mostly(fc.integer({ min: 64, max: 100000 }).map(n => Size.kibibytes(n)),
      fc.oneof(fc.constant(Size.kibibytes(1)), hostile))),
  }, { requiredKeys: ['output'] });
  fc.assert(fc.property(props, (p) => {
    expectOnlyStatefulErrors(() => {
      const c = new Chart(Testing.app(), 'prop', { namespace: 'logging' });
      const collector = new LogCollectorDaemon(c, 'logs', p as any);
      const objects = synth(c, { podSecurity: collector.podSecurityLevel });
      checkAgentInvariants(objects);
      const text = find(objects, 'ConfigMap').data['fluent-bit.yaml'];
      const config = parseFluentBitYaml(text);
      const ds = find(objects, 'DaemonSet');
      const env = ds.spec.template.spec.containers[0].env ?? [];
      for (const ref of config.envReferences) expect(env.find((e: any) => e.name === ref)?.valueFrom?.secretKeyRef).toBeDefined();
      expect(ds.spec.template.metadata.annotations['checksum/config']).toBe(collector.configHash);
    });
  }), { numRuns: 200 });
});
