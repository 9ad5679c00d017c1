import { Chart, Duration, Testing } from 'cdk8s';
import {
  AgentPodSecurityLevel, NodeAgentNamespace, NodeExporterCollector, NodeExporterDaemon, NodeExporterDaemonProps,
} from '../../src/daemons';
import { StatefulError } from '../../src/internal/errors';
import { find, synth } from '../harness';

function build(props: NodeExporterDaemonProps = {}, namespace?: string) {
  const c = new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
  const exporter = new NodeExporterDaemon(c, 'node-exporter', props);
  // The cluster admin labels the exporter's namespace with the level the exporter declares.
  const objects = synth(c, { podSecurity: exporter.podSecurityLevel });
  const ds = find(objects, 'DaemonSet');
  return { c, exporter, objects, ds, pod: ds.spec.template.spec, container: ds.spec.template.spec.containers[0] };
}

describe('NodeExporterDaemon with no props', () => {
  test('is a complete agent: DaemonSet, ServiceAccount and an annotated headless Service', () => {
    // GIVEN / WHEN
    const { objects, container } = build();
    // THEN
    expect(objects.map(o => o.kind).sort()).toEqual(['DaemonSet', 'Service', 'ServiceAccount']);
    expect(container.image).toBe('quay.io/prometheus/node-exporter:v1.12.1');
    expect(container.name).toBe('node-exporter');
    const svc = find(objects, 'Service');
    expect(svc.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100', 'prometheus.io/path': '/metrics' });
    expect(svc.spec).toEqual({
      clusterIP: 'None',
      selector: find(objects, 'DaemonSet').spec.selector.matchLabels,
      ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' }],
    });
  });

  test('mounts /proc, /sys and / read-only, the root with HostToContainer propagation', () => {
    const { exporter, container, pod } = build();
    expect(exporter.hostPaths).toEqual([
      { hostPath: '/proc', mountPath: '/host/proc', readOnly: true, propagation: 'None', type: '' },
      { hostPath: '/sys', mountPath: '/host/sys', readOnly: true, propagation: 'None', type: '' },
      { hostPath: '/', mountPath: '/host/root', readOnly: true, propagation: 'HostToContainer', type: '' },
    ]);
    expect(container.volumeMounts.every((m: any) => m.readOnly === true)).toBe(true);
    expect(container.volumeMounts.find((m: any) => m.mountPath === '/host/root').mountPropagation).toBe('HostToContainer');
    expect(pod.volumes.map((v: any) => v.hostPath.path)).toEqual(['/proc', '/sys', '/']);
  });

  test('passes the matching path flags and listens on the node IP only, port 9100', () => {
    const { container } = build();
    expect(container.args.slice(0, 5)).toEqual([
      '--path.procfs=/host/proc',
      '--path.sysfs=/host/sys',
      '--path.rootfs=/host/root',
      '--path.udev.data=/host/root/run/udev/data',
      '--web.listen-address=[$(HOST_IP)]:9100',
    ]);
    // The kubelet expands $(HOST_IP) from the downward API: the node's IP, not every interface.
    expect(container.env).toEqual([{ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }]);
    expect(container.args.filter((a: string) => a.startsWith('--web.listen-address='))).toHaveLength(1);
    expect(container.args.some((a: string) => a.startsWith('--collector.filesystem.mount-points-exclude='))).toBe(true);
  });

  test('uses the host network and PID namespace, port 9100 named metrics, HTTP probes', () => {
    const { pod, container } = build();
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 'metrics', scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 'metrics', scheme: 'HTTP' });
    expect(container.livenessProbe.timeoutSeconds).toBe(5);
  });

  test('runs as 65534 with a read-only root filesystem and no capabilities', () => {
    const { pod, container } = build();
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('tolerates every taint and needs the privileged Pod Security level', () => {
    const { pod, exporter } = build();
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(exporter.podSecurityLevel).toBe(AgentPodSecurityLevel.PRIVILEGED);
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '180Mi' }, limits: { cpu: '250m', memory: '180Mi' } });
  });
});

