/**
 * The real-world corpus: every fixture (modelled on a popular public manifest, written for this corpus) must
 * get exactly the findings VERDICTS.yaml says a senior SRE expects: rule, severity and object; a missing
 * finding fails, an extra one fails. The fixtures are plain manifests, not synthesized here: they are
 * dry-run against the real API server with `npm run conformance -- --pod-security privileged
 * test/guards/real-world/fixtures` (the CRDs of the operator fixtures are not installed there).
 * Figures: `npx ts-node -P test/tsconfig.json test/guards/real-world/measure.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compare, FIXTURES_DIR, fixtureFiles, keyOf, loadFixture, loadVerdicts, reported, Verdict } from './corpus';

const files = fixtureFiles();
const verdicts = loadVerdicts();

const line = (v: Verdict): string => `${keyOf(v)} — ${v.reason ?? v.message ?? ''}`;

describe('the real-world corpus', () => {
  test('VERDICTS.yaml and fixtures/ list the same files', () => {
    expect([...verdicts.keys()].sort()).toEqual(files);
  });

  test('holds at least 40 fixtures, with errors, warnings and clean manifests among the verdicts', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    const all = [...verdicts.values()].flat();
    expect(all.filter(v => v.severity === 'error').length).toBeGreaterThanOrEqual(10);
    expect(all.filter(v => v.severity === 'warning').length).toBeGreaterThanOrEqual(10);
    expect([...verdicts.values()].filter(v => v.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  test.each(files)('%s says which public project it is modelled on and that it is an original fixture', file => {
    const header = fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8').split('\n').filter(l => l.startsWith('#')).join('\n');
    expect(header).toMatch(/Original fixture for the cdk8s-stateful real-world corpus/);
    expect(header).toMatch(/Modelled on: .*\S/);
    expect(header).toMatch(/https?:\/\/\S+|[\w.-]+\/[\w.-]+/);
  });

  test.each(files)('%s gets exactly its reviewed verdict', file => {
    // GIVEN the fixture and its verdict
    const objects = loadFixture(file);
    expect(objects.length).toBeGreaterThan(0);
    const expected = verdicts.get(file) ?? [];

    // WHEN the guards check it alone
    const { missing, unexpected } = compare(expected, reported(objects));

    // THEN nothing is missing and nothing else is reported
    expect({ missing: missing.map(line), unexpected: unexpected.map(line) }).toEqual({ missing: [], unexpected: [] });
  });
});
