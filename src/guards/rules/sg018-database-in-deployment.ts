import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** SG018: a database in a single-replica Deployment (works, but a StatefulSet is the right tool). */
export const SG018: GuardRule = {
  id: 'SG018',
  severity: GuardSeverity.WARNING,
  title: 'Database in a Deployment instead of a StatefulSet',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if ((w.kind !== 'Deployment' && w.kind !== 'ReplicaSet') || w.maxReplicas > 1) continue; // more replicas: SG004
      for (const c of w.databaseContainers) {
        findings.push({
          object: w.obj,
          message: `${w.obj.display} runs ${c.engine!.engine} (image '${c.image}') in a ${w.kind}.`,
          impact: 'A Deployment gives the database no stable identity and shares one claim between old and new pods: it cannot grow into a replicated cluster, and a scale-up or a RollingUpdate breaks it.',
          fix: 'Run it in a StatefulSet with volumeClaimTemplates and a headless Service (e.g. StatefulDatabase); if it stays a Deployment keep replicas at 1 with strategy Recreate.',
        });
      }
    }
    return findings;
  },
};
