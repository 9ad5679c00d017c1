import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { constructAcknowledgements, writeAckAnnotation } from './acknowledgements';
import { readBaseline } from './baseline/baseline-files';
import { GuardFinding, GuardReport, GuardSeverity, GuardsOptions } from './finding';
import { GraphInput } from './graph';
import { GuardPack } from './guard-pack';
import { BUILT_IN_RULE_SET, RuleSet } from './rules';
import { formatFinding, runGuards } from './runner';
import { SynthSession, synthSession } from './synth-session';

/**
 * Guards inside a cdk8s app, as plain cdk8s validations (nothing of cdk8s is patched). One
 * validation on the app root runs first in every validation pass and reads every object with
 * `ApiObject.toJson()` (the graph spans the whole app, so cross-chart references resolve); one
 * validation per chart returns the failing findings of that chart, so cdk8s names the chart and
 * each message names the construct path.
 *
 * cdk8s runs every validation once per `chart.toJson()` (Testing.synth), and `app.synth()` /
 * `app.synthYaml()` run them 1 + (number of charts) times. Every pass reads the objects again (the
 * app may have changed since the last one), but the graph and the rules run again only when
 * something changed: a pass that reads exactly what the previous pass of the same synth read
 * reuses its report, so the graph is built and warnings are printed once per synth.
 *
 * Never calls `chart.toJson()`, `Testing.synth()` or `app.synth*()` here (they run every
 * validation, so that would recurse).
 */

interface Computed {
  readonly report: GuardReport;
  readonly failuresByChart: Map<IConstruct, string[]>;
}

/** What one pass read, to tell whether the next pass may reuse its result. */
interface Pass {
  readonly objects: ApiObject[];
  readonly inputs: GraphInput[];
  readonly computed: Computed;
  /** Passes still expected in the same synth (1 + charts in all); 0 after a failing pass (cdk8s throws). */
  passesLeft: number;
}

interface AppState {
  /** `all`: Guards.enable; `auto`: only charts holding a construct of this library. */
  mode: 'auto' | 'all';
  readonly charts: Set<IConstruct>;
  options: GuardsOptions;
  rules: RuleSet;
  last?: Pass;
  lastReport?: GuardReport;
  /** app.synth()/synthYaml() in progress (see synth-session.ts): its passes share one reading. */
  session?: SynthSession;
  /** The current session has read and judged the app: its later passes reuse `last`. */
  judgedInSession: boolean;
}

const STATES = new WeakMap<IConstruct, AppState>();
const CHARTS_WITH_VALIDATION = new WeakSet<IConstruct>();

/** Turn the guards on for the app holding `scope` (mode `all` wins over `auto`). */
export function enableGuards(scope: IConstruct, mode: 'auto' | 'all', options?: GuardsOptions): void {
  const root = scope.node.root;
  let state = STATES.get(root);
  if (!state) {
    const created: AppState = { mode, charts: new Set(), options: options ?? {}, rules: BUILT_IN_RULE_SET, judgedInSession: false };
    created.session = synthSession(root, () => {
      // The next synth judges anew (warnings printed once per synth, changes seen).
      created.judgedInSession = false;
      if (created.last) created.last.passesLeft = 0;
    });
    STATES.set(root, created);
    // The root reports what belongs to no chart: the baseline that cannot be read, objects it has that the app no longer has.
    root.node.addValidation({ validate: () => { pass(root, created); return created.last?.computed.failuresByChart.get(root) ?? []; } });
    state = created;
  }
  if (mode === 'all') {
    state.mode = 'all';
    if (options) {
      state.options = options;
      state.rules = GuardPack._rulesOf('Guards.enable', options.packs);
    }
    state.last = undefined;
  } else if (state.mode === 'auto') {
    const chart = chartOf(scope);
    if (chart && !state.charts.has(chart)) {
      state.charts.add(chart);
      addChartValidation(chart, root);
    }
  }
}

function chartOf(c: IConstruct): IConstruct | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) if (Chart.isChart(s)) return s;
  return undefined;
}

