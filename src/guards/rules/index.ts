import { malformedAcknowledgementRule } from './sg000-malformed-acknowledgement';
import { SG001 } from './sg001-single-attach-claim-replicas';
import { SG002 } from './sg002-rolling-update-single-attach';
import { SG003 } from './sg003-daemonset-claim';
import { SG004 } from './sg004-database-deployment-replicas';
import { SG005 } from './sg005-database-data-not-persistent';
import { SG006 } from './sg006-access-mode-unsupported';
import { SG007 } from './sg007-governing-service-not-headless';
import { SG008 } from './sg008-local-storage-binding';
import { SG009 } from './sg009-literal-secret';
import { SG010 } from './sg010-single-attach-claim-shared';
import { SG011 } from './sg011-replica-spread';
import { SG012 } from './sg012-disruption-budget';
import { SG013 } from './sg013-data-deleted-with-claim';
import { SG014 } from './sg014-shared-volume-writers';
import { SG015 } from './sg015-governing-service-missing';
import { SG016 } from './sg016-host-path-volume';
import { SG017 } from './sg017-database-without-password';
import { SG018 } from './sg018-database-in-deployment';
import { SG019 } from './sg019-disruption-budget-blocks-drains';
import { BASELINE_RULES } from '../baseline';
import { GuardRule } from '../rule';

const CHECKS: GuardRule[] = [
  SG001, SG002, SG003, SG004, SG005, SG006, SG007, SG008, SG009,
  SG010, SG011, SG012, SG013, SG014, SG015, SG016, SG017, SG018, SG019,
  // Comparisons with the previous output (SU001...): silent in a run without a baseline.
  ...BASELINE_RULES,
];

/** Ids of every rule, SG000 included. */
export const RULE_IDS: ReadonlySet<string> = new Set(['SG000', ...CHECKS.map(r => r.id)]);

/** Every built-in rule, in id order (the rules of GuardPack.builtIn()). */
export const BUILT_IN_RULES: GuardRule[] = [malformedAcknowledgementRule(RULE_IDS), ...CHECKS];

/** The rules of one run and their ids (acknowledgements may name any of them). */
export interface RuleSet {
  readonly rules: GuardRule[];
  readonly ids: ReadonlySet<string>;
}

/** The built-in rules alone. */
export const BUILT_IN_RULE_SET: RuleSet = { rules: BUILT_IN_RULES, ids: RULE_IDS };

/** The built-in rules and rules of your own: SG000 then reads acknowledgements of those too. */
export function withCustomRules(custom: GuardRule[]): RuleSet {
  if (custom.length === 0) return BUILT_IN_RULE_SET;
  const ids: ReadonlySet<string> = new Set([...RULE_IDS, ...custom.map(r => r.id)]);
  return { rules: [malformedAcknowledgementRule(ids), ...CHECKS, ...custom], ids };
}
