import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SG015: a StatefulSet whose governing Service is not in the input (it may be defined elsewhere),
 * or a headless governing Service whose selector does not select the StatefulSet's pods.
 */
export const SG015: GuardRule = {
  id: 'SG015',
  severity: GuardSeverity.WARNING,
  title: 'StatefulSet governing Service missing from the input, or not selecting its pods',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind !== 'StatefulSet') continue;
      const name = w.obj.spec.serviceName;
      if (typeof name !== 'string' || !name) continue;
      const svc = graph.service(w.obj.namespace, name);
      if (!svc) {
        findings.push({
          object: w.obj,
          message: `${w.obj.display} names '${name}' as its governing Service, but no Service '${name}' is in namespace '${w.obj.namespace}' of the input.`,
          impact: 'If the Service does not exist in the cluster either, the pods get no stable DNS names and peers cannot find each other.',
          fix: `Define a headless Service '${name}' (clusterIP: None) selecting the pod template's labels, or acknowledge this if it is deployed separately.`,
        });
        continue;
      }
      if (!svc.headless) continue; // SG007
      const selector = svc.selector ?? {};
      const matches = Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => w.podLabels[k] === v);
      if (matches) continue;
      findings.push({
        object: w.obj,
        message: `The governing ${svc.obj.display} of ${w.obj.display} selects ${JSON.stringify(selector)}, which does not match the pod labels ${JSON.stringify(w.podLabels)}.`,
        impact: 'The headless Service publishes no DNS record for the pods: db-0.<service> does not resolve and replicas cannot find their peers.',
        fix: "Make the Service's selector match the StatefulSet's pod template labels.",
      });
    }
    return findings;
  },
};
