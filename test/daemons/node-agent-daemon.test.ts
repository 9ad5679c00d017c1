import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  AgentApiVerb, AgentEnvValue, AgentMountPropagation, AgentPodSecurityLevel, AgentProbe, AgentTaintEffect, AgentTolerationOperator,
  HostMountType, MaxUnavailable, NodeAgentDaemon, NodeAgentDaemonProps, NodeAgentNamespace, NodeLabelOperator,
} from '../../src/daemons';
import { Guards } from '../../src/guards';
import { StatefulError } from '../../src/internal/errors';
import { all, find, synth } from '../harness';

const IMAGE = 'example.com/agent:1.2.3';

function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
}

function build(props: Partial<NodeAgentDaemonProps> = {}, c = chart()) {
  const agent = new NodeAgentDaemon(c, 'agent', { image: IMAGE, ...props });
  // The cluster admin labels the agent's namespace with the level the agent declares.
  const objects = synth(c, { podSecurity: agent.podSecurityLevel });
  const ds = find(objects, 'DaemonSet');
  return { agent, objects, ds, pod: ds.spec.template.spec, container: ds.spec.template.spec.containers[0] };
}

describe('NodeAgentDaemon defaults', () => {
  test('a minimal agent is a schema-valid DaemonSet with a ServiceAccount and no API token', () => {
    // GIVEN / WHEN
    const { objects, ds, pod, agent } = build();
    // THEN
    expect(objects.map(o => o.kind).sort()).toEqual(['DaemonSet', 'ServiceAccount']);
    const sa = find(objects, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe(sa.metadata.name);
    expect(ds.spec.selector.matchLabels).toEqual(ds.spec.template.metadata.labels);
    expect(agent.podSecurityLevel).toBe(AgentPodSecurityLevel.RESTRICTED);
  });

  test('rolls one node at a time, runs on Linux nodes and tolerates every taint', () => {
    const { ds, pod } = build();
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.affinity).toBeUndefined();
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
  });

  test('runs as nobody with the tightest security context', () => {
    const { pod, container } = build();
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('documents default resources with requests and limits', () => {
    const { container } = build();
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });
});

describe('NodeAgentDaemon host mounts', () => {
  test('host mounts are read-only unless the user says otherwise, and all listed in hostPaths', () => {
    // GIVEN
    const { agent, pod, container } = build({
      hostMounts: [
        { hostPath: '/var/log', mountPath: '/host/var/log' },
        { hostPath: '/var/lib/agent/', mountPath: '/state', readOnly: false, type: HostMountType.DIRECTORY_OR_CREATE },
        { hostPath: '/', mountPath: '/host/root', propagation: AgentMountPropagation.HOST_TO_CONTAINER },
      ],
    });
    // THEN
    expect(agent.hostPaths).toEqual([
      { hostPath: '/var/log', mountPath: '/host/var/log', readOnly: true, propagation: 'None', type: '' },
      { hostPath: '/var/lib/agent', mountPath: '/state', readOnly: false, propagation: 'None', type: 'DirectoryOrCreate' },
      { hostPath: '/', mountPath: '/host/root', readOnly: true, propagation: 'HostToContainer', type: '' },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'host-var-log', mountPath: '/host/var/log', readOnly: true },
      { name: 'host-var-lib-agent', mountPath: '/state', readOnly: false },
      { name: 'host-root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'host-var-log', hostPath: { path: '/var/log' } },
      { name: 'host-var-lib-agent', hostPath: { path: '/var/lib/agent', type: 'DirectoryOrCreate' } },
      { name: 'host-root', hostPath: { path: '/' } },
    ]);
    expect(agent.podSecurityLevel).toBe(AgentPodSecurityLevel.PRIVILEGED);
  });

  test('mounts added after construction are rendered and listed', () => {
    const c = chart();
    const agent = new NodeAgentDaemon(c, 'agent', { image: IMAGE });
    agent.addHostMount({ hostPath: '/etc/machine-id', mountPath: '/host/machine-id', type: HostMountType.FILE });
    const ds = find(synth(c, { podSecurity: agent.podSecurityLevel }), 'DaemonSet');
    expect(ds.spec.template.spec.volumes).toEqual([{ name: 'host-etc-machine-id', hostPath: { path: '/etc/machine-id', type: 'File' } }]);
    expect(agent.hostPaths.map(m => m.hostPath)).toEqual(['/etc/machine-id']);
  });

  test('the same host path mounted twice gets two distinct volume names', () => {
    const { pod } = build({ hostMounts: [{ hostPath: '/var/log', mountPath: '/a' }, { hostPath: '/var/log/', mountPath: '/b' }] });
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['host-var-log', 'host-var-log-2']);
  });

  test.each([
    ['relative', 'var/log', true, "hostPath must be an absolute path (starting with '/', without '..' segments), got \"var/log\"."],
    ['with ..', '/var/../etc', true, "hostPath must be an absolute path (starting with '/', without '..' segments), got \"/var/../etc\"."],
  ])('a %s host path throws', (_name, hostPath, readOnly, message) => {
    expect(() => build({ hostMounts: [{ hostPath, mountPath: '/x', readOnly }] })).toThrow(StatefulError);
    expect(() => build({ hostMounts: [{ hostPath, mountPath: '/x', readOnly }] })).toThrow(`NodeAgentDaemon 'test/agent': ${message}`);
  });

  test.each(['/', '/proc', '/sys', '/proc/sys/net', '/sys/fs/cgroup', '//proc/', '/sys/.'])('a writable mount of %s throws', (hostPath) => {
    const normalized = hostPath.replace(/\/+/g, '/').replace(/\/\.$/, '').replace(/(.)\/$/, '$1');
    expect(() => build({ hostMounts: [{ hostPath, mountPath: '/x', readOnly: false }] })).toThrow(
      `NodeAgentDaemon 'test/agent': hostMounts (${normalized}) must be read-only for /, /proc, /sys and anything under /proc and /sys `
      + '(a writable mount there changes the node itself), got "readOnly: false".');
  });

  test.each(['/', '/proc', '/sys/fs/cgroup'])('a read-only mount of %s is accepted', (hostPath) => {
    const { agent } = build({ hostMounts: [{ hostPath, mountPath: '/x' }] });
    expect(agent.hostPaths[0].readOnly).toBe(true);
  });

  test('writable mounts elsewhere (e.g. /procfoo, /var/lib) are accepted', () => {
    const { container } = build({ hostMounts: [{ hostPath: '/procfoo', mountPath: '/a', readOnly: false }, { hostPath: '/var/lib/x', mountPath: '/b', readOnly: false }] });
    expect(container.volumeMounts.map((m: any) => m.readOnly)).toEqual([false, false]);
  });

  test('two mounts on one container path throw', () => {
    expect(() => build({ hostMounts: [{ hostPath: '/a', mountPath: '/x' }, { hostPath: '/b', mountPath: '/x/' }] }))
      .toThrow("NodeAgentDaemon 'test/agent': mountPath must be a path no other mount of the agent uses, got \"/x\".");
  });

  test('Bidirectional propagation is refused', () => {
    expect(() => build({ hostMounts: [{ hostPath: '/a', mountPath: '/x', propagation: 'Bidirectional' as any }] }))
      .toThrow("NodeAgentDaemon 'test/agent': propagation of host path /a must be one of 'None', 'HostToContainer', got \"Bidirectional\".");
  });
});

describe('NodeAgentDaemon host access and ports', () => {
  test('hostNetwork sets ClusterFirstWithHostNet and host ports; hostPID is explicit', () => {
    const { pod, container, agent } = build({ hostNetwork: true, hostPID: true, ports: [{ name: 'metrics', containerPort: 9000 }] });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.hostPID).toBe(true);
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9000, hostPort: 9000, protocol: 'TCP' }]);
    expect(agent.podSecurityLevel).toBe(AgentPodSecurityLevel.PRIVILEGED);
  });

  test('root drops the restricted level to baseline', () => {
    const { agent, pod } = build({ runAsUser: 0 });
    expect(pod.securityContext.runAsNonRoot).toBe(false);
    expect(agent.podSecurityLevel).toBe(AgentPodSecurityLevel.BASELINE);
  });

  test('capabilities are added back after dropping ALL; SYS_ADMIN is refused', () => {
    const { container, agent } = build({ addCapabilities: ['NET_BIND_SERVICE'] });
    expect(container.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(agent.podSecurityLevel).toBe(AgentPodSecurityLevel.RESTRICTED);
    expect(build({ addCapabilities: ['SYS_PTRACE'] }).agent.podSecurityLevel).toBe(AgentPodSecurityLevel.PRIVILEGED);
    expect(() => build({ addCapabilities: ['SYS_ADMIN'] })).toThrow(
      "NodeAgentDaemon 'test/agent': addCapabilities must be a capability name such as 'NET_BIND_SERVICE' (without 'CAP_'; ALL and SYS_ADMIN are refused), got \"SYS_ADMIN\".");
  });

  test('duplicate port names throw', () => {
    expect(() => build({ ports: [{ name: 'a', containerPort: 1 }, { name: 'a', containerPort: 2 }] }))
      .toThrow("NodeAgentDaemon 'test/agent': ports must be ports with distinct names, got \"a\".");
  });
});

