import { buildExample, synthExample } from '../../examples/examples';
import { parseFluentBitYaml } from '../daemons/fluent-bit-yaml';
import { all, checkedByApiServer, find, parseYaml } from '../harness';

describe('example node-monitoring', () => {
  const objects = checkedByApiServer(parseYaml(synthExample('node-monitoring')));

  test('a monitoring Namespace labelled privileged for enforce, warn and audit', () => {
    const ns = find(objects, 'Namespace');
    expect(ns.metadata.name).toBe('monitoring');
    for (const mode of ['enforce', 'warn', 'audit']) {
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('privileged');
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.28');
    }
    const namespaced = objects.filter(o => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
    expect(namespaced.every(o => o.metadata.namespace === 'monitoring')).toBe(true);
  });

  test('fits beside kube-prometheus-stack: no host port 9100, the exporter bound to the node IP', () => {
    // kube-prometheus-stack's prometheus-node-exporter runs with hostNetwork on 9100 (its
    // service.port): a second DaemonSet asking for 9100 would stay Pending on every node.
    const pod = find(objects, 'DaemonSet', 'node-exporter').spec.template.spec;
    const container = pod.containers[0];
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9110, hostPort: 9110, protocol: 'TCP' }]);
    const hostPorts = all(objects, 'DaemonSet').flatMap(ds => ds.spec.template.spec.hostNetwork
      ? ds.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort)) : []);
    expect(hostPorts).not.toContain(9100);
    expect(container.args).toContain('--web.listen-address=[$(HOST_IP)]:9110');
    expect(container.env).toEqual([{ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }]);
    expect(find(objects, 'ServiceMonitor').spec.endpoints[0].port).toBe('metrics');
    expect(find(objects, 'Service', 'node-exporter').spec.ports[0].port).toBe(9110);
  });

  test('system-node-critical comes with the ResourceQuota GKE requires outside kube-system', () => {
    const quota = find(objects, 'ResourceQuota');
    expect(quota.metadata.namespace).toBe('monitoring');
    expect(quota.spec.scopeSelector.matchExpressions).toEqual([
      { scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical', 'system-cluster-critical'] },
    ]);
    for (const name of ['node-exporter', 'fluent-bit']) {
      expect(find(objects, 'DaemonSet', name).spec.template.spec.priorityClassName).toBe('system-node-critical');
    }
  });

  test('node-exporter reads the node read-only and is scraped through a ServiceMonitor', () => {
    const ds = find(objects, 'DaemonSet', 'node-exporter');
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.containers[0].volumeMounts.every((m: any) => m.readOnly)).toBe(true);
    expect(pod.containers[0].args).toEqual(expect.arrayContaining(['--collector.processes', '--no-collector.wifi',
      '--collector.textfile.directory=/host/textfile']));
    const sm = find(objects, 'ServiceMonitor');
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.selector.matchLabels).toEqual(find(objects, 'Service', 'node-exporter').spec.selector);
    expect(sm.spec.endpoints[0].port).toBe('metrics');
  });

  test('Fluent Bit ships to Loki with the password from a Secret', () => {
    const ds = find(objects, 'DaemonSet', 'fluent-bit');
    const container = ds.spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'FLUENT_LOKI_PASSWORD', valueFrom: { secretKeyRef: { name: 'loki-credentials', key: 'password' } } }]);
    const config = parseFluentBitYaml(find(objects, 'ConfigMap', 'fluent-bit').data['fluent-bit.yaml']);
    expect(config.service.parsers_file).toBe('/fluent-bit/etc/parsers.conf');
    expect(config.outputs[0]).toMatchObject({ name: 'loki', host: 'loki-gateway.monitoring.svc', port: '80', tenant_id: 'platform', http_passwd: '${FLUENT_LOKI_PASSWORD}' });
    expect(all(objects, 'ClusterRole').map(r => r.rules)).toEqual([[{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]]);
  });

  test('the construct tree gives reviewers the host paths of every agent', () => {
    const app = buildExample('node-monitoring');
    const paths = app.node.findAll().flatMap((c: any) => (Array.isArray(c.hostPaths) ? c.hostPaths : []));
    expect(paths.filter((m: any) => !m.readOnly).map((m: any) => m.hostPath)).toEqual(['/var/lib/fluent-bit']);
  });
});
