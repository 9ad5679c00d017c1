import { customIdProblem } from './acknowledgements';
import { GuardRuleInfo, GuardSeverity } from './finding';
import { GuardGraph, GuardObject } from './guard-graph';
import { IGuardRule } from './guard-rule';
import { GuardRule, RuleFinding } from './rule';
import { BUILT_IN_RULE_SET, BUILT_IN_RULES, RuleSet, withCustomRules } from './rules';
import { fail, show, StatefulError, subject } from '../internal/errors';

/** Properties of a `GuardPack`. */
export interface GuardPackProps {
  /** Name of the pack, shown in error messages, e.g. `acme-platform`. */
  readonly name: string;
  /** Its rules; their ids must be unique and must not be of the built-in forms `SG<digits>` and `SU<digits>`. */
  readonly rules: IGuardRule[];
}

const BUILT_IN_PROPS: GuardPackProps = { name: 'cdk8s-stateful', rules: [] };

/**
 * A set of guard rules enabled together (cdk-nag's `NagPack`). The built-in rules (SG000–SG019,
 * and SU001–SU007 that compare with a baseline) are the pack `GuardPack.builtIn`, which always runs; packs of your own, given in the `packs`
 * option of `Guards.enable` or `Guards.check`, run next to it.
 *
 * @example
 * class SingleReplicaStatefulSets implements IGuardRule {
 *   public get id(): string { return 'ACME001'; }
 *   public get severity(): GuardSeverity { return GuardSeverity.WARNING; }
 *   public get title(): string { return 'StatefulSet with a single replica'; }
 *
 *   public check(graph: GuardGraph): GuardRuleFinding[] {
 *     const findings: GuardRuleFinding[] = [];
 *     for (const o of graph.objectsOfKind('StatefulSet')) {
 *       if (o.spec.replicas === 1) {
 *         findings.push({
 *           object: o,
 *           message: `${o.display}: spec.replicas is 1`,
 *           impact: 'A node drain or a crash takes the service down.',
 *           fix: 'Run at least two replicas, or acknowledge ACME001 with the reason.',
 *         });
 *       }
 *     }
 *     return findings;
 *   }
 * }
 *
 * const acme = new GuardPack({ name: 'acme', rules: [new SingleReplicaStatefulSets()] });
 * Guards.enable(app, { packs: [acme] });
 */
export class GuardPack {
  /** The built-in rules (SG000–SG019, SU001–SU007): always run, also when not listed in `packs`. */
  public static builtIn(): GuardPack {
    return BUILT_IN;
  }

  /**
   * The rules of one run: the built-in ones, then those of each pack.
   * @internal
   */
  public static _rulesOf(who: string, packs: readonly GuardPack[] | undefined): RuleSet {
    return rulesOf(who, packs);
  }

  /** Name of the pack. */
  public readonly name: string;
  /** @internal */
  public readonly _rules: GuardRule[];

  constructor(props: GuardPackProps) {
    if (props === BUILT_IN_PROPS) {
      this.name = props.name;
      this._rules = BUILT_IN_RULES;
      return;
    }
    const who = subject('GuardPack', typeof props?.name === 'string' ? props.name : '');
    if (typeof props?.name !== 'string' || props.name.trim() === '') fail(who, 'name', props?.name, 'a non-empty string');
    if (!Array.isArray(props.rules)) fail(who, 'rules', props.rules, 'an array of rules (IGuardRule)');
    const seen = new Set<string>();
    this.name = props.name;
    this._rules = props.rules.map((rule, i) => {
      const at = `rules[${i}]`;
      if (rule === null || typeof rule !== 'object') fail(who, at, rule, 'a rule (IGuardRule: id, severity, title, check)');
      const idProblem = customIdProblem(rule.id);
      if (idProblem) fail(who, `${at}.id`, rule.id, idProblem);
      if (seen.has(rule.id)) fail(who, `${at}.id`, rule.id, 'an id used once in the pack');
      seen.add(rule.id);
      if (rule.severity !== GuardSeverity.ERROR && rule.severity !== GuardSeverity.WARNING) fail(who, `${at}.severity`, rule.severity, 'GuardSeverity.ERROR or GuardSeverity.WARNING');
      if (typeof rule.title !== 'string' || rule.title.trim() === '') fail(who, `${at}.title`, rule.title, 'a non-empty one-line title');
      if (typeof rule.check !== 'function') fail(who, `${at}.check`, rule.check, 'a method check(graph) returning findings');
      return adapt(this.name, rule);
    });
  }

  /** Id, severity and title of every rule of the pack. */
  public get rules(): GuardRuleInfo[] {
    return this._rules.map(r => ({ id: r.id, severity: r.severity, title: r.title }));
  }
}

const BUILT_IN = new GuardPack(BUILT_IN_PROPS);

/** A rule of your own as the runner runs it: over the read-only view, its findings checked. */
function adapt(packName: string, rule: IGuardRule): GuardRule {
  const { id, severity, title } = rule;
  const who = `Guard rule '${id}' of pack '${packName}'`;
  return {
    id,
    severity,
    title,
    check(graph) {
      const view = GuardGraph._of(graph, graph.defaultNamespace);
      let findings: unknown;
      try {
        findings = rule.check(view);
      } catch (e) {
        if (e instanceof StatefulError) throw e;
        throw new StatefulError(`${who} failed: ${e instanceof Error ? e.message : show(e)}`, who);
      }
      if (!Array.isArray(findings)) fail(who, 'check(graph)', findings, 'an array of findings (GuardRuleFinding)');
      return findings.map((f, i): RuleFinding => {
        const at = `check(graph)[${i}]`;
        if (f === null || typeof f !== 'object') fail(who, at, f, 'a finding (object, message, impact, fix)');
        const object: unknown = f.object;
        if (!(object instanceof GuardObject) || object._graph !== view) fail(who, `${at}.object`, object, 'an object of the graph given to check (graph.objects, graph.find(...), workload.object)');
        for (const key of ['message', 'impact', 'fix'] as const) {
          if (typeof f[key] !== 'string' || f[key].trim() === '') fail(who, `${at}.${key}`, f[key], 'a non-empty sentence');
        }
        return { object: object._object, message: f.message, impact: f.impact, fix: f.fix };
      });
    },
  };
}

/**
 * The rules of one run: the built-in ones, then those of each pack (the built-in pack may be
 * listed; a pack listed twice runs once). Refuses a rule id defined by two packs.
 */
function rulesOf(who: string, packs: readonly GuardPack[] | undefined): RuleSet {
  if (packs === undefined) return BUILT_IN_RULE_SET;
  if (!Array.isArray(packs)) fail(who, 'packs', packs, 'an array of GuardPack');
  const owner = new Map<string, string>();
  const seen = new Set<GuardPack>([BUILT_IN]);
  const rules: GuardRule[] = [];
  packs.forEach((pack, i) => {
    if (!(pack instanceof GuardPack)) fail(who, `packs[${i}]`, pack, 'a GuardPack (new GuardPack({ name, rules }))');
    if (seen.has(pack)) return;
    seen.add(pack);
    for (const rule of pack._rules) {
      const other = owner.get(rule.id);
      if (other !== undefined) fail(who, `packs[${i}]`, pack.name, `a pack whose rule ids no other pack defines (${rule.id} is also a rule of pack '${other}')`);
      owner.set(rule.id, pack.name);
      rules.push(rule);
    }
  });
  return withCustomRules(rules);
}
