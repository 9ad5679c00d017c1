import { GuardSeverity } from './finding';
import { GuardGraph, GuardObject } from './guard-graph';

/** A problem a rule of your own found (the guards add the rule's id, severity and the acknowledgement). */
export interface GuardRuleFinding {
  /**
   * The object the finding is about: the one to acknowledge it on (its construct, or an
   * annotation on its manifest). Must be an object of the graph the rule was given.
   */
  readonly object: GuardObject;
  /** What is wrong, naming the resource and the exact field, e.g. `StatefulSet shop/db: spec.replicas is 2`. */
  readonly message: string;
  /** What breaks in production. */
  readonly impact: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * A guard rule of your own (cdk-nag's rule functions): a stable id, a severity, a title and a
 * check over the read-only manifest graph. Group rules in a `GuardPack` and enable the pack
 * with `Guards.enable(app, { packs })` or `Guards.check(manifests, { packs })`.
 */
export interface IGuardRule {
  /**
   * Stable id, e.g. `ACME001` or `Acme-Replicas`: letters, digits and `-`, `_`, `.`, starting with a
   * letter, at most 64 characters. Ids of the forms `SG<digits>` and `SU<digits>` are reserved for the built-in rules.
   */
  readonly id: string;
  /** Severity of every finding: errors fail synth, warnings fail it only in strict mode. */
  readonly severity: GuardSeverity;
  /** One-line title. */
  readonly title: string;
  /**
   * Check the whole graph once and return one finding per offending resource (an empty list when
   * all is well). Never modify the graph or its manifests.
   * @param graph every object of the run, with the edges the built-in rules follow
   */
  check(graph: GuardGraph): GuardRuleFinding[];
}
