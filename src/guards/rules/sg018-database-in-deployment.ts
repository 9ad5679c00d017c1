import { GuardSeverity } from '../finding';
import { asObj, ManifestGraph, persistenceOff, REPLICA_KINDS, WorkloadNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * Whether a single-replica Deployment already applies the documented fix: strategy Recreate (the
 * old pod stops first) and a database container writing to a PersistentVolumeClaim.
 */
function appliesTheFix(w: WorkloadNode): boolean {
  if (w.kind !== 'Deployment' || asObj(w.obj.spec.strategy)?.type !== 'Recreate') return false;
  const db = new Set(w.databaseContainers);
  return w.claimUses.some(u => u.volume.type === 'claim' && u.writers.some(c => db.has(c)));
}

/** Whether every database container is a cache that keeps nothing on disk (Redis with persistence off). */
function cacheOnly(graph: ManifestGraph, w: WorkloadNode): boolean {
  return w.databaseContainers.every(c => (c.engine!.engine === 'redis' || c.engine!.engine === 'valkey')
    && persistenceOff(c.engine!, c.env, c.argv, graph.mountedConfigFiles(w, c).files) === true);
}

/**
 * SG018: a database in a single-replica Deployment, ReplicaSet or ReplicationController (works, but
 * a StatefulSet is the right tool), unless the Deployment applies the documented fix (Recreate and
 * a claim) or the database is a cache with persistence off.
 */
export const SG018: GuardRule = {
  id: 'SG018',
  severity: GuardSeverity.WARNING,
  title: 'Database in a Deployment instead of a StatefulSet',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (!REPLICA_KINDS.has(w.kind) || w.maxReplicas > 1 || w.databaseContainers.length === 0) continue; // more replicas: SG004
      if (appliesTheFix(w) || cacheOnly(graph, w)) continue;
      const c = w.databaseContainers[0];
      const strategy = asObj(w.obj.spec.strategy)?.type;
      const missing: string[] = [];
      if (w.kind === 'Deployment' && strategy !== 'Recreate') missing.push(`strategy ${strategy ?? 'RollingUpdate (the default)'}, not Recreate`);
      if (!w.claimUses.some(u => u.volume.type === 'claim')) missing.push('no PersistentVolumeClaim');
      findings.push({
        object: w.obj,
        message: `${w.obj.display} runs ${c.engine!.engine} (image '${c.image}') in a ${w.kind}${missing.length ? ` (${missing.join(', ')})` : ''}.`,
        impact: 'A Deployment gives the database no stable identity and shares one claim between old and new pods: it cannot grow into a replicated cluster, and a scale-up or a RollingUpdate breaks it.',
        fix: 'Run it in a StatefulSet with volumeClaimTemplates and a headless Service (e.g. StatefulDatabase); if it stays a Deployment keep replicas at 1 with strategy Recreate and its data on a claim.',
      });
    }
    return findings;
  },
};
