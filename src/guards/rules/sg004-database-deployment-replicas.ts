import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** SG004: a database image in a Deployment/ReplicaSet that can run more than one replica. */
export const SG004: GuardRule = {
  id: 'SG004',
  severity: GuardSeverity.ERROR,
  title: 'Database in a Deployment with more than one replica',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if ((w.kind !== 'Deployment' && w.kind !== 'ReplicaSet') || w.maxReplicas <= 1) continue;
      for (const c of w.databaseContainers) {
        findings.push({
          object: w.obj,
          message: `${w.obj.display} runs ${w.replicasText} of container '${c.name}' with database image '${c.image}' (${c.engine!.engine}).`,
          impact: 'Deployment replicas are interchangeable and unnamed: each one starts its own independent database (or all fight over one data directory), so clients see different data and writes are lost; peers cannot find each other to replicate.',
          fix: 'Run the database in a StatefulSet (stable names, one claim per replica, a headless Service; e.g. StatefulDatabase), or keep a Deployment at exactly 1 replica with strategy Recreate.',
        });
      }
    }
    return findings;
  },
};
