import { baselineOf } from './baseline-diff';
import { sameValue, shown } from './json-compare';
import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** Fields of a StorageClass and their API server defaults. */
const FIELDS: Array<[string, unknown]> = [['provisioner', undefined], ['parameters', undefined], ['reclaimPolicy', 'Delete'], ['volumeBindingMode', 'Immediate']];

/** SU004: a StorageClass changes its provisioner, parameters, reclaimPolicy or volumeBindingMode. */
export const SU004: GuardRule = {
  id: 'SU004',
  severity: GuardSeverity.ERROR,
  title: 'StorageClass changes its provisioner, parameters, reclaimPolicy or volumeBindingMode (immutable)',
  check(graph) {
    const diff = baselineOf(graph);
    if (!diff) return [];
    const findings: RuleFinding[] = [];
    for (const { previous, current } of diff.changes('StorageClass')) {
      const changed = FIELDS.filter(([field, byDefault]) => !sameValue(previous.raw[field] ?? byDefault, current.raw[field] ?? byDefault))
        .map(([field, byDefault]) => `${field} ${shown(previous.raw[field] ?? byDefault)} → ${shown(current.raw[field] ?? byDefault)}`);
      if (changed.length === 0) continue;
      findings.push({
        object: current,
        message: `${current.display} changes immutable fields since the baseline: ${changed.join('; ')}.`,
        impact: 'The API server refuses the update ("updates to ... are forbidden", "field is immutable"): the deploy fails. '
          + 'Even re-created, the class changes nothing for existing volumes: they keep the settings they were provisioned with.',
        fix: `Delete and recreate the class: \`kubectl delete storageclass ${current.name}\`, then apply (deleting a class touches no volume or claim; `
          + 'existing PersistentVolumes keep their old settings, only claims created afterwards get the new ones; patch a bound volume\'s '
          + 'persistentVolumeReclaimPolicy by hand where that is what changed). Or give the new settings a class of another name.',
      });
    }
    return findings;
  },
};
