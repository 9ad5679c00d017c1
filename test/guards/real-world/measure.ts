/**
 * How the guards do on the real-world corpus (fixtures/ against VERDICTS.yaml) and on the shared Kubernetes
 * examples corpus (../shared/corpus/kubernetes-examples against its EXPECTED.md):
 *
 *   npx ts-node -P test/tsconfig.json test/guards/real-world/measure.ts [--json]
 *
 * Prints the corpus size, expected and reported errors and warnings, error and warning precision (correct /
 * reported) and recall (correct / expected), and every false error, false warning and miss. A finding with the
 * right rule and object but the wrong severity counts as a false finding of the reported severity AND a miss of
 * the expected one. Exit code 0 (it measures; real-world.test.ts is what fails).
 */
import * as fs from 'fs';
import * as path from 'path';
import { compare, fixtureFiles, keyOf, loadFixture, loadVerdicts, reported, Verdict } from './corpus';
import { parseManifests } from '../../../src/guards/files/manifest-files';

interface Disagreement {
  readonly corpus: string;
  readonly fixture: string;
  readonly kind: 'false error' | 'false warning' | 'missed error' | 'missed warning';
  readonly finding: string;
  readonly note: string;
}

interface Figures {
  readonly corpus: string;
  readonly fixtures: number;
  readonly objects: number;
  readonly expectedErrors: number;
  readonly expectedWarnings: number;
  readonly reportedErrors: number;
  readonly reportedWarnings: number;
  readonly correctErrors: number;
  readonly correctWarnings: number;
  readonly fixturesAgreeing: number;
}

const pct = (a: number, b: number): string => (b === 0 ? 'n/a (none reported)' : `${(100 * a / b).toFixed(1)} % (${a}/${b})`);

interface Row {
  readonly fixture: string;
  readonly objects: number;
  readonly expected: Verdict[];
  readonly got: Verdict[];
}

function tally(corpus: string, rows: Row[]): { figures: Figures; disagreements: Disagreement[] } {
  const disagreements: Disagreement[] = [];
  let correctErrors = 0; let correctWarnings = 0; let agreeing = 0;
  for (const row of rows) {
    const { matched, missing, unexpected } = compare(row.expected, row.got);
    correctErrors += matched.filter(v => v.severity === 'error').length;
    correctWarnings += matched.filter(v => v.severity === 'warning').length;
    if (missing.length === 0 && unexpected.length === 0) agreeing++;
    const sameTarget = (a: Verdict, b: Verdict) => a.rule === b.rule && a.object === b.object;
    for (const u of unexpected) {
      const instead = missing.find(m => sameTarget(m, u));
      const duplicate = matched.some(m => keyOf(m) === keyOf(u));
      disagreements.push({
        corpus,
        fixture: row.fixture,
        kind: u.severity === 'error' ? 'false error' : 'false warning',
        finding: keyOf(u),
        note: instead ? `expected as ${instead.severity} (${instead.reason}); guard says: ${u.message}`
          : duplicate ? `one more finding of this rule on this object than expected (one per workload); guard says: ${u.message}`
            : `guard says: ${u.message}`,
      });
    }
    for (const m of missing) {
      const instead = unexpected.find(u => sameTarget(m, u));
      disagreements.push({
        corpus,
        fixture: row.fixture,
        kind: m.severity === 'error' ? 'missed error' : 'missed warning',
        finding: keyOf(m),
        note: instead ? `reported as ${instead.severity} instead; expected because: ${m.reason}` : `expected because: ${m.reason}`,
      });
    }
  }
  const all = (list: 'expected' | 'got', severity: string) => rows.reduce((n, r) => n + r[list].filter(v => v.severity === severity).length, 0);
  return {
    figures: {
      corpus,
      fixtures: rows.length,
      objects: rows.reduce((n, r) => n + r.objects, 0),
      expectedErrors: all('expected', 'error'),
      expectedWarnings: all('expected', 'warning'),
      reportedErrors: all('got', 'error'),
      reportedWarnings: all('got', 'warning'),
      correctErrors,
      correctWarnings,
      fixturesAgreeing: agreeing,
    },
    disagreements,
  };
}

function realWorld() {
  const verdicts = loadVerdicts();
  return tally('real-world', fixtureFiles().map(fixture => {
    const objects = loadFixture(fixture);
    return { fixture, objects: objects.length, expected: verdicts.get(fixture) ?? [], got: reported(objects) };
  }));
}

