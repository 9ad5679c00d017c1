import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** SG003: a DaemonSet mounting a claim that is not ReadWriteMany/ReadOnlyMany mounted read-only. */
export const SG003: GuardRule = {
  id: 'SG003',
  severity: GuardSeverity.ERROR,
  title: 'Claim mounted by a DaemonSet (only a shared ReadWriteMany/ReadOnlyMany claim mounted read-only works)',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind !== 'DaemonSet') continue;
      for (const use of w.claimUses) {
        const claim = use.claim;
        const shared = claim ? claim.accessModes.some(m => m === 'ReadWriteMany' || m === 'ReadOnlyMany') : undefined;
        // A read-only mount of a claim outside the input may well be shared: unknown is not an error.
        if (use.readOnly && shared !== false) continue;
        const what = claim ? `${claim.display} (${claim.accessModes.join(', ') || 'no access modes'})` : `claim '${use.volume.claimName}' (not in the input)`;
        findings.push({
          object: w.obj,
          message: `${w.obj.display} mounts ${what} ${use.readOnly ? 'read-only' : 'read-write'} through volume '${use.volume.name}' on every node.`,
          impact: shared === false
            ? 'A DaemonSet runs one pod per node, and a ReadWriteOnce volume attaches to one node: every pod but one hangs in ContainerCreating with a Multi-Attach error.'
            : 'A DaemonSet runs one pod per node, all writing the same shared volume at once: files are overwritten and data is lost.',
          fix: 'Node agents should use hostPath mounts of the node\'s own directories (read-only where possible); if pods must share data, use a ReadWriteMany claim mounted read-only.',
        });
      }
    }
    return findings;
  },
};
