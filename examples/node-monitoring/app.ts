/**
 * Node monitoring: Prometheus node-exporter (with a ServiceMonitor for the Prometheus Operator)
 * and Fluent Bit shipping every container's logs to Loki, both in a `monitoring` namespace whose
 * Pod Security labels allow what node agents need (privileged: host namespaces and host paths).
 *
 * It runs beside kube-prometheus-stack, the stack its ServiceMonitor is labelled for, which brings
 * its own node exporter on every node's port 9100 (host network): this exporter takes 9110.
 * Both agents use `system-node-critical`; the namespace carries the ResourceQuota that GKE asks
 * for before it admits that class outside kube-system.
 */
import { App, Chart, Duration } from 'cdk8s';
import { LogCollectorDaemon, LogOutput, NodeAgentNamespace, NodeExporterCollector, NodeExporterDaemon } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'node-monitoring');

  // The level follows the agents placed in it: privileged, the only one that allows host access.
  const monitoring = new NodeAgentNamespace(chart, 'monitoring', { name: 'monitoring' });

  new NodeExporterDaemon(chart, 'node-exporter', {
    name: 'node-exporter',
    namespace: monitoring,
    // kube-prometheus-stack's node exporter holds 9100 on every node.
    port: 9110,
    priorityClassName: 'system-node-critical',
    enableCollectors: [NodeExporterCollector.PROCESSES],
    disableCollectors: [NodeExporterCollector.WIFI],
    textfileDirectory: '/var/lib/node-exporter/textfile',
    serviceMonitor: { interval: Duration.seconds(30), labels: { release: 'kube-prometheus-stack' } },
  });

  new LogCollectorDaemon(chart, 'logs', {
    name: 'fluent-bit',
    namespace: monitoring,
    priorityClassName: 'system-node-critical',
    output: LogOutput.loki({
      host: 'loki-gateway.monitoring.svc',
      port: 80,
      labels: { job: 'fluent-bit', cluster: 'production' },
      tenantId: 'platform',
      user: 'fluent-bit',
      passwordSecret: { secretName: 'loki-credentials', key: 'password' },
    }),
  });
}