describe('NodeExporterDaemon collectors', () => {
  test('enabled and disabled collectors become --collector.<name> and --no-collector.<name>', () => {
    const { container } = build({
      enableCollectors: [NodeExporterCollector.SYSTEMD, NodeExporterCollector.PROCESSES],
      disableCollectors: [NodeExporterCollector.WIFI, NodeExporterCollector.FILESYSTEM],
    });
    expect(container.args).toEqual(expect.arrayContaining(['--collector.systemd', '--collector.processes', '--no-collector.wifi', '--no-collector.filesystem']));
    expect(container.args.some((a: string) => a.startsWith('--collector.filesystem.'))).toBe(false);
  });

  test('the systemd collector gets the D-Bus system socket, read-only', () => {
    const { exporter } = build({ enableCollectors: [NodeExporterCollector.SYSTEMD] });
    expect(exporter.hostPaths[3]).toEqual({
      hostPath: '/var/run/dbus/system_bus_socket', mountPath: '/var/run/dbus/system_bus_socket', readOnly: true, propagation: 'None', type: 'Socket',
    });
    expect(build().exporter.hostPaths.map(m => m.hostPath)).toEqual(['/proc', '/sys', '/']);
  });

  test('an unknown collector name throws', () => {
    expect(() => build({ enableCollectors: ['gpu' as any] })).toThrow(StatefulError);
    expect(() => build({ enableCollectors: ['gpu' as any] })).toThrow(/^NodeExporterDaemon 'test\/node-exporter': enableCollectors must be one of 'arp', .*, got "gpu"\.$/);
  });

  test('a collector both enabled and disabled throws', () => {
    expect(() => build({ enableCollectors: [NodeExporterCollector.CPU], disableCollectors: [NodeExporterCollector.CPU] }))
      .toThrow("NodeExporterDaemon 'test/node-exporter': disableCollectors must be collectors not also listed in enableCollectors, got \"cpu\".");
  });

  test('the textfile directory is mounted read-only and passed to the collector', () => {
    const { container, exporter, pod } = build({ textfileDirectory: '/var/lib/node-exporter/textfile' });
    expect(container.args).toContain('--collector.textfile.directory=/host/textfile');
    expect(exporter.hostPaths[3]).toEqual({
      hostPath: '/var/lib/node-exporter/textfile', mountPath: '/host/textfile', readOnly: true, propagation: 'None', type: 'DirectoryOrCreate',
    });
    expect(pod.volumes[3].hostPath).toEqual({ path: '/var/lib/node-exporter/textfile', type: 'DirectoryOrCreate' });
  });

  test('a textfile directory with the textfile collector disabled throws; so does a relative one', () => {
    expect(() => build({ textfileDirectory: '/var/lib/tf', disableCollectors: [NodeExporterCollector.TEXTFILE] }))
      .toThrow("NodeExporterDaemon 'test/node-exporter': textfileDirectory must be left out when the textfile collector is disabled, got \"/var/lib/tf\".");
    expect(() => build({ textfileDirectory: 'tf' }))
      .toThrow("NodeExporterDaemon 'test/node-exporter': textfileDirectory must be an absolute path (starting with '/', without '..' segments), got \"tf\".");
  });
});

