import { ACK_ANNOTATION, parseAckAnnotation } from '../acknowledgements';
import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/** SG000: an acknowledgement annotation that cannot be read (unknown rule id, reason too short). */
export function malformedAcknowledgementRule(knownIds: ReadonlySet<string>): GuardRule {
  return {
    id: 'SG000',
    severity: GuardSeverity.ERROR,
    title: 'Malformed acknowledgement annotation',
    check(graph) {
      const findings: RuleFinding[] = [];
      for (const o of graph.objects) {
        const value = o.annotations[ACK_ANNOTATION];
        if (value === undefined) continue;
        const { problems } = parseAckAnnotation(value, knownIds);
        if (problems.length === 0) continue;
        findings.push({
          object: o,
          message: `${o.display}: annotation ${ACK_ANNOTATION} is malformed: ${problems.join('; ')}.`,
          impact: 'The acknowledgement is ignored, so the findings it meant to acknowledge still fail the check, and a reviewer cannot tell why the risk was accepted.',
          fix: `Write '${ACK_ANNOTATION}: "SG001: <why this is safe, at least 10 characters>; SG005: <reason>"' (or a JSON object of rule ids to reasons).`,
        });
      }
      return findings;
    },
  };
}