describe('NodeAgentDaemon probes, args and env', () => {
  test('probes aim at a named port with explicit timing', () => {
    const { container } = build({
      ports: [{ name: 'http', containerPort: 8080 }],
      args: ['--flag'],
      command: ['/agent'],
      livenessProbe: AgentProbe.httpGet({ path: '/healthz', period: Duration.seconds(20), failureThreshold: 5 }),
      readinessProbe: AgentProbe.tcpSocket({ portName: 'http', initialDelay: Duration.seconds(3) }),
    });
    expect(container.command).toEqual(['/agent']);
    expect(container.args).toEqual(['--flag']);
    expect(container.livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 1, failureThreshold: 5,
    });
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 3, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
  });

  test('a probe on an unknown port throws', () => {
    expect(() => build({ ports: [{ name: 'http', containerPort: 8080 }], livenessProbe: AgentProbe.httpGet({ portName: 'nope' }) }))
      .toThrow("NodeAgentDaemon 'test/agent': livenessProbe.portName must be the name of one of the agent's TCP ports (http), got \"nope\".");
    expect(() => build({ livenessProbe: AgentProbe.httpGet() }))
      .toThrow("NodeAgentDaemon 'test/agent': livenessProbe must be given only to an agent with at least one port, got \"httpGet\".");
  });

  test('env takes literals, Secret keys and pod fields', () => {
    const { container } = build({
      env: {
        LOG_LEVEL: AgentEnvValue.fromValue('info'),
        API_PASSWORD: AgentEnvValue.fromSecret({ secretName: 'agent-creds', key: 'password' }),
        NODE_NAME: AgentEnvValue.fromFieldPath('spec.nodeName'),
      },
    });
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'API_PASSWORD', valueFrom: { secretKeyRef: { name: 'agent-creds', key: 'password' } } },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
  });

  test('a literal value for a secret-looking variable throws', () => {
    expect(() => build({ env: { DB_PASSWORD: AgentEnvValue.fromValue('hunter2') } }))
      .toThrow("NodeAgentDaemon 'test/agent': env.DB_PASSWORD must be AgentEnvValue.fromSecret(...) for a variable that holds a secret, got \"<literal value>\".");
  });
});

