import type { GuardPack } from './guard-pack';

/** How bad a finding is. */
export enum GuardSeverity {
  /** Breaks in production (data loss, pods that cannot start, leaked credentials): fails synth. */
  ERROR = 'error',
  /** Likely to hurt in production: printed once per synth, fails synth only in strict mode. */
  WARNING = 'warning',
}

/** The Kubernetes object a finding is about. */
export interface GuardResource {
  /** `apiVersion` of the object. */
  readonly apiVersion: string;
  /** `kind` of the object, e.g. `Deployment`. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * Namespace of the object.
   * @default - cluster-scoped (StorageClass, PersistentVolume)
   */
  readonly namespace?: string;
  /**
   * Path of the cdk8s construct that synthesized the object.
   * @default - not known (plain manifests)
   */
  readonly constructPath?: string;
}

/** What a guard rule is: its stable id, severity and one-line title. */
export interface GuardRuleInfo {
  /** Stable id, e.g. `SG001`: use it to acknowledge findings. */
  readonly id: string;
  /** Severity of every finding of this rule. */
  readonly severity: GuardSeverity;
  /** One-line title. */
  readonly title: string;
}

/** One problem a guard rule found in the manifests. */
export interface GuardFinding {
  /** Id of the rule, e.g. `SG001`. */
  readonly ruleId: string;
  /** Severity of the rule. */
  readonly severity: GuardSeverity;
  /** Title of the rule. */
  readonly title: string;
  /** The object the finding is about (the one to acknowledge it on). */
  readonly resource: GuardResource;
  /** What is wrong, naming the objects involved. */
  readonly message: string;
  /** What breaks in production. */
  readonly impact: string;
  /** How to fix it. */
  readonly fix: string;
  /** Whether an acknowledgement covers it (it then never fails synth). */
  readonly acknowledged: boolean;
  /**
   * Why it was acknowledged.
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}

/** The result of a guard run. */
export interface GuardReport {
  /** Every finding, acknowledged ones included, sorted by rule id then resource. */
  readonly findings: GuardFinding[];
  /** Number of unacknowledged errors. */
  readonly errorCount: number;
  /** Number of unacknowledged warnings. */
  readonly warningCount: number;
  /** Number of acknowledged findings. */
  readonly acknowledgedCount: number;
  /** Whether the run fails: any unacknowledged error, or any unacknowledged warning in strict mode. */
  readonly failed: boolean;
}

/** Options of a guard run over plain manifests. */
export interface GuardCheckOptions {
  /**
   * Fail on unacknowledged warnings too.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Namespace of namespaced objects that do not set `metadata.namespace`.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Packs of rules of your own, run next to the built-in rules (which always run).
   * @default - the built-in rules only
   */
  readonly packs?: GuardPack[];
  /**
   * The previous output (parsed objects, as deployed before): the rules SU001–SU007 compare
   * the manifests with it and report updates the API server refuses (immutable fields) or
   * that lose data (a removed claim, a retention policy turned to Delete, a database major
   * version its data cannot follow). Objects are matched by API group, kind, namespace and name.
   * @default - no comparison: the SU rules report nothing
   */
  readonly baseline?: { [key: string]: any }[];
}

/** Options of `Guards.enable`. */
export interface GuardsOptions {
  /**
   * Fail synth on unacknowledged warnings too.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Write a JSON report of every finding (acknowledged ones included) into the app's output
   * directory, beside the synthesized manifests.
   * @default false
   */
  readonly report?: boolean;
  /**
   * File name of the JSON report, relative to the app's output directory.
   * @default 'guards-report.json'
   */
  readonly reportFileName?: string;
  /**
   * Print unacknowledged warnings (once per synth) on the console.
   * @default true
   */
  readonly printWarnings?: boolean;
  /**
   * Packs of rules of your own, run next to the built-in rules (which always run) over every
   * chart of the app.
   * @default - the built-in rules only
   */
  readonly packs?: GuardPack[];
  /**
   * A file or directory holding the previous output of the app (e.g. `'dist'`, the output of
   * the last `cdk8s synth`, or a copy of what is deployed), read at synth time, before cdk8s
   * writes the new manifests: the rules SU001–SU007 compare the app with it (immutable fields
   * changed, data-holding objects removed, retention turned to Delete, database major versions).
   * A path relative to the working directory. When it does not exist (the first synth) nothing
   * is compared and synth does not fail; a file in it that cannot be parsed fails synth.
   * @default - no comparison: the SU rules report nothing
   */
  readonly baseline?: string;
}
