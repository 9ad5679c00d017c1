import { baselineOf } from './baseline-diff';
import { nsFlag, someNames } from './kubectl';
import { generatedClaimNames, statefulSetChanges } from './statefulset-changes';
import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SU001: a StatefulSet changes a spec field the API server keeps as it was created: anything but
 * replicas, ordinals, template, updateStrategy, revisionHistoryLimit,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds (claim templates, serviceName,
 * podManagementPolicy...). Its selector is SU003's.
 */
export const SU001: GuardRule = {
  id: 'SU001',
  severity: GuardSeverity.ERROR,
  title: 'StatefulSet changes a spec field the API server refuses to update (claim templates, serviceName, podManagementPolicy)',
  check(graph) {
    const diff = baselineOf(graph);
    if (!diff) return [];
    const findings: RuleFinding[] = [];
    for (const { previous, current } of diff.changes('StatefulSet')) {
      const changes = statefulSetChanges(previous, current);
      if (!changes) continue;
      const n = nsFlag(current);
      const recreate = `recreate the StatefulSet without touching its pods or claims: \`kubectl delete statefulset ${current.name}${n} --cascade=orphan\`, `
        + 'then apply the new manifest (the running pods are adopted and rolled to the new template; claims are matched by name).';
      const steps: string[] = [];
      for (const t of changes.templates) {
        const claims = generatedClaimNames(previous, t.name);
        if (t.grown) {
          steps.push(`Expand the claims of template '${t.name}' in place first (the class must allow volume expansion: allowVolumeExpansion: true): `
            + `edit each claim's request, \`kubectl patch pvc <claim>${n} -p '{"spec":{"resources":{"requests":{"storage":"${t.grown.to}"}}}}'\` `
            + `for ${someNames(claims) || `each ${t.name}-${current.name}-<ordinal>`}, and wait until each reports the new capacity.`);
        }
        if (t.shrunk) {
          steps.push(`Claims never shrink: keep '${t.name}' at ${t.shrunk.from}, or move the data to a new StatefulSet (another name) with smaller claims (backup and restore).`);
        }
        if (t.storage.length > 0) {
          steps.push(`The claims that exist (${someNames(claims) || 'one per replica'}) keep their class, access modes and volume mode: only a data migration changes them `
            + '(a new StatefulSet or template name with the new claims, the data copied by a restore or the database\'s replication, then the old one removed); or keep the old values.');
        }
      }
      if (changes.templatesAddedOrRemoved) {
        steps.push('A template added or removed changes only the pods created later; existing claims stay as they are.');
      }
      findings.push({
        object: current,
        message: `${current.display} changes immutable spec fields since the baseline: ${changes.phrases.join('; ')}.`,
        impact: 'The API server refuses the update ("updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', '
          + '\'updateStrategy\', \'revisionHistoryLimit\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden"): '
          + 'the deploy fails, and a pipeline that deletes and re-applies the StatefulSet to get past it restarts every replica at once.',
        fix: `${steps.join(' ')}${steps.length > 0 ? ' Then ' : 'Keep the old values, or '}${recreate}`,
      });
    }
    return findings;
  },
};