describe('NodeAgentDaemon scheduling', () => {
  test('node affinity, tolerations, priority class and node selector are configurable', () => {
    const { pod } = build({
      nodeSelector: { 'kubernetes.io/os': 'linux', 'node-role': 'worker' },
      nodeAffinity: [{ key: 'node.kubernetes.io/instance-type', operator: NodeLabelOperator.IN, values: ['m5.large'] },
        { key: 'gpu', operator: NodeLabelOperator.DOES_NOT_EXIST }],
      tolerations: [{ key: 'dedicated', operator: AgentTolerationOperator.EQUAL, value: 'logging', effect: AgentTaintEffect.NO_SCHEDULE }],
      priorityClassName: 'system-node-critical',
    });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'node-role': 'worker' });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{
      matchExpressions: [
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] },
        { key: 'gpu', operator: 'DoesNotExist' },
      ],
    }]);
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'logging', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
  });

  test('an empty toleration list tolerates nothing', () => {
    expect(build({ tolerations: [] }).pod.tolerations).toBeUndefined();
  });

  test.each([
    [MaxUnavailable.count(3), 3],
    [MaxUnavailable.percent(10), '10%'],
  ])('maxUnavailable %p renders as %p', (value, rendered) => {
    expect(build({ maxUnavailable: value }).ds.spec.updateStrategy.rollingUpdate.maxUnavailable).toEqual(rendered);
  });

  test.each([
    [MaxUnavailable.count(0), '0'],
    [MaxUnavailable.percent(0), '"0%"'],
    [MaxUnavailable.count(1.5), '1.5'],
    [MaxUnavailable.percent(101), '"101%"'],
  ])('maxUnavailable %p throws', (value, shown) => {
    expect(() => build({ maxUnavailable: value })).toThrow(
      "NodeAgentDaemon 'test/agent': maxUnavailable must be MaxUnavailable.count(n) with a whole n of at least 1, "
      + `or MaxUnavailable.percent(p) with a whole p from 1 to 100, got ${shown}.`);
  });

  test('resources: a request above the default limit raises the limit; an explicit lower limit throws', () => {
    const { container } = build({ resources: { memoryRequest: Size.mebibytes(512), cpuRequest: Cpu.units(1) } });
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(() => build({ resources: { memoryRequest: Size.mebibytes(512), memoryLimit: Size.mebibytes(256) } }))
      .toThrow("NodeAgentDaemon 'test/agent': resources.memoryLimit must be at least the memory request (512Mi), got \"256Mi\".");
  });
});