function addChartValidation(chart: IConstruct, root: IConstruct): void {
  if (CHARTS_WITH_VALIDATION.has(chart)) return;
  CHARTS_WITH_VALIDATION.add(chart);
  chart.node.addValidation({
    validate: () => STATES.get(root)?.last?.computed.failuresByChart.get(chart) ?? [],
  });
}

/** A validation pass starts (the root validates first): read every object, and judge them unless nothing changed. */
function pass(root: IConstruct, state: AppState): void {
  // Later passes of one app.synth(): nothing can have changed since the first one judged the app.
  if (state.session?.active && state.judgedInSession && state.last) return;
  // One walk of the tree: the objects to read, and (Guards.enable) every chart to report on.
  const objects: ApiObject[] = [];
  let charts = 0;
  for (const c of root.node.findAll()) {
    if (ApiObject.isApiObject(c)) {
      objects.push(c);
    } else if (Chart.isChart(c)) {
      charts++;
      if (state.mode === 'all') addChartValidation(c, root);
    }
  }
  const inputs: GraphInput[] = objects.map(o => {
    const acknowledgements = constructAcknowledgements(o);
    // Acknowledgements made in code travel with the object: written before it is read (and
    // handed to cdk8s), so the YAML says what the guards were told.
    writeAckAnnotation(o, state.rules.ids, acknowledgements);
    const manifest = o.toJson();
    state.session?.remember(o, manifest); // inside app.synth(), cdk8s then writes what was judged
    return { manifest, constructPath: o.node.path, acknowledgements };
  });
  if (state.session?.active) state.judgedInSession = true;
  const last = state.last;
  if (last && last.passesLeft > 0 && sameInputs(last, objects, inputs)) {
    last.passesLeft--;
    return;
  }
  const computed = compute(root, state, objects, inputs);
  const failed = [...computed.failuresByChart.values()].some(f => f.length > 0);
  state.last = { objects, inputs, computed, passesLeft: failed ? 0 : charts };
}

function sameInputs(last: Pass, objects: ApiObject[], inputs: GraphInput[]): boolean {
  if (last.objects.length !== objects.length) return false;
  for (let i = 0; i < objects.length; i++) {
    if (last.objects[i] !== objects[i]) return false;
    const a = last.inputs[i];
    const b = inputs[i];
    if (!sameAcks(a.acknowledgements, b.acknowledgements) || !sameJson(a.manifest, b.manifest)) return false;
  }
  return true;
}

function sameAcks(a: ReadonlyMap<string, string> | undefined, b: ReadonlyMap<string, string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Deep equality of two JSON values (what ApiObject.toJson() returns). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(y, k) || !sameJson(x[k], y[k])) return false;
  return true;
}

/**
 * The previous output named by the `baseline` option, read now (before cdk8s writes the new one),
 * with the app's own acknowledgements (`Guards.acknowledge(app, ...)`) for the objects the app no
 * longer has. A path that does not exist yet (the first synth) compares nothing.
 */
function baselineInputs(root: IConstruct, state: AppState): { inputs?: GraphInput[]; problems: string[] } {
  const target = state.options.baseline;
  if (target === undefined) return { problems: [] };
  const read = readBaseline(target);
  if (!read.exists) {
    if (state.options.printWarnings !== false) console.warn(`cdk8s-stateful guards: baseline '${target}' does not exist (yet): nothing to compare with (SU rules skipped).`);
    return { problems: [] };
  }
  if (read.problems.length > 0) {
    return { problems: [`cdk8s-stateful guards: the baseline '${target}' cannot be compared with: ${read.problems.join(' ')} Fix or remove the file, or change the baseline option.`] };
  }
  const acknowledgements = constructAcknowledgements(root);
  return { inputs: read.manifests.map(manifest => ({ manifest, acknowledgements })), problems: [] };
}