describe('NodeExporterDaemon service and ServiceMonitor', () => {
  test('an optional ServiceMonitor selects the Service and scrapes its metrics port', () => {
    const { objects } = build({ serviceMonitor: { interval: Duration.seconds(15), labels: { release: 'prometheus' } } }, 'monitoring');
    const sm = find(objects, 'ServiceMonitor');
    const svc = find(objects, 'Service');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.labels.release).toBe('prometheus');
    expect(sm.spec.selector.matchLabels).toEqual(svc.spec.selector);
    Object.entries(sm.spec.selector.matchLabels).forEach(([k, v]) => expect(svc.metadata.labels[k]).toBe(v));
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['monitoring'] });
    expect(sm.spec.endpoints).toEqual([{
      port: 'metrics',
      scheme: 'http',
      path: '/metrics',
      interval: '15s',
      relabelings: [{ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'instance' }],
    }]);
  });

  test('service: false emits no Service; a ServiceMonitor without it throws', () => {
    expect(build({ service: false }).objects.map(o => o.kind).sort()).toEqual(['DaemonSet', 'ServiceAccount']);
    expect(() => build({ service: false, serviceMonitor: {} }))
      .toThrow("NodeExporterDaemon 'test/node-exporter': serviceMonitor must be left out when service is false (a ServiceMonitor selects the Service), got {}.");
  });

  test('a scrape timeout longer than the interval throws', () => {
    expect(() => build({ serviceMonitor: { interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(30) } }))
      .toThrow("NodeExporterDaemon 'test/node-exporter': serviceMonitor.scrapeTimeout must be at most the interval (10s), got \"30s\".");
  });

  test('a custom port moves the flag, the container port, the Service and its annotation', () => {
    const { objects, container } = build({ port: 9200 });
    expect(container.args).toContain('--web.listen-address=[$(HOST_IP)]:9200');
    expect(container.ports[0].hostPort).toBe(9200);
    expect(container.ports[0].containerPort).toBe(9200);
    const svc = find(objects, 'Service');
    expect(svc.spec.ports[0].port).toBe(9200);
    expect(svc.metadata.annotations['prometheus.io/port']).toBe('9200');
  });

  test('in a NodeAgentNamespace, the namespace is labelled privileged', () => {
    const c = new Chart(Testing.app(), 'test');
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'monitoring' });
    new NodeExporterDaemon(c, 'node-exporter', { namespace: ns });
    const objects = synth(c);
    expect(find(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(find(objects, 'Service').metadata.namespace).toBe('monitoring');
    // No critical priority class: no quota for it.
    expect(objects.filter(o => o.kind === 'ResourceQuota')).toEqual([]);
    expect(ns.criticalPodsQuota).toBeUndefined();
  });

  test('system-node-critical in a NodeAgentNamespace brings the ResourceQuota GKE requires for it', () => {
    // GIVEN a namespace of our own and an exporter that must not be evicted first
    const c = new Chart(Testing.app(), 'test');
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'monitoring' });
    // WHEN
    new NodeExporterDaemon(c, 'node-exporter', { namespace: ns, priorityClassName: 'system-node-critical' });
    new NodeExporterDaemon(c, 'second', { name: 'second', port: 9110, namespace: ns, priorityClassName: 'system-node-critical' });
    const objects = synth(c);
    // THEN one quota, in the namespace, scoped to the critical classes, counting pods
    const quotas = objects.filter(o => o.kind === 'ResourceQuota');
    expect(quotas).toHaveLength(1);
    expect(quotas[0].metadata).toEqual({ name: 'critical-pods', namespace: 'monitoring' });
    expect(quotas[0].spec).toEqual({
      hard: { pods: '1G' },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical', 'system-cluster-critical'] }] },
    });
    expect(ns.criticalPodsQuota).toBeDefined();
  });

  test('kube-system admits the critical classes without a quota; other classes need none', () => {
    const c = new Chart(Testing.app(), 'test');
    const system = new NodeAgentNamespace(c, 'system', { name: 'kube-system' });
    const other = new NodeAgentNamespace(c, 'other', { name: 'agents' });
    new NodeExporterDaemon(c, 'node-exporter', { namespace: system, priorityClassName: 'system-node-critical' });
    new NodeExporterDaemon(c, 'second', { name: 'second', port: 9110, namespace: other, priorityClassName: 'high' });
    expect(system.criticalPodsQuota).toBeUndefined();
    expect(other.criticalPodsQuota).toBeUndefined();
  });
});
