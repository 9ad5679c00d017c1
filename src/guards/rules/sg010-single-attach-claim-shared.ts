import { GuardSeverity } from '../finding';
import { WorkloadNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/** SG010: the same ReadWriteOnce claim mounted by two different workloads. */
export const SG010: GuardRule = {
  id: 'SG010',
  severity: GuardSeverity.WARNING,
  title: 'ReadWriteOnce claim mounted by more than one workload',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const claim of graph.claims) {
      if (!claim.singleAttach) continue;
      const workloads = new Map<string, WorkloadNode>();
      for (const use of claim.uses) workloads.set(use.workload.obj.key, use.workload);
      if (workloads.size < 2) continue;
      const list = [...workloads.values()];
      findings.push({
        object: claim.subject,
        message: `${claim.display} (${claim.accessModes.join(', ')}) is mounted by ${list.length} workloads: ${list.map(w => w.obj.display).join(', ')}.`,
        impact: 'The volume attaches to one node at a time: whichever workload is scheduled second cannot start (Multi-Attach error) unless both happen to share a node, and then both write the same files.',
        fix: 'Give each workload its own claim, or use a ReadWriteMany class and make the writers coordinate (or mount it read-only in all but one).',
      });
    }
    return findings;
  },
};
