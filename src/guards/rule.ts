import { GuardSeverity } from './finding';
import { ManifestGraph, ManifestObject } from './graph';

/** A problem as a built-in rule reports it; the runner adds the rule's id, severity and acknowledgement. */
export interface RuleFinding {
  /** The object to report (and acknowledge) the finding on. */
  readonly object: ManifestObject;
  /** What is wrong, naming the objects involved. */
  readonly message: string;
  /** What breaks in production. */
  readonly impact: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * A warning where the rule is an error but this finding's evidence is ambiguous (a custom image,
   * a data directory a configuration file may move): only ever lowers the rule's severity.
   * @default - the rule's severity
   */
  readonly severity?: GuardSeverity;
}

/** A rule as the runner runs it: a stable id, a severity, a title and a check over the internal graph. */
export interface GuardRule {
  readonly id: string;
  readonly severity: GuardSeverity;
  readonly title: string;
  check(graph: ManifestGraph): RuleFinding[];
}