function compute(root: IConstruct, state: AppState, objects: ApiObject[], inputs: GraphInput[]): Computed {
  const baseline = baselineInputs(root, state);
  const report = runGuards(inputs, { strict: state.options.strict, rules: state.rules, baseline: baseline.inputs });
  state.lastReport = report;
  const chartByPath = new Map<string, IConstruct | undefined>();
  objects.forEach((o, i) => chartByPath.set(inputs[i].constructPath!, chartOf(o)));
  const inScope = (f: GuardFinding) => {
    const chart = chartByPath.get(f.resource.constructPath ?? '');
    return state.mode === 'all' || (chart !== undefined && state.charts.has(chart));
  };
  const failuresByChart = new Map<IConstruct, string[]>();
  if (baseline.problems.length > 0) failuresByChart.set(root, baseline.problems);
  const warnings: GuardFinding[] = [];
  const acknowledged: GuardFinding[] = [];
  for (const f of report.findings) {
    if (!inScope(f)) continue;
    if (f.acknowledged) {
      acknowledged.push(f);
      continue;
    }
    const fails = f.severity === GuardSeverity.ERROR || state.options.strict === true;
    if (!fails) {
      warnings.push(f);
      continue;
    }
    // An object of the baseline the app no longer has (no construct): reported on the app.
    const chart = f.resource.constructPath === undefined ? root : chartByPath.get(f.resource.constructPath);
    if (!chart) continue;
    failuresByChart.set(chart, [...(failuresByChart.get(chart) ?? []), formatFinding(f)]);
  }
  if (warnings.length > 0 && state.options.printWarnings !== false) {
    console.warn(`cdk8s-stateful guards: ${warnings.length} warning(s) (not failing synth${state.options.strict ? '' : '; Guards.enable(app, { strict: true }) fails on them'}):\n${warnings.map(w => `  - ${formatFinding(w)}`).join('\n')}`);
  }
  if (acknowledged.length > 0 && state.options.printWarnings !== false) {
    console.warn(acknowledgementLines(acknowledged).join('\n'));
  }
  if (state.options.report) writeReport(root, state, report);
  return { report, failuresByChart };
}

/**
 * One line per acknowledged finding (rule, object, reason): accepted risks stay visible. Findings
 * sharing a rule and a reason (the same decision applied to many objects, such as every replicated
 * database's primary budget) share one line naming the first objects and the count.
 */
function acknowledgementLines(findings: GuardFinding[]): string[] {
  const display = (f: GuardFinding) => `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`
    + `${f.resource.constructPath ? ` (construct ${f.resource.constructPath})` : ''}`;
  const groups = new Map<string, GuardFinding[]>();
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.acknowledgedReason ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()].map(group => {
    const [first] = group;
    const shown = group.slice(0, 3).map(display).join(', ');
    const objects = group.length === 1 ? shown : `${group.length} objects: ${shown}${group.length > 3 ? `, and ${group.length - 3} more` : ''}`;
    return `cdk8s-stateful guards: acknowledged ${first.ruleId} on ${objects}: ${first.acknowledgedReason}`;
  });
}

function writeReport(root: IConstruct, state: AppState, report: GuardReport): void {
  const outdir = root instanceof App ? root.outdir : 'dist';
  const file = path.join(outdir, state.options.reportFileName ?? 'guards-report.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = {
    tool: 'cdk8s-stateful guards',
    strict: state.options.strict === true,
    summary: { errors: report.errorCount, warnings: report.warningCount, acknowledged: report.acknowledgedCount, failed: report.failed },
    rules: state.rules.rules.map(r => ({ id: r.id, severity: r.severity, title: r.title })),
    findings: report.findings,
  };
  fs.writeFileSync(file, `${JSON.stringify(body, undefined, 2)}\n`);
}

/** The manifests of every ApiObject under `root`, with construct paths and acknowledgements (read with ApiObject.toJson()). */
export function collectInputs(root: IConstruct): GraphInput[] {
  return root.node.findAll().filter(c => ApiObject.isApiObject(c)).map(c => {
    const o = c as ApiObject;
    return { manifest: o.toJson(), constructPath: o.node.path, acknowledgements: constructAcknowledgements(o) };
  });
}

/** The report of the last guard run of the app holding `scope` (undefined before any synth). */
export function lastReport(scope: IConstruct): GuardReport | undefined {
  return STATES.get(scope.node.root)?.lastReport;
}