/**
 * The shared corpus's EXPECTED.md gives errors only: none in any file alone, except the literal
 * MYSQL_ROOT_PASSWORD of mysql-deployment.yaml (SG009 on Deployment default/mysql). Warnings "are fine where
 * they are true": they are listed, not judged, so warning figures are left out for this corpus.
 */
function kubernetesExamples(dir: string) {
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort();
  const rows = files.map(fixture => {
    const objects = parseManifests(fs.readFileSync(path.join(dir, fixture), 'utf8'), fixture).map(m => m.manifest as Record<string, any>);
    const got = reported(objects);
    const expected: Verdict[] = fixture === 'mysql-deployment.yaml'
      ? [{ rule: 'SG009', severity: 'error', object: 'Deployment default/mysql', reason: 'EXPECTED.md: MYSQL_ROOT_PASSWORD is a literal value' }]
      : [];
    return { fixture, objects: objects.length, all: objects, expected, got: got.filter(v => v.severity === 'error'), warnings: got.filter(v => v.severity === 'warning') };
  });
  const result = tally('kubernetes-examples', rows);
  // EXPECTED.md: all files together as one input raise that one error too.
  const together = reported(rows.flatMap(r => r.all)).filter(v => v.severity === 'error').map(keyOf);
  return { ...result, together, warnings: rows.flatMap(r => r.warnings.map(w => `${r.fixture}: ${keyOf(w)}`)) };
}

function main(): void {
  const json = process.argv.includes('--json');
  const rw = realWorld();
  const examplesDir = path.resolve(__dirname, '../../../../shared/corpus/kubernetes-examples');
  const ex = fs.existsSync(examplesDir) ? kubernetesExamples(examplesDir) : undefined;
  if (json) {
    process.stdout.write(`${JSON.stringify({ realWorld: rw, kubernetesExamples: ex }, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  const f = rw.figures;
  out.push('Real-world corpus (test/guards/real-world: fixtures/ against VERDICTS.yaml)');
  out.push(`  corpus size:        ${f.fixtures} fixtures, ${f.objects} objects; ${f.fixturesAgreeing}/${f.fixtures} fixtures get exactly their verdict`);
  out.push(`  expected:           ${f.expectedErrors} errors, ${f.expectedWarnings} warnings`);
  out.push(`  reported:           ${f.reportedErrors} errors, ${f.reportedWarnings} warnings`);
  out.push(`  error precision:    ${pct(f.correctErrors, f.reportedErrors)}`);
  out.push(`  error recall:       ${pct(f.correctErrors, f.expectedErrors)}`);
  out.push(`  warning precision:  ${pct(f.correctWarnings, f.reportedWarnings)}`);
  out.push(`  warning recall:     ${pct(f.correctWarnings, f.expectedWarnings)}`);
  for (const kind of ['false error', 'false warning', 'missed error', 'missed warning'] as const) {
    const list = rw.disagreements.filter(d => d.kind === kind);
    out.push(`  ${kind}s (${list.length}):`);
    for (const d of list) out.push(`    ${d.fixture}: ${d.finding}\n      ${d.note}`);
  }
  if (ex) {
    const e = ex.figures;
    out.push('');
    out.push(`Kubernetes examples corpus (${path.relative(process.cwd(), examplesDir)}: each file alone, against EXPECTED.md; errors only)`);
    out.push(`  corpus size:        ${e.fixtures} files, ${e.objects} objects`);
    out.push(`  expected:           ${e.expectedErrors} errors; reported ${e.reportedErrors} errors`);
    out.push(`  error precision:    ${pct(e.correctErrors, e.reportedErrors)}`);
    out.push(`  error recall:       ${pct(e.correctErrors, e.expectedErrors)}`);
    for (const d of ex.disagreements) out.push(`    ${d.kind}: ${d.fixture}: ${d.finding}\n      ${d.note}`);
    out.push(`  all files as one input: ${ex.together.length} error(s)${ex.together.length ? `: ${ex.together.join('; ')}` : ''} (EXPECTED.md: exactly SG009 error Deployment default/mysql)`);
    out.push(`  warnings reported (EXPECTED.md allows true warnings; not judged here): ${ex.warnings.length}`);
    for (const w of ex.warnings) out.push(`    ${w}`);
  } else {
    out.push('', `Kubernetes examples corpus: ${examplesDir} not found, skipped.`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
