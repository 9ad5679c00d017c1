import { baselineOf } from './baseline-diff';
import { nsFlag } from './kubectl';
import { GuardSeverity } from '../finding';
import { asObj } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SU006: an update the API server accepts but that deletes data later: a StatefulSet's claim
 * retention (`whenDeleted`, `whenScaled`) turned to Delete, or a PersistentVolume's
 * `persistentVolumeReclaimPolicy` turned to Delete.
 */
export const SU006: GuardRule = {
  id: 'SU006',
  severity: GuardSeverity.ERROR,
  title: 'Claim retention or PersistentVolume reclaim policy turned to Delete since the baseline',
  check(graph) {
    const diff = baselineOf(graph);
    if (!diff) return [];
    const findings: RuleFinding[] = [];
    for (const { previous, current } of diff.changes('StatefulSet')) {
      if ((diff.workload(current)?.claimTemplates.length ?? 0) === 0) continue;
      const before = asObj(previous.spec.persistentVolumeClaimRetentionPolicy) ?? {};
      const after = asObj(current.spec.persistentVolumeClaimRetentionPolicy) ?? {};
      const turned = (['whenDeleted', 'whenScaled'] as const).filter(k => after[k] === 'Delete' && before[k] !== 'Delete');
      if (turned.length === 0) continue;
      findings.push({
        object: current,
        message: `${current.display} turns persistentVolumeClaimRetentionPolicy ${turned.map(k => `${k} from ${before[k] ?? 'Retain (the default)'} to Delete`).join(' and ')} since the baseline.`,
        impact: 'The API server accepts it, and from then on '
          + (turned.includes('whenDeleted') ? 'deleting the StatefulSet (a rename, a --cascade re-create to change an immutable field, a mistaken kubectl delete) deletes every replica\'s claim and data'
            : 'scaling down deletes the claims and data of the removed replicas') + '.',
        fix: `Keep ${turned.join(' and ')}: Retain, and delete claims deliberately (\`kubectl delete pvc <template>-${current.name}-<ordinal>${nsFlag(current)}\`) when their data is no longer needed.`,
      });
    }
    for (const { previous, current } of diff.changes('PersistentVolume')) {
      const before = typeof previous.spec.persistentVolumeReclaimPolicy === 'string' ? previous.spec.persistentVolumeReclaimPolicy : 'Retain';
      if (current.spec.persistentVolumeReclaimPolicy !== 'Delete' || before === 'Delete') continue;
      findings.push({
        object: current,
        message: `${current.display} turns persistentVolumeReclaimPolicy from ${before} to Delete since the baseline.`,
        impact: 'The API server accepts it, and from then on deleting its claim (an uninstall, a namespace deletion, a pruned claim) deletes the disk and its data.',
        fix: `Keep persistentVolumeReclaimPolicy: ${before}, and delete the disk deliberately when its data is no longer needed.`,
      });
    }
    return findings;
  },
};
