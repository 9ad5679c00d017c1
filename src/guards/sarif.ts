import { GuardReport, GuardSeverity } from './finding';
import { ALL_RULES } from './rules';

/** A guard report as SARIF 2.1.0 (code scanning tools); acknowledged findings become suppressed results. */
export function toSarif(report: GuardReport): Record<string, any> {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-stateful-guards',
          informationUri: 'https://github.com/cdk8s-stateful/cdk8s-stateful#guards-stateful-anti-patterns-rejected-at-synth-time',
          rules: ALL_RULES.map(r => ({
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
