import { GuardSeverity } from '../finding';
import { REPLICA_KINDS } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SG004: a database image in a Deployment/ReplicaSet/ReplicationController that can run more than
 * one replica. One finding per workload; a warning when the database was recognized by its
 * conventions (env and port) rather than its image.
 */
export const SG004: GuardRule = {
  id: 'SG004',
  severity: GuardSeverity.ERROR,
  title: 'Database in a Deployment with more than one replica',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (!REPLICA_KINDS.has(w.kind) || w.maxReplicas <= 1) continue;
      const c = w.databaseContainers.find(d => d.engineEvidence === 'image') ?? w.databaseContainers[0];
      if (c) {
        const byConvention = c.engineEvidence === 'convention';
        findings.push({
          object: w.obj,
          message: byConvention
            ? `${w.obj.display} runs ${w.replicasText} of container '${c.name}' (image '${c.image}'), which looks like a ${c.engine!.engine} server by its environment and port.`
            : `${w.obj.display} runs ${w.replicasText} of container '${c.name}' with database image '${c.image}' (${c.engine!.engine}).`,
          impact: 'Deployment replicas are interchangeable and unnamed: each one starts its own independent database (or all fight over one data directory), so clients see different data and writes are lost; peers cannot find each other to replicate.',
          fix: 'Run the database in a StatefulSet (stable names, one claim per replica, a headless Service; e.g. StatefulDatabase), or keep a Deployment at exactly 1 replica with strategy Recreate.',
          ...(byConvention ? { severity: GuardSeverity.WARNING } : {}),
        });
      }
    }
    return findings;
  },
};
