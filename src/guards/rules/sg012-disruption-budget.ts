import { GuardSeverity } from '../finding';
import { isQuorumMember, ManifestGraph, PdbNode, replicationFactorEvidence, WorkloadNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/** Pods a budget lets voluntary disruptions take down at once, out of `n` (undefined: not computable). */
export function allowedDisruptions(pdb: PdbNode, n: number): number | undefined {
  const value = (v: number | string | undefined): number | undefined => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d+%$/.test(v)) return Math.ceil((parseInt(v, 10) * n) / 100); // the disruption controller rounds up
    if (typeof v === 'string' && /^\d+$/.test(v)) return parseInt(v, 10);
    return undefined;
  };
  if (pdb.minAvailable !== undefined) {
    const min = value(pdb.minAvailable);
    return min === undefined ? undefined : Math.max(0, n - min);
  }
  const max = value(pdb.maxUnavailable);
  return max === undefined ? undefined : Math.min(n, max);
}

function quorumEngine(w: WorkloadNode): string | undefined {
  return w.databaseContainers.find(c => isQuorumMember(c.engine!, c.env))?.engine?.engine;
}

/** A copy-quorum engine's container of the workload, with its replication factor (see CopyQuorum). */
function copyQuorum(graph: ManifestGraph, w: WorkloadNode): { engine: string; factor: number; declaredBy?: string } | undefined {
  const c = w.databaseContainers.find(d => d.engine!.copyQuorum !== undefined);
  if (!c) return undefined;
  const rf = replicationFactorEvidence(c.engine!.copyQuorum!, graph.mountedConfigFiles(w, c).files);
  return { engine: c.engine!.engine, ...rf };
}

/**
 * SG012: a multi-replica stateful workload (a StatefulSet) without a PodDisruptionBudget; a
 * quorum system with an even replica count, or a budget that lets a drain break its majority.
 * Copy-quorum engines (Cassandra, CockroachDB) need a majority of each row's copies, not of the
 * members: any member count is fine, and the budget is judged by the replication factor.
 */
export const SG012: GuardRule = {
  id: 'SG012',
  severity: GuardSeverity.WARNING,
  title: 'Multi-replica stateful workload without a disruption budget, or a quorum that drains can break',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind !== 'StatefulSet') continue;
      const n = w.replicas;
      const engine = quorumEngine(w);
      if (engine && n > 1 && n % 2 === 0) {
        findings.push({
          object: w.obj,
          message: `${w.obj.display} runs ${engine}, a quorum system, with an even number of replicas (${n}).`,
          impact: `A majority of ${n} is ${n / 2 + 1}: ${n} members tolerate no more failures than ${n - 1} would, and a network split into two halves leaves no side with a quorum, so writes stop.`,
          fix: `Run an odd number of replicas (${n - 1} or ${n + 1}).`,
        });
      }
      if (w.maxReplicas <= 1) continue;
      if (w.pdbs.length === 0) {
        findings.push({
          object: w.obj,
          message: `${w.obj.display} runs ${w.replicasText} and no PodDisruptionBudget in the input selects its pods.`,
          impact: 'A node drain, cluster upgrade or autoscaler scale-down may evict several replicas at once: the service loses its primary and replicas (or its quorum) together.',
          fix: "Add a PodDisruptionBudget selecting the pod template's labels, e.g. maxUnavailable: 1.",
        });
        continue;
      }
      const copies = engine ? undefined : copyQuorum(graph, w);
      if (copies && n >= 2) findings.push(...copyBudgetFindings(w, n, copies));
      if (!engine || n < 3) continue;
      const majority = Math.floor(n / 2) + 1;
      for (const pdb of w.pdbs) {
        const down = allowedDisruptions(pdb, n);
        if (down === undefined || n - down >= majority) continue;
        findings.push({
          object: pdb.obj,
          message: `${pdb.obj.display} lets ${down} of the ${n} ${engine} members of ${w.obj.display} be evicted at once; a quorum needs ${majority}.`,
          impact: 'A drain that evicts as many members as the budget allows leaves a minority: the cluster stops accepting writes (or splits) until members come back.',
          fix: `Allow at most ${n - majority} disruption(s): maxUnavailable: ${n - majority} or minAvailable: ${majority}.`,
        });
      }
    }
    return findings;
  },
};

/**
 * Budgets that let a drain take more members than every copy set can lose: with one copy per
 * member, floor(RF / 2) + 1 of the RF copies of a row must stay up, so at most RF - quorum members
 * may go at once (and 1 when that is 0: a budget of 0 would block every drain).
 */
function copyBudgetFindings(w: WorkloadNode, n: number, copies: { engine: string; factor: number; declaredBy?: string }): RuleFinding[] {
  const rf = Math.min(copies.factor, n);
  const quorum = Math.floor(rf / 2) + 1;
  const safe = Math.max(1, rf - quorum);
  const source = copies.declaredBy ? `replication factor ${rf} (${copies.declaredBy})` : `replication factor ${rf} (assumed: the manifests do not declare it)`;
  const findings: RuleFinding[] = [];
  for (const pdb of w.pdbs) {
    const down = allowedDisruptions(pdb, n);
    if (down === undefined || down <= safe) continue;
    findings.push({
      object: pdb.obj,
      message: `${pdb.obj.display} lets ${down} of the ${n} ${copies.engine} members of ${w.obj.display} be evicted at once; with ${source} a QUORUM needs ${quorum} of each row's ${rf} copies.`,
      impact: `Rows with ${rf - quorum + 1} or more copies on the evicted members lose their quorum: QUORUM reads and writes of those rows fail until members come back.`,
      fix: `Allow at most ${safe} disruption(s) (maxUnavailable: ${safe}), or raise the replication factor of the keyspaces.`,
    });
  }
  return findings;
}
