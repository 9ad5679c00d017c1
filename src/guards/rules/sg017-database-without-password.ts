import { isSecretName } from '../../internal/secret-env';
import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** Settings of official and Bitnami images that let clients in without a password. */
const NO_PASSWORD_FLAGS = ['MYSQL_ALLOW_EMPTY_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_ALLOW_EMPTY_PASSWORD', 'ALLOW_EMPTY_PASSWORD'];
const TRUTHY = new Set(['1', 'true', 'yes', 'on', 'y']);

/** SG017: a database container configured to accept connections without a password. */
export const SG017: GuardRule = {
  id: 'SG017',
  severity: GuardSeverity.WARNING,
  title: 'Database accepts connections without a password',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (w.kind === 'Job' || w.kind === 'CronJob') continue; // clients (backups, migrations), not servers
      for (const c of w.databaseContainers) {
        const reasons: string[] = [];
        for (const flag of NO_PASSWORD_FLAGS) {
          const v = c.env.get(flag);
          if (v !== undefined && TRUTHY.has(v.trim().toLowerCase())) reasons.push(`${flag}=${JSON.stringify(v)}`);
        }
        if (c.env.get('POSTGRES_HOST_AUTH_METHOD')?.trim() === 'trust') reasons.push('POSTGRES_HOST_AUTH_METHOD="trust"');
        for (const [name, value] of c.env) if (value === '' && isSecretName(name)) reasons.push(`${name}=""`);
        if (reasons.length === 0) continue;
        findings.push({
          object: w.obj,
          message: `${w.obj.display}: ${c.engine!.engine} container '${c.name}' accepts connections without a password (${reasons.join(', ')}).`,
          impact: 'Any pod that can reach the database port can read, change or drop all data.',
          fix: 'Set the password from a Secret (secretKeyRef) and remove the empty-password flag; restrict the port with a NetworkPolicy.',
        });
      }
    }
    return findings;
  },
};
