import { IConstruct } from 'constructs';
import { acknowledgeConstruct } from './acknowledgements';
import { enableGuards } from './app-integration';
import { GuardCheckOptions, GuardFinding, GuardReport, GuardRuleInfo, GuardsOptions } from './finding';
import { GuardPack } from './guard-pack';
import { RULE_IDS } from './rules';
import { formatFinding, runGuards } from './runner';
import { toSarif } from './sarif';
import { fail, subject } from '../internal/errors';
import { checkBoolean } from '../internal/validate';

/**
 * Synth-time guards against stateful anti-patterns (shared ReadWriteOnce claims, databases in
 * multi-replica Deployments, data on emptyDir, literal passwords...).
 *
 * They run automatically for every chart holding a construct of this library; call
 * `Guards.enable` to run them over every chart of an app (plain cdk8s and cdk8s-plus
 * objects included), and `Guards.check` to check plain manifests without cdk8s.
 *
 * @example
 * // Every chart of the app, plain cdk8s and cdk8s-plus objects included:
 * Guards.enable(app, { strict: true });
 *
 * // A finding you accept, with the reason (inherited by the construct's children): a
 * // ReadWriteOnce claim on a RollingUpdate Deployment, on a cluster of one node.
 * const claim = new PersistentClaim(chart, 'cache-data', {
 *   storageClass: new StorageClass(chart, 'local', { provisioner: Provisioner.openEbsHostpath() }),
 *   size: Size.gibibytes(5),
 * });
 * const cache = new kplus.Deployment(chart, 'cache', { replicas: 1 });
 * cache.addContainer({ image: 'example.com/edge-cache:1.0.0' }).mount('/data',
 *   kplus.Volume.fromPersistentVolumeClaim(chart, 'data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'ref', claim.claimName)));
 * Guards.acknowledge(cache, 'SG002', 'Edge box with a single node: the new pod always starts where the volume is.');
 */
export class Guards {
  /**
   * Run the guards over every chart of the app holding `scope`: unacknowledged errors fail synth
   * (cdk8s validation, naming the construct path); warnings are printed once per synth and fail
   * only in strict mode.
   * @param scope the app (or any construct in it)
   * @param options strict mode, JSON report, packs of rules of your own, the previous output
   */
  public static enable(scope: IConstruct, options: GuardsOptions = {}): void {
    const who = subject('Guards.enable', scope?.node ? scope : String(scope));
    if (!scope?.node) fail(who, 'scope', scope, 'a construct of the app');
    const o = options ?? {};
    for (const key of ['strict', 'report', 'printWarnings'] as const) if (o[key] !== undefined) checkBoolean(who, key, o[key]);
    if (o.reportFileName !== undefined) {
      const name = o.reportFileName;
      if (typeof name !== 'string' || name.trim() === '' || name.startsWith('/') || name.split(/[\\/]/).includes('..') || /[\x00-\x1f]/.test(name)) {
        fail(who, 'reportFileName', name, "a file name relative to the app's output directory (no '..', not absolute)");
      }
    }
    if (o.baseline !== undefined && (typeof o.baseline !== 'string' || o.baseline.trim() === '' || /[\x00-\x1f]/.test(o.baseline))) {
      fail(who, 'baseline', o.baseline, 'the path of a file or directory holding the previous output (e.g. \'dist\')');
    }
    GuardPack._rulesOf(who, o.packs);
    enableGuards(scope, 'all', { ...o, ...(o.packs ? { packs: [...o.packs] } : {}) });
  }

  /**
   * Accept the risk a rule reports for a construct and all its children. The finding stays in
   * the report, marked acknowledged, and no longer fails synth. On plain manifests use the
   * annotation `stateful.cdk8s.io/acknowledge: "SG001: <reason>; SG005: <reason>"`.
   * @param construct the construct (and its children) the acknowledgement applies to
   * @param ruleId the rule id, e.g. `SG010`, or the id of a rule of your own GuardPack
   * @param reason why the risk is acceptable: a real sentence of at least 10 characters
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    acknowledgeConstruct(construct, ruleId, reason, RULE_IDS);
  }

  /**
   * Check plain Kubernetes manifests (parsed YAML/JSON objects) and return every finding. This
   * is what the app integration and the command-line checker run.
   * @param manifests the objects, all of one deployment (references between them are resolved)
   * @param options strict mode, default namespace, packs of rules of your own, the previous output
   */
  public static check(manifests: { [key: string]: any }[], options: GuardCheckOptions = {}): GuardReport {
    const who = 'Guards.check';
    if (!Array.isArray(manifests)) fail(who, 'manifests', manifests, 'an array of Kubernetes objects (parsed YAML or JSON)');
    manifests.forEach((m, i) => {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) fail(who, `manifests[${i}]`, m, 'a Kubernetes object (a mapping with apiVersion and kind)');
    });
    const o = options ?? {};
    const rules = GuardPack._rulesOf(who, o.packs);
    if (o.baseline !== undefined && !Array.isArray(o.baseline)) fail(who, 'baseline', o.baseline, 'an array of Kubernetes objects (the previous output, parsed)');
    o.baseline?.forEach((m, i) => {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) fail(who, `baseline[${i}]`, m, 'a Kubernetes object (a mapping with apiVersion and kind)');
    });
    return runGuards(manifests.map(manifest => ({ manifest })), {
      strict: o.strict,
      defaultNamespace: o.defaultNamespace,
      rules,
      ...(o.baseline ? { baseline: o.baseline.map(manifest => ({ manifest })) } : {}),
    });
  }

  /**
   * Every rule: id, severity and title; the built-in ones, then those of the packs.
   * @param packs packs of rules of your own to list too
   */
  public static rules(packs?: GuardPack[]): GuardRuleInfo[] {
    return GuardPack._rulesOf('Guards.rules', packs).rules.map(r => ({ id: r.id, severity: r.severity, title: r.title }));
  }

  /**
   * A finding as one line of text: rule, resource, what breaks in production, how to fix it and
   * how to acknowledge it.
   * @param finding the finding
   */
  public static format(finding: GuardFinding): string {
    return formatFinding(finding);
  }

  /**
   * A report as SARIF 2.1.0, for code scanning tools: one result per finding, acknowledged
   * findings as suppressed results with their reason.
   * @param report the report of `Guards.check`
   */
  public static toSarif(report: GuardReport): { [key: string]: any } {
    return toSarif(report);
  }

  private constructor() {}
}
