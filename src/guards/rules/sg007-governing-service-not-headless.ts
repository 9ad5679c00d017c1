import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SG007: a StatefulSet whose serviceName names a Service of the input that is not headless. A
 * warning for a StatefulSet of one replica (autoscaler included): no peer resolves per-pod names.
 */
export const SG007: GuardRule = {
  id: 'SG007',
  severity: GuardSeverity.ERROR,
  title: 'StatefulSet governing Service is not headless',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind !== 'StatefulSet' || typeof w.obj.spec.serviceName !== 'string' || !w.obj.spec.serviceName) continue;
      const svc = graph.service(w.obj.namespace, w.obj.spec.serviceName);
      if (!svc || svc.headless) continue; // missing: SG015
      const single = w.maxReplicas <= 1;
      findings.push({
        object: w.obj,
        message: `${w.obj.display} names '${svc.obj.name}' as its governing Service (serviceName), but ${svc.obj.display} has a cluster IP (clusterIP is not 'None')${single ? '; it runs one replica' : ''}.`,
        impact: single
          ? 'With one replica nothing needs per-pod DNS names yet; once it scales, the pods get no stable names (db-0.<service>) and replicas cannot find their peers or the primary. serviceName is immutable: fixing it later means re-creating the StatefulSet.'
          : 'Without a headless Service the pods get no stable DNS names (db-0.<service>): replicas cannot find their peers or the primary, and clients cannot address one member.',
        fix: `Set clusterIP: None on Service '${svc.obj.name}' (a headless Service) and give clients a separate ClusterIP Service if they need load balancing.`,
        ...(single ? { severity: GuardSeverity.WARNING } : {}),
      });
    }
    return findings;
  },
};
