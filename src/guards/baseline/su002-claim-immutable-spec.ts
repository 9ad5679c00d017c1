import { baselineOf } from './baseline-diff';
import { claimSpecView } from './claim-spec';
import { sameValue, shown } from './json-compare';
import { nsFlag } from './kubectl';
import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SU002: a PersistentVolumeClaim changes what the API server keeps as it was created: its request
 * shrinks, or its class, access modes, volume name, volume mode, data source, selector or other
 * resources change; or it grows on a class of the input that does not allow volume expansion.
 * From unset to set, the class and the volume name are warnings: the server sets them itself
 * (the default class at creation, the volume at binding), so a value equal to its own is accepted.
 */
export const SU002: GuardRule = {
  id: 'SU002',
  severity: GuardSeverity.ERROR,
  title: 'Claim shrinks or changes a field the API server refuses to update (class, access modes, volume)',
  check(graph) {
    const diff = baselineOf(graph);
    if (!diff) return [];
    const findings: RuleFinding[] = [];
    for (const { previous, current } of diff.changes('PersistentVolumeClaim')) {
      const before = diff.previous.claim(previous.namespace, previous.name);
      const after = graph.claim(current.namespace, current.name);
      if (!before || !after) continue;
      const a = claimSpecView(previous.spec);
      const b = claimSpecView(current.spec);
      const errors: string[] = [];
      const warnings: string[] = [];
      const fixes: string[] = [];
      const migrate = 'create a new claim (another name) with the new settings, copy the data into it (a restore, or a Job mounting both claims), point the workload at it, then delete the old claim; or keep the old values';
      if (a.storage !== undefined && b.storage !== undefined && b.storage < a.storage) {
        errors.push(`its request shrinks from ${a.storageText} to ${b.storageText}`);
        fixes.push(`Claims never shrink: keep ${a.storageText}, or ${migrate}.`);
      } else if (a.storage !== undefined && b.storage !== undefined && b.storage > a.storage && after.storageClass
        && after.storageClass.obj.raw.allowVolumeExpansion !== true) {
        errors.push(`its request grows from ${a.storageText} to ${b.storageText} on StorageClass '${after.storageClass.name}', which does not allow volume expansion`);
        fixes.push(`Set allowVolumeExpansion: true on StorageClass '${after.storageClass.name}' (that field may change; apply the class first) if its provisioner can expand volumes, or ${migrate}.`);
      }
      const sizeErrorCount = errors.length;
      const classA = before.storageClassName;
      const classB = after.storageClassName;
      if (classA !== classB) {
        if (classA === undefined) warnings.push(`its class is set to ${shown(classB)} where it was unset (the server set the cluster's default class at creation: any other class is refused)`);
        else errors.push(`its class changes from ${shown(classA)} to ${classB === undefined ? '(unset)' : shown(classB)}`);
      }
      if (!sameValue(a.volumeName, b.volumeName)) {
        if (a.volumeName === undefined || a.volumeName === '') warnings.push(`its volumeName is set to ${shown(b.volumeName)} where it was unset (allowed once: refused when the claim is already bound to another volume)`);
        else errors.push(`its volumeName changes from ${shown(a.volumeName)} to ${shown(b.volumeName)}`);
      }
      const fields: Array<[string, unknown, unknown]> = [
        ['accessModes', a.accessModes, b.accessModes], ['volumeMode', a.volumeMode, b.volumeMode],
        ['dataSource', a.dataSource, b.dataSource], ['dataSourceRef', a.dataSourceRef, b.dataSourceRef],
        ['selector', a.selector, b.selector], ['resources (other than requests.storage)', a.otherResources, b.otherResources],
      ];
      for (const [field, x, y] of fields) if (!sameValue(x, y)) errors.push(`its ${field} change from ${shown(x)} to ${shown(y)}`);
      for (const key of new Set([...Object.keys(a.rest), ...Object.keys(b.rest)])) {
        if (!sameValue(a.rest[key], b.rest[key])) errors.push(`its spec.${key} changes from ${shown(a.rest[key])} to ${shown(b.rest[key])}`);
      }
      if (errors.length > sizeErrorCount && fixes.length === 0) fixes.push(`A claim's class, access modes, volume and source are fixed at creation: ${migrate}.`);
      if (errors.length === 0 && warnings.length === 0) continue;
      const all = [...errors, ...warnings];
      findings.push({
        object: current,
        message: `${current.display} changes since the baseline: ${all.join('; ')}.`,
        impact: errors.length > 0
          ? 'The API server refuses the update ("spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims", '
            + 'or "field can not be less than previous value"): the deploy fails, and deleting the claim to get past it deletes its data.'
          : 'The API server refuses the update unless the value is the one it set itself: the deploy may fail on this claim.',
        fix: errors.length > 0
          ? `${fixes.join(' ')} Inspect the live claim first: \`kubectl get pvc ${current.name}${nsFlag(current)} -o yaml\`.`
          : `Compare with the live claim (\`kubectl get pvc ${current.name}${nsFlag(current)} -o jsonpath='{.spec.storageClassName} {.spec.volumeName}'\`) and write the value it has, or leave the field unset.`,
        ...(errors.length === 0 ? { severity: GuardSeverity.WARNING } : {}),
      });
    }
    return findings;
  },
};
