import { GuardSeverity } from '../finding';
import { asObj } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SG002: a Deployment mounting a ReadWriteOnce claim with a RollingUpdate that starts the new pod
 * before the old one stops. A RollingUpdate with `maxSurge: 0` stops the old pod first and is accepted.
 */
export const SG002: GuardRule = {
  id: 'SG002',
  severity: GuardSeverity.ERROR,
  title: 'ReadWriteOnce claim on a Deployment that rolls out with RollingUpdate (needs Recreate)',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind !== 'Deployment') continue;
      const strategy = asObj(w.obj.spec.strategy) ?? {};
      const type = strategy.type ?? 'RollingUpdate';
      if (type !== 'RollingUpdate') continue;
      const surge = asObj(strategy.rollingUpdate)?.maxSurge;
      if (surge === 0 || surge === '0' || surge === '0%') continue;
      const claims = w.claimUses.filter(u => u.volume.type === 'claim' && u.claim?.singleAttach && !u.readOnly).map(u => u.claim!);
      if (claims.length === 0) continue;
      findings.push({
        object: w.obj,
        message: `${w.obj.display} mounts ${claims.map(c => c.display).join(', ')} (ReadWriteOnce) and rolls out with RollingUpdate${surge === undefined ? ' (the default)' : ` (maxSurge ${JSON.stringify(surge)})`}.`,
        impact: 'On every rollout the new pod is started while the old one still holds the volume: when it lands on another node it cannot attach the volume (Multi-Attach error) and the rollout deadlocks.',
        fix: "Set spec.strategy.type to 'Recreate' (cdk8s-plus: strategy: DeploymentStrategy.recreate()), or a RollingUpdate with maxSurge 0.",
      });
    }
    return findings;
  },
};
