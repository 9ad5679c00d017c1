import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** SG016: a hostPath PersistentVolume (a single-node test setup). */
export const SG016: GuardRule = {
  id: 'SG016',
  severity: GuardSeverity.WARNING,
  title: 'hostPath PersistentVolume (only works on a single-node cluster)',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const pv of graph.volumes) {
      if (!pv.hostPath || pv.requiredNodeAffinity) continue;
      findings.push({
        object: pv.obj,
        message: `${pv.obj.display} is a hostPath volume (${pv.obj.spec.hostPath?.path ?? 'a node directory'}) without a required node affinity.`,
        impact: 'The data is a directory on whichever node runs the pod: on a multi-node cluster a rescheduled pod finds another node\'s (empty) directory, and the data is lost with the node.',
        fix: 'On real clusters use a provisioned class (block storage) or a local PersistentVolume with spec.local and a required node affinity; keep hostPath volumes for single-node test clusters.',
      });
    }
    return findings;
  },
};