describe('NodeAgentDaemon API access', () => {
  test('an agent that needs the API gets its token and a least-privilege ClusterRole bound to its ServiceAccount', () => {
    const { objects, pod } = build({ apiAccess: [{ resources: ['nodes'], verbs: [AgentApiVerb.GET, AgentApiVerb.LIST] }] }, chart('agents'));
    const role = find(objects, 'ClusterRole');
    const binding = find(objects, 'ClusterRoleBinding');
    const sa = find(objects, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'agents' }]);
    expect(sa.metadata.namespace).toBe('agents');
  });

  test('without any namespace, an agent with API access pins its objects to default so the binding matches', () => {
    const { objects } = build({ apiAccess: [{ resources: ['pods'], verbs: [AgentApiVerb.WATCH] }] });
    expect(find(objects, 'ServiceAccount').metadata.namespace).toBe('default');
    expect(find(objects, 'DaemonSet').metadata.namespace).toBe('default');
    expect(find(objects, 'ClusterRoleBinding').subjects[0].namespace).toBe('default');
  });

  test('wildcards are refused', () => {
    expect(() => build({ apiAccess: [{ resources: ['*'], verbs: [AgentApiVerb.GET] }] })).toThrow(
      "NodeAgentDaemon 'test/agent': apiAccess[0].resources must be a non-empty list of resource names such as 'pods' (no wildcards), got [\"*\"].");
    expect(() => build({ apiAccess: [{ resources: ['pods'], verbs: ['*' as any] }] })).toThrow(StatefulError);
  });
});

