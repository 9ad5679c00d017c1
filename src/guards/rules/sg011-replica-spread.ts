import { GuardSeverity } from '../finding';
import { asObj, arr, ManifestObject, Selector, WorkloadNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/** Whether a pod affinity term (or topology spread constraint) selects the workload's own pods. */
function selectsOwnPods(w: WorkloadNode, term: Record<string, any> | undefined): boolean {
  if (!term) return false;
  const selector = Selector.of(term.labelSelector);
  if (!selector || !selector.matches(w.podLabels)) return false;
  const namespaces = arr(term.namespaces);
  return namespaces.length === 0 || namespaces.includes(w.obj.namespace) || term.namespaceSelector !== undefined;
}

/** Anti-affinity or topology spread terms of the pod spec, and whether any spreads the workload's own replicas. */
function spread(w: WorkloadNode): { terms: number; own: boolean } {
  const anti = asObj(asObj(w.podSpec.affinity)?.podAntiAffinity) ?? {};
  const required = arr(anti.requiredDuringSchedulingIgnoredDuringExecution).map(asObj);
  const preferred = arr(anti.preferredDuringSchedulingIgnoredDuringExecution).map(p => asObj(asObj(p)?.podAffinityTerm));
  const constraints = arr(w.podSpec.topologySpreadConstraints).map(asObj);
  const terms = [...required, ...preferred, ...constraints].filter(t => t);
  return { terms: terms.length, own: terms.some(t => selectsOwnPods(w, t)) };
}

/**
 * SG011: a multi-replica StatefulSet whose replicas are not spread (no anti-affinity or topology
 * spread selecting its own pods), or a PodDisruptionBudget named after a workload that does not
 * select that workload's pods.
 */
export const SG011: GuardRule = {
  id: 'SG011',
  severity: GuardSeverity.WARNING,
  title: 'StatefulSet replicas not spread across nodes, or an anti-affinity/PDB selector that misses its own pods',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind !== 'StatefulSet' || w.maxReplicas <= 1) continue;
      const s = spread(w);
      if (s.own) continue;
      findings.push({
        object: w.obj,
        message: s.terms === 0
          ? `${w.obj.display} runs ${w.replicasText} without pod anti-affinity or topology spread constraints.`
          : `${w.obj.display} has pod anti-affinity/topology spread terms, but none selects its own pod labels ${JSON.stringify(w.podLabels)}.`,
        impact: 'The scheduler may put several replicas on the same node: one node failure or drain then takes down a majority (or all) of the replicas at once.',
        fix: "Add a preferred (or required) podAntiAffinity term on topologyKey kubernetes.io/hostname whose labelSelector matches the pod template's labels, or a topologySpreadConstraint selecting them.",
      });
    }
    // A budget named after a workload (name, name-pdb, name-budget) that selects none of that workload's pods.
    for (const pdb of graph.pdbs) {
      const base = pdb.obj.name.replace(/-(pdb|budget|disruption-budget)$/, '');
      const owners = graph.workloadsNamed(pdb.obj.namespace, base);
      for (const w of owners) {
        if (pdb.selector?.matches(w.podLabels)) continue;
        findings.push({
          object: pdb.obj as ManifestObject,
          message: `${pdb.obj.display} is named after ${w.obj.display}, but its selector does not match that workload's pod labels ${JSON.stringify(w.podLabels)}.`,
          impact: 'The budget protects no pod of the workload: a node drain or cluster upgrade may evict every replica at once.',
          fix: "Make spec.selector match the pod template's labels.",
        });
      }
    }
    return findings;
  },
};
