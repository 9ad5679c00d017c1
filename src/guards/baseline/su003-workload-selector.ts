import { baselineOf } from './baseline-diff';
import { sameValue, shown } from './json-compare';
import { nsFlag } from './kubectl';
import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** Workload kinds whose `spec.selector` the API server never lets an update change. */
export const IMMUTABLE_SELECTOR_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** SU003: a Deployment, StatefulSet, DaemonSet, ReplicaSet or Job changes its selector. */
export const SU003: GuardRule = {
  id: 'SU003',
  severity: GuardSeverity.ERROR,
  title: 'Workload changes its selector, which the API server refuses to update',
  check(graph) {
    const diff = baselineOf(graph);
    if (!diff) return [];
    const findings: RuleFinding[] = [];
    for (const kind of IMMUTABLE_SELECTOR_KINDS) {
      for (const { previous, current } of diff.changes(kind)) {
        const a: unknown = previous.spec.selector;
        const b: unknown = current.spec.selector;
        if (sameValue(a, b)) continue;
        const command = `kubectl delete ${kind.toLowerCase()} ${current.name}${nsFlag(current)} --cascade=orphan`;
        const how = kind === 'StatefulSet'
          ? `${command}, apply, then delete the old pods one at a time (\`kubectl delete pod ${current.name}-<ordinal>${nsFlag(current)}\`): the new StatefulSet re-creates each under its name and reuses its claims.`
          : kind === 'Job'
            ? `\`kubectl delete job ${current.name}${nsFlag(current)}\` once it has finished, then apply (a Job's selector is generated unless manualSelector is true: leave it unset).`
            : `${command}, apply, and delete the orphaned pods of the old selector once the new ones are ready; or create the workload under a new name and remove the old one.`;
        findings.push({
          object: current,
          message: `${current.display} changes spec.selector since the baseline: ${shown(a)} → ${shown(b)}.`,
          impact: `The API server refuses the update (spec.selector: "field is immutable"): the deploy fails. Deleting and re-creating the ${kind} to get past it stops its pods.`,
          fix: `Keep the old selector (pod template labels may be added without changing it). To change it anyway: ${how}`,
        });
      }
    }
    return findings;
  },
};