describe('NodeAgentDaemon namespaces', () => {
  test('createNamespace emits a Namespace labelled with the level the agent needs', () => {
    const { objects, ds } = build({ createNamespace: 'node-agents', hostPID: true });
    const ns = find(objects, 'Namespace');
    expect(ns.metadata.name).toBe('node-agents');
    expect(ns.metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'privileged',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
    });
    expect(ds.metadata.namespace).toBe('node-agents');
  });

  test('a shared namespace enforces the most permissive level its agents need, and nothing looser', () => {
    const c = chart();
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'agents' });
    new NodeAgentDaemon(c, 'quiet', { image: IMAGE, namespace: ns });
    expect(ns.level).toBe(AgentPodSecurityLevel.RESTRICTED);
    new NodeAgentDaemon(c, 'root', { image: IMAGE, namespace: ns, runAsUser: 0 });
    const objects = synth(c);
    expect(find(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(all(objects, 'DaemonSet').map(d => d.metadata.namespace)).toEqual(['agents', 'agents']);
  });

  test('a namespace keeps labels added through apiObject.metadata beside its Pod Security labels, which win', () => {
    // GIVEN a namespace with a label of its own and a forged Pod Security label
    const c = chart();
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'agents' });
    ns.apiObject.metadata.addLabel('team', 'sre');
    ns.apiObject.metadata.addLabel('pod-security.kubernetes.io/enforce', 'restricted');
    // WHEN an agent needing privileged is placed in it afterwards
    new NodeAgentDaemon(c, 'net', { image: IMAGE, namespace: ns, hostNetwork: true });
    // THEN
    const labels = find(synth(c), 'Namespace').metadata.labels;
    expect(labels.team).toBe('sre');
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('an explicit level stricter than an agent needs throws, also for mounts added later', () => {
    const c = chart();
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'agents', level: AgentPodSecurityLevel.BASELINE });
    expect(() => new NodeAgentDaemon(c, 'net', { image: IMAGE, namespace: ns, hostNetwork: true })).toThrow(
      "NodeAgentNamespace 'test/ns': level must be at least as permissive as 'privileged', which agent 'test/net' needs "
      + '(host access is forbidden below privileged), got "baseline".');
    const agent = new NodeAgentDaemon(c, 'ok', { image: IMAGE, namespace: ns });
    expect(() => agent.addHostMount({ hostPath: '/var/log', mountPath: '/logs' })).toThrow(StatefulError);
  });

  test('namespace checks: a bad version, a bad imported name', () => {
    const c = chart();
    expect(() => new NodeAgentNamespace(c, 'ns', { name: 'agents', version: '1.28' })).toThrow(
      "NodeAgentNamespace 'test/ns': version must be 'latest' or a Kubernetes minor version such as 'v1.28', got \"1.28\".");
    expect(() => NodeAgentNamespace.fromNamespaceName('Not_A_Name')).toThrow(StatefulError);
    expect(new NodeAgentNamespace(c, 'empty', { name: 'empty', version: 'latest' }).labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('runsUnder tells whether a level is permissive enough for the agent', () => {
    const { agent } = build({ runAsUser: 0 });
    expect(agent.runsUnder(AgentPodSecurityLevel.RESTRICTED)).toBe(false);
    expect(agent.runsUnder(AgentPodSecurityLevel.BASELINE)).toBe(true);
    expect(agent.runsUnder(AgentPodSecurityLevel.PRIVILEGED)).toBe(true);
  });

  test('namespace and createNamespace together throw', () => {
    expect(() => build({ namespace: NodeAgentNamespace.fromNamespaceName('x'), createNamespace: 'y' }))
      .toThrow("NodeAgentDaemon 'test/agent': createNamespace must be left out when namespace is given, got \"y\".");
  });
});

describe('NodeAgentDaemon input checks', () => {
  test.each([
    ['image', { image: 'busybox' }, "image must be an image pinned to a tag other than 'latest' or to a digest (a node agent rolls on every node), got \"busybox\"."],
    ['image', { image: 'busybox:latest' }, "image must be an image pinned to a tag other than 'latest' or to a digest (a node agent rolls on every node), got \"busybox:latest\"."],
    ['name', { name: '9lives' }, 'name must be a DNS-1035 label (starting with a letter; it also names the Service), got "9lives".'],
    ['runAsUser', { runAsUser: -1 }, 'runAsUser must be an integer from 0 to 2147483647, got -1.'],
    ['hostNetwork', { hostNetwork: 'yes' as any }, 'hostNetwork must be true or false, got "yes".'],
  ])('bad %s throws', (_prop, props, message) => {
    expect(() => build(props as any)).toThrow(`NodeAgentDaemon 'test/agent': ${message}`);
  });

  test('an image pinned by digest is accepted', () => {
    const digest = `example.com/agent@sha256:${'a'.repeat(64)}`;
    expect(build({ image: digest }).container.image).toBe(digest);
  });
});

describe('literal environment values and secret names', () => {
  test('follow the same rule as guard SG009: a path or flag passes, a literal key or token is refused', () => {
    // GIVEN an agent with settings that name secrets but hold a path or a flag
    const agents = Testing.chart();
    new NodeAgentDaemon(agents, 'ok', {
      image: 'ghcr.io/example/agent:1.0.0',
      env: { TOKEN_FILE: AgentEnvValue.fromValue('/var/run/secrets/token'), TLS_SKIP_VERIFY_TOKEN: AgentEnvValue.fromValue('false') },
    });
    // THEN it synthesizes, and the guards find nothing
    expect(Guards.check(synth(agents)).findings).toEqual([]);
    // AND a literal API key (missed by a plain *PASSWORD*|*TOKEN* pattern) is refused at construction
    expect(() => new NodeAgentDaemon(Testing.chart(), 'bad', {
      image: 'ghcr.io/example/agent:1.0.0',
      env: { STORAGE_ACCESS_KEY: AgentEnvValue.fromValue('AKIA0123456789') },
    })).toThrow(/env\.STORAGE_ACCESS_KEY must be AgentEnvValue\.fromSecret/);
  });
});
