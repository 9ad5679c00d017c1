import { GuardSeverity } from '../finding';
import { asObj, ClaimNode, REPLICA_KINDS, WorkloadNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

const SERVER_KINDS = new Set(['StatefulSet', ...REPLICA_KINDS]);

function dataClaims(w: WorkloadNode): ClaimNode[] {
  const dbContainers = new Set(w.databaseContainers);
  return w.claimUses.filter(u => u.claim && u.writers.some(c => dbContainers.has(c))).map(u => u.claim!);
}

/**
 * SG013: database data on a StorageClass (or bound volume) with reclaimPolicy Delete, or a
 * StatefulSet whose claim retention policy deletes its claims.
 */
export const SG013: GuardRule = {
  id: 'SG013',
  severity: GuardSeverity.WARNING,
  title: 'Database data deleted with its claim (reclaimPolicy Delete or claim retention Delete)',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind === 'StatefulSet' && w.claimTemplates.length > 0) {
        const policy = asObj(w.obj.spec.persistentVolumeClaimRetentionPolicy) ?? {};
        const deleting = (['whenDeleted', 'whenScaled'] as const).filter(k => policy[k] === 'Delete');
        if (deleting.length > 0) {
          findings.push({
            object: w.obj,
            message: `${w.obj.display} deletes its claims (persistentVolumeClaimRetentionPolicy ${deleting.map(k => `${k}: Delete`).join(', ')}).`,
            impact: deleting.includes('whenDeleted')
              ? 'Deleting the StatefulSet (a rename, a re-create to change an immutable field, a mistaken kubectl delete) deletes every replica\'s data.'
              : 'Scaling down deletes the data of the removed replicas: scaling back up starts them empty.',
            fix: 'Set both whenDeleted and whenScaled to Retain (the Kubernetes default) and delete claims deliberately.',
          });
        }
      }
      // The servers' data, not a backup Job's dump directory.
      if (w.databaseContainers.length === 0 || !SERVER_KINDS.has(w.kind)) continue;
      for (const claim of dataClaims(w)) {
        const pv = claim.volume;
        const sc = claim.storageClass;
        if (pv ? pv.reclaimPolicy !== 'Delete' : sc?.reclaimPolicy !== 'Delete') continue;
        findings.push({
          object: claim.subject,
          message: pv
            ? `${claim.display} holds database data of ${w.obj.display} on ${pv.obj.display} with persistentVolumeReclaimPolicy Delete.`
            : `${claim.display} holds database data of ${w.obj.display} on StorageClass '${sc!.name}' with reclaimPolicy ${sc!.obj.raw.reclaimPolicy ? 'Delete' : 'Delete (the default)'}.`,
          impact: 'Deleting the claim (a chart uninstall, a namespace deletion, a claim retention policy) deletes the disk and the database with it: there is no undo.',
          fix: 'Use a StorageClass with reclaimPolicy: Retain for database data (or patch the bound PersistentVolume to Retain), and keep backups.',
        });
      }
    }
    return findings;
  },
};
