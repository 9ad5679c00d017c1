import { ACK_ANNOTATION, parseAckAnnotation } from './acknowledgements';
import { attachBaseline } from './baseline/baseline-diff';
import { GuardFinding, GuardReport, GuardSeverity } from './finding';
import { GraphInput, ManifestGraph, ManifestObject } from './graph';
import { BUILT_IN_RULE_SET, RuleSet } from './rules';

/** Options of one run (internal form of GuardCheckOptions). */
export interface RunOptions {
  readonly strict?: boolean;
  readonly defaultNamespace?: string;
  /** The rules to run (the built-in ones unless packs of your own are enabled). */
  readonly rules?: RuleSet;
  /** The previous output, for the rules that compare with it (SU001...). */
  readonly baseline?: GraphInput[];
}

/** How many graphs were built in this process (tests check that a synth builds one). */
export const runStats = { graphBuilds: 0 };

/** Build the graph once, run every rule, apply acknowledgements, sort. */
export function runGuards(inputs: GraphInput[], options: RunOptions = {}): GuardReport {
  runStats.graphBuilds++;
  const { rules, ids } = options.rules ?? BUILT_IN_RULE_SET;
  const graph = new ManifestGraph(inputs, options.defaultNamespace || 'default');
  if (options.baseline) attachBaseline(graph, options.baseline);
  const annotationAcks = new Map<ManifestObject, Map<string, string>>();
  const acksOf = (o: ManifestObject): Map<string, string> => {
    let acks = annotationAcks.get(o);
    if (!acks) {
      const value = o.annotations[ACK_ANNOTATION];
      acks = value === undefined ? new Map() : parseAckAnnotation(value, ids).acks;
      annotationAcks.set(o, acks);
    }
    return acks;
  };
  const findings: Array<GuardFinding & { order: number }> = [];
  for (const rule of rules) {
    for (const f of rule.check(graph)) {
      const reason = rule.id === 'SG000' ? undefined : acksOf(f.object).get(rule.id) ?? f.object.acknowledgements?.get(rule.id);
      findings.push({
        ruleId: rule.id,
        severity: f.severity === GuardSeverity.WARNING ? GuardSeverity.WARNING : rule.severity,
        title: rule.title,
        resource: f.object.ref,
        message: f.message,
        impact: f.impact,
        fix: f.fix,
        acknowledged: reason !== undefined,
        ...(reason !== undefined ? { acknowledgedReason: reason } : {}),
        order: f.object.index,
      });
    }
  }
  // Built-in rules first (in id order), then the packs' rules in the order they run.
  const rank = new Map(rules.map((r, i) => [r.id, i]));
  findings.sort((a, b) => (rank.get(a.ruleId)! - rank.get(b.ruleId)!) || a.order - b.order);
  const open = findings.filter(f => !f.acknowledged);
  const errorCount = open.filter(f => f.severity === GuardSeverity.ERROR).length;
  const warningCount = open.length - errorCount;
  return {
    findings: findings.map(({ order, ...f }) => f),
    errorCount,
    warningCount,
    acknowledgedCount: findings.length - open.length,
    failed: errorCount > 0 || (options.strict === true && warningCount > 0),
  };
}

/** One finding as a line of text: what, where, what breaks, how to fix, how to acknowledge. */
export function formatFinding(f: GuardFinding): string {
  const where = f.resource.constructPath ? ` (construct ${f.resource.constructPath})` : '';
  const ack = f.ruleId === 'SG000' ? '' : ` To accept the risk: Guards.acknowledge(construct, '${f.ruleId}', '<reason>') or annotation ${ACK_ANNOTATION}: "${f.ruleId}: <reason>".`;
  return `${f.ruleId} [${f.severity}] ${f.title}${where}: ${f.message} In production: ${f.impact} Fix: ${f.fix}${ack}`;
}
