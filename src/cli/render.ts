/**
 * Output of `cdk8s-stateful check`: text for people, JSON and SARIF for machines. Internal: not
 * part of the jsii API.
 */
import * as nodePath from 'path';
import { pathToFileURL } from 'url';
import { ACK_ANNOTATION } from '../guards/acknowledgements';
import { LoadedManifest, STDIN_NAME } from '../guards/files/manifest-files';
import { GuardFinding, GuardReport, GuardRuleInfo, GuardSeverity } from '../guards/finding';
import { ManifestObject } from '../guards/graph';
import { Guards } from '../guards/guards';

/** Where an object of the input came from. */
export interface SourceLocation {
  readonly file: string;
  readonly document: number;
  readonly line?: number;
  /** The Helm template that rendered it (`# Source:` comment). */
  readonly helmSource?: string;
}

/** Finds the file(s) of the resource a finding names (same identity rules as the guards). */
export class SourceIndex {
  private readonly byKey = new Map<string, SourceLocation[]>();
  /** @param previous where to look for objects these manifests do not have (the baseline of `--baseline`) */
  constructor(manifests: readonly LoadedManifest[], defaultNamespace: string, private readonly previous?: SourceIndex) {
    manifests.forEach((m, i) => {
      const key = new ManifestObject(m.manifest, i, defaultNamespace).key;
      const list = this.byKey.get(key) ?? [];
      list.push({ file: m.file, document: m.document, ...(m.line ? { line: m.line } : {}), ...(m.helmSource ? { helmSource: m.helmSource } : {}) });
      this.byKey.set(key, list);
    });
  }
  /** Identities defined more than once (applying them, the last one wins), with their places. */
  public duplicates(): Array<{ identity: string; locations: SourceLocation[] }> {
    return [...this.byKey.entries()].filter(([, l]) => l.length > 1)
      .map(([key, locations]) => {
        const [kind, ns, name] = key.split('|');
        return { identity: `${kind} ${ns ? `${ns}/` : ''}${name}`, locations };
      });
  }
  /** Every place an object with the finding's kind, namespace and name is defined. */
  public locate(f: GuardFinding): SourceLocation[] {
    return this.byKey.get(`${f.resource.kind}|${f.resource.namespace ?? ''}|${f.resource.name}`) ?? this.previous?.locate(f) ?? [];
  }
  /** Whether the finding's resource is only in the previous output (removed since). */
  public onlyPrevious(f: GuardFinding): boolean {
    return !this.byKey.has(`${f.resource.kind}|${f.resource.namespace ?? ''}|${f.resource.name}`) && (this.previous?.locate(f).length ?? 0) > 0;
  }
}

function resourceName(f: GuardFinding): string {
  return `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;
}

function locationText(l: SourceLocation): string {
  const parts = [`document ${l.document}`, ...(l.line ? [`line ${l.line}`] : []), ...(l.helmSource ? [`template ${l.helmSource}`] : [])];
  return `${l.file} (${parts.join(', ')})`;
}

/** Human-readable report: one block per finding, then a summary line. */
export function renderText(report: GuardReport, sources: SourceIndex, stats: { files: number; objects: number; strict: boolean }): string {
  const lines: string[] = [];
  const open = report.findings.filter(f => !f.acknowledged);
  const acked = report.findings.filter(f => f.acknowledged);
  for (const f of open) {
    const locs = sources.locate(f);
    lines.push(`${f.severity === GuardSeverity.ERROR ? 'ERROR' : 'WARNING'} ${f.ruleId} ${f.title}`);
    lines.push(`  resource:      ${resourceName(f)}`);
    if (locs.length > 0) lines.push(`  file:          ${locs.map(locationText).join('; ')}`);
    lines.push(`  problem:       ${f.message}`);
    lines.push(`  in production: ${f.impact}`);
    lines.push(`  fix:           ${f.fix}`);
    if (f.ruleId === 'SG000') {
      lines.push(`  acknowledge:   not possible: correct the ${ACK_ANNOTATION} annotation.`);
    } else if (sources.onlyPrevious(f)) {
      lines.push(`  acknowledge:   annotate ${resourceName(f)} in the baseline (the release before its removal) with  ${ACK_ANNOTATION}: "${f.ruleId}: <why the risk is acceptable>"`);
    } else {
      lines.push(`  acknowledge:   annotate ${resourceName(f)} with  ${ACK_ANNOTATION}: "${f.ruleId}: <why the risk is acceptable>"`);
    }
    lines.push('');
  }
  for (const f of acked) {
    const locs = sources.locate(f);
    lines.push(`acknowledged ${f.ruleId} ${resourceName(f)}${locs.length > 0 ? ` [${locs.map(l => l.file).join('; ')}]` : ''}: ${f.acknowledgedReason ?? ''}`);
  }
  if (acked.length > 0) lines.push('');
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict = report.failed ? 'FAILED' : 'passed';
  const why = report.failed && report.errorCount === 0 && stats.strict ? ' (--strict: warnings fail)' : '';
  lines.push(`${verdict}${why}: ${plural(report.errorCount, 'error')}, ${plural(report.warningCount, 'warning')}, `
    + `${report.acknowledgedCount} acknowledged in ${plural(stats.objects, 'object')} from ${plural(stats.files, 'file')}.`);
  return lines.join('\n') + '\n';
}

/** The guard report with the file (document, line) of each finding's resource. */
export function renderJson(report: GuardReport, sources: SourceIndex, stats: { files: number; objects: number }): string {
  const findings = report.findings.map(f => {
    const locations = sources.locate(f);
    return { ...f, ...(locations.length > 0 ? { file: locations[0].file } : {}), locations };
  });
  return JSON.stringify({ ...report, findings, files: stats.files, objects: stats.objects }, null, 2) + '\n';
}

/** SARIF 2.1.0 from the guards, with the file and line of each finding's resource where known. */
export function renderSarif(report: GuardReport, sources: SourceIndex, cwd: string): string {
  const sarif = Guards.toSarif(report);
  const results: any[] = sarif.runs?.[0]?.results ?? [];
  report.findings.forEach((f, i) => {
    const result = results[i];
    const loc = sources.locate(f).find(l => l.file !== STDIN_NAME);
    if (!result || !loc) return;
    const physicalLocation = {
      artifactLocation: { uri: artifactUri(loc.file, cwd) },
      ...(loc.line ? { region: { startLine: loc.line } } : {}),
    };
    const first = result.locations?.[0] ?? {};
    result.locations = [{ physicalLocation, ...first }, ...(result.locations ?? []).slice(1)];
  });
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** A path relative to the working directory (forward slashes), or a file:// URI outside it. */
function artifactUri(file: string, cwd: string): string {
  const abs = nodePath.resolve(cwd, file);
  const rel = nodePath.relative(cwd, abs);
  if (rel !== '' && !rel.startsWith('..') && !nodePath.isAbsolute(rel)) return rel.split(nodePath.sep).map(encodeURIComponent).join('/');
  return pathToFileURL(abs).href;
}

/** The rule table. */
export function renderRules(rules: GuardRuleInfo[], format: 'text' | 'json' | 'sarif'): string {
  if (format !== 'text') return JSON.stringify(rules, null, 2) + '\n';
  return rules.map(r => `${r.id}  ${r.severity.padEnd(7)}  ${r.title}`).join('\n') + '\n';
}
