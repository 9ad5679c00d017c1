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
    expect(config.outputs[0]).toMatchObject({ name: 'loki', host: 'loki-gateway.monitoring.svc', port: '80', tenant_id: 'platform', http_passwd: '${FLUENT_LOKI_PASSWORD}' });
    expect(all(objects, 'ClusterRole').map(r => r.rules)).toEqual([[{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]]);
  });

  test('the construct tree gives reviewers the host paths of every agent', () => {
    const app = buildExample('node-monitoring');
    const paths = app.node.findAll().flatMap((c: any) => (Array.isArray(c.hostPaths) ? c.hostPaths : []));
    expect(paths.filter((m: any) => !m.readOnly).map((m: any) => m.hostPath)).toEqual(['/var/lib/fluent-bit']);
  });
});
