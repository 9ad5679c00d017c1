import { GuardSeverity } from '../finding';
import { asObj, ManifestObject } from '../manifest-graph';
import { GuardRule, RuleFinding } from '../rule';

/**
 * Env var names that hold a secret: a segment (split on `_`, `-` or `.`) PASSWORD, PASSWD, PASS,
 * PWD, PASSPHRASE, SECRET, TOKEN, APIKEY, CREDENTIAL(S), or a name ending in KEY (`*_KEY`,
 * `ACCESS_KEY`, `PRIVATE_KEY`...).
 */
const SECRET_SEGMENTS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PASSWORDS', 'SECRETS', 'TOKENS']);
/**
 * Segments that make the variable a setting about a secret rather than the secret: flags such as
 * `MYSQL_ALLOW_EMPTY_PASSWORD` or `MYSQL_RANDOM_ROOT_PASSWORD`, paths (`*_FILE`, `*_PATH`, `*_DIR`),
 * identifiers (`AWS_ACCESS_KEY_ID`), names of a secret (`*_SECRET_NAME`), policies and lengths.
 */
const SETTING_SEGMENTS = new Set([
  'ALLOW', 'RANDOM', 'ONETIME', 'EMPTY', 'SKIP', 'DISABLE', 'DISABLED', 'ENABLE', 'ENABLED', 'REQUIRE', 'REQUIRED', 'EXPIRE', 'EXPIRY',
  'FILE', 'PATH', 'DIR', 'ID', 'NAME', 'REF', 'URL', 'URI', 'HOST', 'PORT', 'USER', 'USERNAME', 'LENGTH', 'MIN', 'MAX', 'POLICY',
  'ROTATION', 'TTL', 'TIMEOUT', 'METHOD', 'TYPE', 'MODE', 'HASH', 'ALGORITHM', 'ALGO', 'HEADER', 'FIELD', 'PREFIX', 'SUFFIX',
]);
const FLAG_VALUES = new Set(['', '0', '1', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);

/** Whether an env var name names a secret value (see the README's rule table). */
export function isSecretName(name: string): boolean {
  const segments = name.toUpperCase().split(/[_\-.]+/).filter(s => s);
  if (segments.length === 0) return false;
  if (segments.some(s => SETTING_SEGMENTS.has(s))) return false;
  if (segments.some(s => SECRET_SEGMENTS.has(s))) return true;
  const last = segments[segments.length - 1];
  return last === 'KEY' || last.endsWith('PASSWORD') || last.endsWith('APIKEY') || last.endsWith('SECRET') || last.endsWith('TOKEN');
}

/** Whether a literal value is not a secret: empty, a flag, a path, or `$(VAR)` expanding another variable. */
export function isHarmlessValue(value: string): boolean {
  const v = value.trim();
  return FLAG_VALUES.has(v.toLowerCase()) || /^\/\S*$/.test(v) || /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/.test(v);
}

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
        for (const e of c.envEntries) {
          if (typeof e.name !== 'string' || !isSecretName(e.name)) continue;
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
          for (const [key, value] of Object.entries(asObj(cm.raw.data) ?? {})) {
            if (typeof value !== 'string' || !isSecretName(prefix + key) || isHarmlessValue(value)) continue;
            findings.push(configMapFinding(w.obj, c.name, prefix + key, `${cm.display} (envFrom)`));
          }
        }
      }
    }
    return findings;
  },
};
