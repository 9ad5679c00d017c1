import { GuardReport, GuardRuleInfo, GuardSeverity } from './finding';
import { BUILT_IN_RULES } from './rules';

/** A guard report as SARIF 2.1.0 (code scanning tools); acknowledged findings become suppressed results. */
export function toSarif(report: GuardReport): Record<string, any> {
  // The built-in rules, then the rules of your own packs that have findings (the report names them).
  const rules = new Map<string, GuardRuleInfo>(BUILT_IN_RULES.map(r => [r.id, r]));
  for (const f of report?.findings ?? []) if (!rules.has(f.ruleId)) rules.set(f.ruleId, { id: f.ruleId, severity: f.severity, title: f.title });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-stateful-guards',
          informationUri: 'https://github.com/cdk8s-stateful/cdk8s-stateful#guards-stateful-anti-patterns-rejected-at-synth-time',
          rules: [...rules.values()].map(r => ({
            id: r.id,
            shortDescription: { text: r.title },
            defaultConfiguration: { level: r.severity === GuardSeverity.ERROR ? 'error' : 'warning' },
          })),
        },
      },
      results: (report?.findings ?? []).map(f => {
        const ns = f.resource.namespace ? `${f.resource.namespace}/` : '';
        return {
          ruleId: f.ruleId,
          level: f.severity === GuardSeverity.ERROR ? 'error' : 'warning',
          message: { text: `${f.message} In production: ${f.impact} Fix: ${f.fix}` },
          locations: [{
            logicalLocations: [{
              kind: 'resource',
              name: f.resource.name,
              fullyQualifiedName: `${f.resource.kind}/${ns}${f.resource.name}`,
              ...(f.resource.constructPath ? { decoratedName: f.resource.constructPath } : {}),
            }],
          }],
          ...(f.acknowledged ? { suppressions: [{ kind: 'inSource', justification: f.acknowledgedReason }] } : {}),
        };
      }),
    }],
  };
}
