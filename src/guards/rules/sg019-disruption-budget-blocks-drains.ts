import { GuardSeverity } from '../finding';
import { PdbNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

const PERCENT = /^(\d+)%$/;

/**
 * The budget's arithmetic when it allows no voluntary disruption at all, else undefined. The
 * disruption controller rounds percentages UP (67 % of 3 pods is 3): minAvailable reaching every
 * pod, or maxUnavailable 0 / 0 %, leaves no eviction allowed.
 */
function blocksEveryEviction(pdb: PdbNode): string | undefined {
  const min = pdb.minAvailable;
  const max = pdb.maxUnavailable;
  if (min === undefined && (max === 0 || max === '0' || max === '0%')) return `maxUnavailable ${JSON.stringify(max)} allows 0 evictions`;
  if (min === undefined) return undefined;
  if (min === '100%') return 'minAvailable "100%" keeps every pod';
  // Counts need the pods the budget selects: DaemonSets (one per node) and workloads outside the input are unknown.
  const workloads = pdb.workloads;
  if (workloads.length === 0 || workloads.some(w => w.replicas === Infinity)) return undefined;
  const pods = workloads.reduce((n, w) => n + w.replicas, 0);
  if (pods === 0) return undefined;
  const of = workloads.length === 1 ? `the ${pods} replica(s) of ${workloads[0].obj.display}` : `the ${pods} pods of ${workloads.map(w => w.obj.display).join(', ')}`;
  const percent = typeof min === 'string' ? PERCENT.exec(min) : null;
  if (percent) {
    const needed = Math.ceil((parseInt(percent[1], 10) * pods) / 100);
    return needed >= pods ? `minAvailable "${min}" of ${of} rounds up to ${needed} (ceil(${percent[1]}% × ${pods}) = ${needed}), so ${pods} - ${needed} = 0 evictions are allowed` : undefined;
  }
  const count = typeof min === 'number' ? min : typeof min === 'string' && /^\d+$/.test(min) ? parseInt(min, 10) : undefined;
  if (count === undefined || count < pods) return undefined;
  return `minAvailable ${count} ${count === pods ? 'equals' : 'exceeds'} ${of}, so ${pods} - ${count} ≤ 0 evictions are allowed`;
}

/** SG019: a PodDisruptionBudget that allows no voluntary disruption. */
export const SG019: GuardRule = {
  id: 'SG019',
  severity: GuardSeverity.WARNING,
  title: 'PodDisruptionBudget allows no voluntary disruption (blocks every drain)',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const pdb of graph.pdbs) {
      const arithmetic = blocksEveryEviction(pdb);
      if (!arithmetic) continue;
      findings.push({
        object: pdb.obj,
        message: `${pdb.obj.display}: ${arithmetic}.`,
        impact: 'Every node drain waits on these pods forever: cluster upgrades, node replacements and autoscaler scale-downs stall until someone deletes the budget or the pods by hand (which then takes them all down with no budget at all).',
        fix: 'Allow at least one disruption: maxUnavailable: 1 (for a quorum, at most the members it can lose), or minAvailable below the replica count; run more replicas if one must always stay up.',
      });
    }
    return findings;
  },
};
