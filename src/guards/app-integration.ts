import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { constructAcknowledgements } from './acknowledgements';
import { GuardFinding, GuardReport, GuardSeverity, GuardsOptions } from './finding';
import { GraphInput } from './manifest-graph';
import { ALL_RULES } from './rules';
import { formatFinding, runGuards } from './runner';

/**
 * Guards inside a cdk8s app. One validation on the app root marks each validation pass and runs
 * the guards once (the graph spans the whole app, so cross-chart references resolve); one
 * validation per chart returns the failing findings of that chart, so cdk8s names the chart and
 * each message names the construct path.
 *
 * cdk8s runs every validation once per `chart.toJson()` (Testing.synth) and `App.synth()` runs
 * them 1 + (number of charts) times. Inside `app.synth()`/`app.synthYaml()` (wrapped here) the
 * result is computed once and reused, and the JSON the guards read is handed back to cdk8s for
 * serialization instead of resolving every object twice. Outside of them, each pass recomputes:
 * the app may have changed between two `Testing.synth` calls.
 *
 * Never calls `chart.toJson()`, `Testing.synth()` or `app.synth*()` here (that would recurse):
 * objects are read with `ApiObject.toJson()`.
 */

interface Computed {
  readonly report: GuardReport;
  readonly failuresByChart: Map<IConstruct, string[]>;
}

interface AppState {
  /** `all`: Guards.enable; `auto`: only charts holding a construct of this library. */
  mode: 'auto' | 'all';
  readonly charts: Set<IConstruct>;
  options: GuardsOptions;
  computed?: Computed;
  synthDepth: number;
  readonly memoized: ApiObject[];
  lastReport?: GuardReport;
}

const STATE = Symbol.for('cdk8s-stateful.guards.state');
const CHART_VALIDATION = Symbol.for('cdk8s-stateful.guards.chart-validation');

function stateOf(root: IConstruct): AppState | undefined {
  return (root as any)[STATE];
}

/** Turn the guards on for the app holding `scope` (mode `all` wins over `auto`). */
export function enableGuards(scope: IConstruct, mode: 'auto' | 'all', options?: GuardsOptions): void {
  const root = scope.node.root;
  let state = stateOf(root);
  if (!state) {
    state = { mode, charts: new Set(), options: options ?? {}, synthDepth: 0, memoized: [] };
    Object.defineProperty(root, STATE, { value: state, enumerable: false });
    const s = state;
    root.node.addValidation({ validate: () => { pass(root, s); return []; } });
    wrapSynth(root, s);
  }
  if (mode === 'all') {
    state.mode = 'all';
    if (options) state.options = options;
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
  if ((chart as any)[CHART_VALIDATION]) return;
  Object.defineProperty(chart, CHART_VALIDATION, { value: true, enumerable: false });
  chart.node.addValidation({
    validate: () => {
      const state = stateOf(root);
      if (!state) return [];
      const computed = state.computed ?? compute(root, state);
      return computed.failuresByChart.get(chart) ?? [];
    },
  });
}

/** Start of a validation pass (the root validates first): recompute unless inside one synth. */
function pass(root: IConstruct, state: AppState): void {
  if (state.synthDepth > 0 && state.computed) return;
  state.computed = compute(root, state);
}

function compute(root: IConstruct, state: AppState): Computed {
  // One walk of the tree: the objects to read, and (Guards.enable) every chart to report on.
  const objects: ApiObject[] = [];
  for (const c of root.node.findAll()) {
    if (ApiObject.isApiObject(c)) objects.push(c);
    else if (state.mode === 'all' && Chart.isChart(c)) addChartValidation(c, root);
  }
  const inputs: GraphInput[] = [];
  const charts: Array<IConstruct | undefined> = [];
  for (const o of objects) {
    const manifest = o.toJson();
    if (state.synthDepth > 0) memoize(o, manifest, state);
    inputs.push({ manifest, constructPath: o.node.path, acknowledgements: constructAcknowledgements(o) });
    charts.push(chartOf(o));
  }
  const report = runGuards(inputs, { strict: state.options.strict });
  state.lastReport = report;
  const chartByPath = new Map<string, IConstruct | undefined>();
  inputs.forEach((input, i) => chartByPath.set(input.constructPath!, charts[i]));
  const inScope = (f: GuardFinding) => {
    const chart = chartByPath.get(f.resource.constructPath ?? '');
    return state.mode === 'all' || (chart !== undefined && state.charts.has(chart));
  };
  const failuresByChart = new Map<IConstruct, string[]>();
  const warnings: GuardFinding[] = [];
  for (const f of report.findings) {
    if (f.acknowledged || !inScope(f)) continue;
    const fails = f.severity === GuardSeverity.ERROR || state.options.strict === true;
    if (!fails) {
      warnings.push(f);
      continue;
    }
    const chart = chartByPath.get(f.resource.constructPath ?? '');
    if (!chart) continue;
    failuresByChart.set(chart, [...(failuresByChart.get(chart) ?? []), formatFinding(f)]);
  }
  if (warnings.length > 0 && state.options.printWarnings !== false) {
    console.warn(`cdk8s-stateful guards: ${warnings.length} warning(s) (not failing synth${state.options.strict ? '' : '; Guards.enable(app, { strict: true }) fails on them'}):\n${warnings.map(w => `  - ${formatFinding(w)}`).join('\n')}`);
  }
  if (state.options.report) writeReport(root, state, report);
  return { report, failuresByChart };
}

function writeReport(root: IConstruct, state: AppState, report: GuardReport): void {
  const outdir: string = (root as any).outdir ?? 'dist';
  const file = path.join(outdir, state.options.reportFileName ?? 'guards-report.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = {
    tool: 'cdk8s-stateful guards',
    strict: state.options.strict === true,
    summary: { errors: report.errorCount, warnings: report.warningCount, acknowledged: report.acknowledgedCount, failed: report.failed },
    rules: ALL_RULES.map(r => ({ id: r.id, severity: r.severity, title: r.title })),
    findings: report.findings,
  };
  fs.writeFileSync(file, `${JSON.stringify(body, undefined, 2)}\n`);
}

/** Inside one synth, cdk8s serializes each object again after validating: hand it the JSON already resolved. */
function memoize(o: ApiObject, manifest: any, state: AppState): void {
  Object.defineProperty(o, 'toJson', { value: () => manifest, configurable: true, writable: true, enumerable: false });
  state.memoized.push(o);
}

function wrapSynth(root: IConstruct, state: AppState): void {
  for (const method of ['synth', 'synthYaml']) {
    const original = (root as any)[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(root, method, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function (this: any, ...args: any[]) {
        state.synthDepth++;
        try {
          return original.apply(this, args);
        } finally {
          state.synthDepth--;
          if (state.synthDepth === 0) {
            state.computed = undefined;
            for (const o of state.memoized.splice(0)) delete (o as any).toJson;
          }
        }
      },
    });
  }
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
  return stateOf(scope.node.root)?.lastReport;
}
