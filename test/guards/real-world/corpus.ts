/**
 * The real-world corpus: fixtures modelled on popular public manifests (fixtures/*.yaml) and the verdicts a
 * senior SRE gives them (VERDICTS.yaml). Shared by real-world.test.ts (asserts every verdict) and measure.ts
 * (precision, recall and every disagreement).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { GuardFinding, Guards } from '../../../src/guards';
import { parseManifests } from '../../../src/guards/files/manifest-files';

export const FIXTURES_DIR = path.join(__dirname, 'fixtures');
export const VERDICTS_FILE = path.join(__dirname, 'VERDICTS.yaml');

/** One expected (or reported) finding: rule id, severity and the object it is reported on. */
export interface Verdict {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
  readonly object: string;
  /** Why (expected findings only). */
  readonly reason?: string;
  /** The guard's message (reported findings only). */
  readonly message?: string;
}

/** Fixture file names, sorted. */
export function fixtureFiles(dir = FIXTURES_DIR): string[] {
  return fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort();
}

/** VERDICTS.yaml: fixture file name → expected findings (`[]` for `none`). Throws on a malformed entry. */
export function loadVerdicts(file = VERDICTS_FILE): Map<string, Verdict[]> {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  const out = new Map<string, Verdict[]>();
  for (const [fixture, entry] of Object.entries(doc ?? {})) {
    const expect = entry?.expect;
    if (expect === 'none') {
      if (typeof entry.why !== 'string' || entry.why.trim() === '') throw new Error(`VERDICTS.yaml: ${fixture}: 'expect: none' needs a 'why'`);
      out.set(fixture, []);
      continue;
    }
    if (!Array.isArray(expect) || expect.length === 0) throw new Error(`VERDICTS.yaml: ${fixture}: expect must be 'none' or a non-empty list`);
    out.set(fixture, expect.map((v: any, i: number) => {
      const bad = (what: string) => new Error(`VERDICTS.yaml: ${fixture}: expect[${i}]: ${what}, got ${JSON.stringify(v)}`);
      if (typeof v?.rule !== 'string' || !/^SG\d{3}$/.test(v.rule)) throw bad('rule must be an id such as SG005');
      if (v.severity !== 'error' && v.severity !== 'warning') throw bad("severity must be 'error' or 'warning'");
      if (typeof v.object !== 'string' || !/^[A-Za-z]+ \S+$/.test(v.object)) throw bad("object must be '<Kind> <namespace>/<name>' or '<Kind> <name>'");
      if (typeof v.reason !== 'string' || v.reason.trim().length < 10) throw bad('reason must be a sentence');
      return { rule: v.rule, severity: v.severity, object: v.object, reason: v.reason };
    }));
  }
  return out;
}

/** The objects of one fixture, parsed as `cdk8s-stateful check` parses files. */
export function loadFixture(file: string, dir = FIXTURES_DIR): Record<string, any>[] {
  return parseManifests(fs.readFileSync(path.join(dir, file), 'utf8'), file).map(m => m.manifest as Record<string, any>);
}

/** `Kind namespace/name` (or `Kind name`) of a finding's resource. */
export function objectOf(f: GuardFinding): string {
  return `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;
}

/** What the guards report on some objects, as verdicts. */
export function reported(objects: Record<string, any>[]): Verdict[] {
  return Guards.check(objects).findings.map(f => ({ rule: f.ruleId, severity: f.severity as Verdict['severity'], object: objectOf(f), message: f.message }));
}

export const keyOf = (v: Verdict): string => `${v.rule} ${v.severity} ${v.object}`;

/** Expected vs reported, as multisets of `rule severity object`. */
export interface Comparison {
  /** Expected and reported. */
  readonly matched: Verdict[];
  /** Expected, not reported (with its reason). */
  readonly missing: Verdict[];
  /** Reported, not expected (with the guard's message). */
  readonly unexpected: Verdict[];
}

export function compare(expected: readonly Verdict[], got: readonly Verdict[]): Comparison {
  const left = [...got];
  const matched: Verdict[] = [];
  const missing: Verdict[] = [];
  for (const e of expected) {
    const i = left.findIndex(g => keyOf(g) === keyOf(e));
    if (i >= 0) {
      matched.push(e);
      left.splice(i, 1);
    } else {
      missing.push(e);
    }
  }
  return { matched, missing, unexpected: left };
}
