import { baselineOf } from './baseline-diff';
import { nsFlag, REMOVAL_ACK } from './kubectl';
import { GuardSeverity } from '../finding';
import { asObj } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SU005: the current output no longer has a StatefulSet that holds data (claim templates, or a
 * claim it mounts), a PersistentVolumeClaim or a PersistentVolume of the baseline. A rename or a
 * namespace move counts: the object of the old identity is what a pruning apply deletes.
 */
export const SU005: GuardRule = {
  id: 'SU005',
  severity: GuardSeverity.ERROR,
  title: 'StatefulSet, claim or PersistentVolume holding data removed since the baseline',
  check(graph) {
    const diff = baselineOf(graph);
    if (!diff) return [];
    const findings: RuleFinding[] = [];
    const prune = 'A pruning apply (kubectl apply --prune, Argo CD or Flux with pruning, helm upgrade) deletes it';
    for (const o of diff.removed('StatefulSet')) {
      const w = diff.workload(o);
      const templates = w?.claimTemplates.map(t => t.name) ?? [];
      const claims = (w?.claimUses ?? []).filter(u => u.volume.type === 'claim').map(u => u.volume.claimName).filter((n): n is string => !!n);
      if (templates.length === 0 && claims.length === 0) continue;
      const deletes = asObj(o.spec.persistentVolumeClaimRetentionPolicy)?.whenDeleted === 'Delete';
      findings.push({
        object: o,
        message: `${o.display} of the baseline is not in the current output (removed, renamed or moved); it holds data in ${templates.length > 0
          ? `claim template(s) ${templates.map(t => `'${t}'`).join(', ')}` : `claim(s) ${claims.map(c => `'${c}'`).join(', ')}`}.`,
        impact: `${prune}: the service stops${deletes ? ', and with persistentVolumeClaimRetentionPolicy whenDeleted: Delete its claims and their data are deleted with it'
          : '; its claims stay (whenDeleted: Retain), but a StatefulSet of another name or namespace starts on new, empty claims (claims are named <template>-<statefulset>-<ordinal>)'}.`,
        fix: `Keep the StatefulSet under its name and namespace. To move it, migrate the data first (backup and restore into the new one). ${REMOVAL_ACK}`,
      });
    }
    for (const o of diff.removed('PersistentVolumeClaim')) {
      findings.push({
        object: o,
        message: `${o.display} of the baseline is not in the current output (removed, renamed or moved).`,
        impact: `${prune}: with a reclaim policy of Delete (the default of dynamically provisioned volumes) the volume and its data are deleted for good; `
          + 'with Retain the disk stays, released, and no claim binds it again without manual work.',
        fix: `Keep the claim under its name and namespace; check what it holds first (\`kubectl get pvc ${o.name}${nsFlag(o)}\`) and back it up. ${REMOVAL_ACK}`,
      });
    }
    for (const o of diff.removed('PersistentVolume')) {
      const policy = typeof o.spec.persistentVolumeReclaimPolicy === 'string' ? o.spec.persistentVolumeReclaimPolicy : 'Retain';
      findings.push({
        object: o,
        message: `${o.display} of the baseline is not in the current output (removed or renamed).`,
        impact: policy === 'Delete'
          ? `${prune}: with persistentVolumeReclaimPolicy Delete the disk behind it is deleted with it.`
          : `${prune}: the disk stays (persistentVolumeReclaimPolicy ${policy}) but nothing refers to it any more; its claim stays Lost or Pending.`,
        fix: `Keep the PersistentVolume while a claim uses it; to retire it, move the data, then delete it deliberately. ${REMOVAL_ACK}`,
      });
    }
    return findings;
  },
};
