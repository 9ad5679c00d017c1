import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** SG001: a ReadWriteOnce/ReadWriteOncePod claim shared by the replicas of one workload. */
export const SG001: GuardRule = {
  id: 'SG001',
  severity: GuardSeverity.ERROR,
  title: 'ReadWriteOnce claim mounted by a workload that can run more than one replica',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind === 'DaemonSet' || w.maxReplicas <= 1) continue; // DaemonSets: SG003
      for (const use of w.claimUses) {
        const claim = use.claim;
        if (use.volume.type !== 'claim' || !claim?.singleAttach) continue;
        findings.push({
          object: w.obj,
          message: `${w.obj.display} runs ${w.replicasText} that all mount ${claim.display} (${claim.accessModes.join(', ')}) through volume '${use.volume.name}'.`,
          impact: 'A ReadWriteOnce volume attaches to one node (ReadWriteOncePod: one pod): replicas scheduled elsewhere hang in ContainerCreating with a Multi-Attach error, and replicas on the same node write the same files at once.',
          fix: w.kind === 'StatefulSet'
            ? `Give each replica its own claim with volumeClaimTemplates instead of the shared claim '${claim.name}', or use a ReadWriteMany class whose writers coordinate.`
            : 'Run one replica (and cap its autoscaler at 1), or move the data to a StatefulSet with volumeClaimTemplates (one claim per replica), or use a ReadWriteMany class whose writers coordinate.',
        });
      }
    }
    return findings;
  },
};
