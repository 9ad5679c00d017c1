import { holdsSecret, isHarmlessValue } from '../../internal/secret-env';
import { GuardSeverity } from '../finding';
import { asObj, ManifestObject } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

const IMPACT = 'The secret is stored in plain text in the manifest, in git, in the API server (readable by anyone who can read the workload) and in every rendered copy; rotating it means a code change.';

function configMapFinding(object: ManifestObject, container: string, name: string, source: string): RuleFinding {
  return {
    object,
    message: `${object.display}: container '${container}' reads ${name} from ${source}.`,
    impact: `ConfigMaps are not secret: ${IMPACT.charAt(0).toLowerCase()}${IMPACT.slice(1)}`,
    fix: 'Move the value to a Secret and read it with valueFrom.secretKeyRef or envFrom.secretRef.',
  };
}

/** SG009: a literal password, token or key in a container's environment (or in a ConfigMap read as env). */
export const SG009: GuardRule = {
  id: 'SG009',
  severity: GuardSeverity.ERROR,
  title: 'Literal password, token or key in a container environment',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      for (const c of w.allContainers) {
        const names = new Set(c.envEntries.map(e => (typeof e.name === 'string' ? e.name.toUpperCase() : '')));
        for (const e of c.envEntries) {
          if (typeof e.name !== 'string' || !holdsSecret(e.name, names)) continue;
          const fromConfigMap = asObj(asObj(e.valueFrom)?.configMapKeyRef);
          if (fromConfigMap) {
            findings.push(configMapFinding(w.obj, c.name, e.name, `ConfigMap '${fromConfigMap.name}' (key '${fromConfigMap.key}')`));
            continue;
          }
          if (typeof e.value !== 'string' || isHarmlessValue(e.value)) continue;
          findings.push({
            object: w.obj,
            message: `${w.obj.display}: container '${c.name}' sets ${e.name} to a literal value.`,
            impact: IMPACT,
            fix: `Put the value in a Secret and read it with env valueFrom.secretKeyRef (cdk8s-plus: EnvValue.fromSecretValue), or mount the Secret as a file (${e.name}_FILE where the image supports it).`,
          });
        }
        // envFrom a ConfigMap of the input whose keys are secret names with literal values.
        for (const from of c.envFrom) {
          const ref = asObj(from.configMapRef);
          const cm = typeof ref?.name === 'string' ? graph.configMap(w.obj.namespace, ref.name) : undefined;
          if (!cm) continue;
          const prefix = typeof from.prefix === 'string' ? from.prefix : '';
          const keys = new Set(Object.keys(asObj(cm.raw.data) ?? {}).map(k => (prefix + k).toUpperCase()));
          for (const [key, value] of Object.entries(asObj(cm.raw.data) ?? {})) {
            if (typeof value !== 'string' || !holdsSecret(prefix + key, keys) || isHarmlessValue(value)) continue;
            findings.push(configMapFinding(w.obj, c.name, prefix + key, `${cm.display} (envFrom)`));
          }
        }
      }
    }
    return findings;
  },
};
