import { GuardSeverity } from '../finding';
import { WRITERS_ANNOTATION } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SG014: a ReadWriteMany claim written by more than one replica in total (over every workload
 * mounting it read-write; a DaemonSet counts as many) unless the claim declares coordinated
 * writers (`stateful.cdk8s.io/writers: coordinated`). A claim declared `single` but written by
 * several replicas is a finding too. A claim on a per-node disk (bound to a local, hostPath or
 * node-local CSI volume, or of a node-local class) is not shared storage: not judged here.
 */
export const SG014: GuardRule = {
  id: 'SG014',
  severity: GuardSeverity.WARNING,
  title: 'ReadWriteMany claim written by several replicas without declared writer coordination',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const claim of graph.claims) {
      if (!claim.accessModes.includes('ReadWriteMany') || claim.volume?.perNodeDisk || claim.capabilities?.nodeLocal) continue;
      const writers = new Map<string, { text: string; count: number }>();
      for (const use of claim.uses) {
        if (use.readOnly) continue;
        writers.set(use.workload.obj.key, { text: `${use.workload.obj.display} (${use.workload.replicasText})`, count: use.workload.maxReplicas });
      }
      const total = [...writers.values()].reduce((sum, w) => sum + w.count, 0);
      if (total <= 1) continue;
      const declared = claim.annotations[WRITERS_ANNOTATION];
      if (declared === 'coordinated') continue;
      const list = [...writers.values()].map(w => w.text).join(', ');
      findings.push({
        object: claim.subject,
        message: declared === 'single'
          ? `${claim.display} declares a single writer (${WRITERS_ANNOTATION}: single) but is mounted read-write by ${list}.`
          : `${claim.display} (ReadWriteMany) is mounted read-write by ${list}, and declares no writer coordination (${WRITERS_ANNOTATION}${declared ? `: ${JSON.stringify(declared)}` : ' is not set'}).`,
        impact: 'Replicas writing the same files at once overwrite each other: a shared counter written by three replicas showed gaps and out-of-order values, and files get truncated or corrupted.',
        fix: `Mount the volume read-only in all but one writer (a single replica), or make the application coordinate its writers (locks, one file per replica) and annotate the claim ${WRITERS_ANNOTATION}: coordinated.`,
      });
    }
    return findings;
  },
};
