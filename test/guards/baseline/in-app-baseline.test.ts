import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { changed, REASON, statefulSet } from './fixtures';
import { Guards } from '../../../src/guards';
import { ACK_ANNOTATION } from '../../../src/guards/acknowledgements';
import { lastReport } from '../../../src/guards/app-integration';
import { parseYaml } from '../../harness';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-baseline-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** An app whose chart holds these objects, guards enabled with the baseline. */
function appWith(objects: any[], baseline: string, outdir?: string): { app: App; chart: Chart; apiObjects: ApiObject[] } {
  const app = new App(outdir ? { outdir } : {});
  const chart = new Chart(app, 'shop');
  const apiObjects = objects.map((o, i) => new ApiObject(chart, `o${i}`, o));
  Guards.enable(app, { baseline, printWarnings: false });
  return { app, chart, apiObjects };
}

const yaml = (objects: any[]) => objects.map(o => YAML.stringify(o)).join('---\n');

describe('Guards.enable(app, { baseline })', () => {
  test('a changed immutable field fails synth with the rule, the field and the migration', () => {
    // GIVEN the previous output in a directory WHEN the app changes the claim template size
    const before = statefulSet();
    const dir = tempDir({ 'shop.k8s.yaml': yaml([before]) });
    const { app } = appWith([changed(before, s => { s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi'; })], dir);
    // THEN synth fails naming SU001 and the procedure
    expect(() => app.synthYaml()).toThrow(/SU001 \[error\].*storage 10Gi → 20Gi.*--cascade=orphan/s);
  });

  test('an unchanged app passes, and so does the first synth when the baseline does not exist yet (a note says so)', () => {
    const before = statefulSet();
    const same = appWith([before], tempDir({ 'shop.k8s.yaml': yaml([before]) }));
    expect(() => same.app.synthYaml()).not.toThrow();
    expect(lastReport(same.app)!.findings.filter(f => f.ruleId.startsWith('SU'))).toEqual([]);

    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const app = new App();
      new ApiObject(new Chart(app, 'shop'), 'db', before);
      Guards.enable(app, { baseline: path.join(tempDir(), 'missing', 'dist') });
      expect(() => app.synthYaml()).not.toThrow();
      expect(warn.mock.calls.map(c => String(c[0])).join('\n')).toContain('does not exist (yet): nothing to compare with');
    } finally {
      warn.mockRestore();
    }
  });

  test('Guards.acknowledge on the construct accepts it and writes the annotation', () => {
    const before = statefulSet();
    const dir = tempDir({ 'shop.k8s.yaml': yaml([before]) });
    const { app, apiObjects } = appWith([changed(before, s => { s.spec.serviceName = 'db-headless'; })], dir);
    Guards.acknowledge(apiObjects[0], 'SU001', REASON);
    const out = parseYaml(app.synthYaml());
    expect(out[0].metadata.annotations[ACK_ANNOTATION]).toBe(`SU001: ${REASON}`);
    expect(lastReport(app)!.findings.filter(f => f.ruleId === 'SU001')).toEqual([expect.objectContaining({ acknowledged: true, acknowledgedReason: REASON })]);
  });

  test('an object the app no longer has fails synth on the app; Guards.acknowledge(app, ...) accepts it', () => {
    const gone = changed(statefulSet(), s => { s.metadata.name = 'old-db'; });
    const dir = tempDir({ 'shop.k8s.yaml': yaml([gone, statefulSet()]) });
    const first = appWith([statefulSet()], dir);
    expect(() => first.app.synthYaml()).toThrow(/SU005 \[error\].*StatefulSet default\/old-db of the baseline is not in the current output/s);

    const second = appWith([statefulSet()], dir);
    Guards.acknowledge(second.app, 'SU005', REASON);
    expect(() => second.app.synthYaml()).not.toThrow();
  });

  test('with the output directory as baseline, each synth is compared with the previous one, and a refused synth leaves it as it was', () => {
    // GIVEN a first synth into dist (no baseline yet)
    const outdir = path.join(tempDir(), 'dist');
    const first = appWith([statefulSet()], outdir, outdir);
    first.app.synth();
    const written = fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8');
    expect(written).toContain('serviceName: db');
    // WHEN the next version changes the serviceName
    const second = appWith([changed(statefulSet(), s => { s.spec.serviceName = 'db-headless'; })], outdir, outdir);
    // THEN synth fails and dist keeps the previous output
    expect(() => second.app.synth()).toThrow(/SU001/);
    expect(fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8')).toBe(written);
  });

  test('the JSON report and other JSON beside the manifests are not read as objects', () => {
    const before = statefulSet();
    const dir = tempDir({
      'shop.k8s.yaml': yaml([before]),
      'guards-report.json': JSON.stringify({ tool: 'cdk8s-stateful guards', findings: [] }),
      'construct-metadata.json': JSON.stringify({ version: '1.0.0', resources: {} }),
    });
    expect(() => appWith([before], dir).app.synthYaml()).not.toThrow();
  });

  test('a baseline file that cannot be parsed fails synth, naming it', () => {
    const dir = tempDir({ 'shop.k8s.yaml': 'kind: [unclosed\n' });
    expect(() => appWith([statefulSet()], dir).app.synthYaml()).toThrow(/the baseline '.*' cannot be compared with: .*shop\.k8s\.yaml: cannot be parsed/s);
  });

  test('a baseline that is not a path is refused', () => {
    const app = new App();
    expect(() => Guards.enable(app, { baseline: 42 as any })).toThrow("baseline must be the path of a file or directory holding the previous output (e.g. 'dist'), got 42.");
    expect(() => Guards.enable(app, { baseline: '' })).toThrow(/baseline must be the path/);
  });
});
