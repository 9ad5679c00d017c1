import { GuardSeverity } from '../finding';
import { ClaimNode, WorkloadNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SG010: the same ReadWriteOnce claim mounted by two different workloads, including a claim a
 * StatefulSet creates from its claim template (`<template>-<statefulset>-<ordinal>`) mounted by
 * name by another workload (the StatefulSet's pod of that ordinal mounts it too).
 */
export const SG010: GuardRule = {
  id: 'SG010',
  severity: GuardSeverity.WARNING,
  title: 'ReadWriteOnce claim mounted by more than one workload',
  check(graph) {
    const findings: RuleFinding[] = [];
    const report = (claim: ClaimNode, owner: WorkloadNode | undefined, ordinal: number | undefined) => {
      if (!claim.singleAttach) return;
      const workloads = new Map<string, WorkloadNode>();
      if (owner) workloads.set(owner.obj.key, owner);
      for (const use of claim.uses) workloads.set(use.workload.obj.key, use.workload);
      if (workloads.size < 2) return;
      const list = [...workloads.values()];
      const others = list.filter(w => w !== owner);
      findings.push({
        // A generated claim is not in the input: the finding goes to the workload borrowing it.
        object: claim.isGenerated ? others[0].obj : claim.subject,
        message: owner
          ? `${claim.display} (${claim.accessModes.join(', ')}) belongs to pod ${owner.obj.name}-${ordinal} of ${owner.obj.display}, and is also mounted by ${others.map(w => w.obj.display).join(', ')}.`
          : `${claim.display} (${claim.accessModes.join(', ')}) is mounted by ${list.length} workloads: ${list.map(w => w.obj.display).join(', ')}.`,
        impact: 'The volume attaches to one node at a time: whichever workload is scheduled second cannot start (Multi-Attach error) unless both happen to share a node, and then both write the same files.',
        fix: 'Give each workload its own claim, or use a ReadWriteMany class and make the writers coordinate (or mount it read-only in all but one).',
      });
    };
    for (const claim of graph.claims) {
      // A claim of the input named like a StatefulSet's claim (pre-created to bind a given volume) is that pod's too.
      const from = graph.claimTemplateOf(claim.namespace, claim.name);
      report(claim, from?.template.owner, from?.ordinal);
    }
    for (const claim of graph.generatedClaims) {
      report(claim, claim.owner, graph.claimTemplateOf(claim.namespace, claim.name)?.ordinal);
    }
    return findings;
  },
};
