import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { Guards } from '../../src'; // the entry point: it turns the guards on for library charts
import { lastReport } from '../../src/guards/app-integration';
import { runStats } from '../../src/guards/runner';
import { StatefulError } from '../../src/internal/errors';
import { markLibraryConstruct } from '../../src/internal/library-marker';
import { synth, synthApp } from '../harness';
import { claimVolume, container, goodDatabase, rawStatefulSet, REASON } from './helpers';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'guards-'));
}

/** A three-replica Deployment on a ReadWriteOnce claim: SG001 error. */
function badDeployment(chart: Chart, id = 'web'): kplus.Deployment {
  const { volume } = claimVolume(chart, `${id}-data`);
  return new kplus.Deployment(chart, id, { replicas: 3, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume }])] });
}

/** A StatefulSet with no PDB and no anti-affinity: warnings only (SG011, SG012). */
function warnOnly(chart: Chart): void {
  const labels = { app: 'web' };
  new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-headless' }, spec: { clusterIP: 'None', selector: labels, ports: [{ port: 80 }] } });
  rawStatefulSet(chart, 'web', { image: 'nginx', replicas: 2, dataPath: '/usr/share/nginx/html', labels });
}

/** A construct of "this library" (as StatefulDatabase would be): marks itself. */
class LibraryThing extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    markLibraryConstruct(this);
  }
}

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('Guards.enable', () => {
  test('an unacknowledged error fails synth, naming the chart, the rule and the construct path', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    badDeployment(chart);
    // WHEN
    Guards.enable(app);
    // THEN
    expect(() => synth(chart)).toThrow(/\[shop\] SG001 \[error\] .*\(construct shop\/web\/Resource\): Deployment default\/shop-web-.* runs 3 replica\(s\).* In production: .*Multi-Attach.* Fix: /);
    expect(() => app.synthYaml()).toThrow(/Validation failed/);
  });

  test('charts created after Guards.enable are checked too', () => {
    const app = Testing.app();
    Guards.enable(app);
    const later = new Chart(app, 'later');
    badDeployment(later);
    expect(() => synth(later)).toThrow(/\[later\] SG001/);
  });

  test('without Guards.enable and without library constructs, plain cdk8s apps are not checked', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    badDeployment(chart);
    expect(synth(chart).length).toBeGreaterThan(0);
  });

  test('warnings are printed once per synth and do not fail it', () => {
    // GIVEN an app of three charts (cdk8s validates 1 + 3 times during App.synth)
    const app = new App({ outdir: tmpdir() });
    warnOnly(new Chart(app, 'a'));
    new Chart(app, 'b');
    new Chart(app, 'c');
    Guards.enable(app);
    // WHEN
    app.synth();
    // THEN
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/cdk8s-stateful guards: 2 warning\(s\)[\s\S]*SG011[\s\S]*SG012/);
    warn.mockClear();
    synthApp(app);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test('strict mode fails synth on warnings', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a');
    warnOnly(chart);
    Guards.enable(app, { strict: true });
    expect(() => synth(chart)).toThrow(/SG011 \[warning\][\s\S]*SG012 \[warning\]/);
    expect(warn).not.toHaveBeenCalled();
  });

  test('the graph is built once per synth, whatever the number of charts', () => {
    const app = new App({ outdir: tmpdir() });
    for (const id of ['a', 'b', 'c', 'd']) goodDatabase(new Chart(app, id), 'db');
    Guards.enable(app);
    let before = runStats.graphBuilds;
    app.synth();
    expect(runStats.graphBuilds - before).toBe(1);
    before = runStats.graphBuilds;
    app.synthYaml();
    expect(runStats.graphBuilds - before).toBe(1);
    before = runStats.graphBuilds;
    Testing.synth(app.charts[0]);
    expect(runStats.graphBuilds - before).toBe(1);
  });

  test('a second synth sees changes made after the first one', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const { volume } = claimVolume(chart, 'data');
    const d = new kplus.Deployment(chart, 'web', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume }])] });
    Guards.enable(app);
    expect(app.synthYaml()).toMatch(/replicas: 1/);
    ApiObject.of(d).addJsonPatch(JsonPatch.replace('/spec/replicas', 3));
    expect(() => app.synthYaml()).toThrow(/SG001/);
    expect(() => synth(chart)).toThrow(/SG001/);
  });

  test('references across charts resolve: the graph spans the app', () => {
    const app = Testing.app();
    const storage = new Chart(app, 'storage');
    new ApiObject(storage, 'sc', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer' });
    const workloads = new Chart(app, 'workloads');
    claimVolume(workloads, 'shared', [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY], 'gp3');
    Guards.enable(app);
    expect(() => synth(workloads)).toThrow(/\[workloads\] SG006 .*StorageClass 'gp3'/);
  });

  test('writes a JSON report beside the manifests, acknowledged findings included', () => {
    // GIVEN
    const outdir = tmpdir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop');
    const d = badDeployment(chart, 'api');
    Guards.acknowledge(d, 'SG001', REASON);
    warnOnly(chart);
    Guards.enable(app, { report: true });
    // WHEN
    app.synth();
    // THEN
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'guards-report.json'), 'utf8'));
    expect(fs.existsSync(path.join(outdir, 'shop.k8s.yaml'))).toBe(true);
    expect(report.summary).toEqual({ errors: 0, warnings: 2, acknowledged: 1, failed: false });
    expect(report.rules.map((r: any) => r.id)).toContain('SG018');
    expect(report.findings.find((f: any) => f.ruleId === 'SG001')).toMatchObject({
      acknowledged: true, acknowledgedReason: REASON, resource: { kind: 'Deployment', constructPath: 'shop/api/Resource' },
    });
  });

  test('the report is written even when synth fails, under the chosen file name', () => {
    const outdir = tmpdir();
    const app = new App({ outdir });
    badDeployment(new Chart(app, 'shop'));
    Guards.enable(app, { report: true, reportFileName: 'reports/guards.json' });
    expect(() => app.synth()).toThrow(/SG001/);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'reports/guards.json'), 'utf8')).summary.failed).toBe(true);
  });

  test('the manifests written by App.synth are the same with and without guards', () => {
    const build = (enable: boolean) => {
      const outdir = tmpdir();
      const app = new App({ outdir });
      goodDatabase(new Chart(app, 'db'), 'orders');
      if (enable) Guards.enable(app);
      app.synth();
      return fs.readFileSync(path.join(outdir, 'db.k8s.yaml'), 'utf8');
    };
    expect(build(true)).toEqual(build(false));
  });
});

describe('automatic guards for charts holding a construct of this library', () => {
  test('a chart with a library construct fails synth on errors', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new LibraryThing(chart, 'db');
    badDeployment(chart);
    expect(() => synth(chart)).toThrow(/\[shop\] SG001/);
  });

  test('charts without a library construct are not judged, but their objects still resolve references', () => {
    const app = Testing.app();
    const plain = new Chart(app, 'plain');
    badDeployment(plain);
    new ApiObject(plain, 'sc', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer' });
    const ours = new Chart(app, 'ours');
    new LibraryThing(ours, 'db');
    claimVolume(ours, 'shared', [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY], 'gp3');
    expect(() => synth(plain)).toThrow(/\[ours\] SG006[^\n]*StorageClass 'gp3'/);
    expect(() => synth(plain)).not.toThrow(/\[plain\]/);
  });

  test('Guards.enable extends automatic guards to every chart', () => {
    const app = Testing.app();
    new LibraryThing(new Chart(app, 'ours'), 'db');
    const plain = new Chart(app, 'plain');
    badDeployment(plain);
    expect(() => synth(plain)).not.toThrow();
    Guards.enable(app);
    expect(() => synth(plain)).toThrow(/\[plain\] SG001/);
  });
});

describe('Guards.acknowledge', () => {
  test('applies to the construct and its children, not to its siblings', () => {
    // GIVEN two bad Deployments under two parents
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const accepted = new Construct(chart, 'accepted');
    const other = new Construct(chart, 'other');
    badDeployment(accepted as Chart, 'web');
    badDeployment(other as Chart, 'web');
    Guards.enable(app);
    // WHEN
    Guards.acknowledge(accepted, 'SG001', REASON);
    // THEN
    expect(() => synth(chart)).toThrow(/construct shop\/other\/web\/Resource/);
    expect(() => synth(chart)).not.toThrow(/construct shop\/accepted/);
    const findings = lastReport(app)!.findings.filter(f => f.ruleId === 'SG001');
    expect(findings.map(f => [f.resource.constructPath, f.acknowledged])).toEqual([
      ['shop/accepted/web/Resource', true],
      ['shop/other/web/Resource', false],
    ]);
  });

  test('an acknowledged error no longer fails synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    badDeployment(chart);
    Guards.enable(app);
    Guards.acknowledge(chart, 'SG001', 'Single-node dev cluster: all replicas share one node.');
    expect(synth(chart).length).toBeGreaterThan(0);
  });

  test.each([
    ['', 'a reason of at least 10 characters, got "".'],
    ['too short', 'a reason of at least 10 characters, got "too short".'],
    ['   ok     ', 'a reason of at least 10 characters, got "   ok     ".'],
    ['.... ,,,, !!!!', 'a real sentence (mostly letters, not only punctuation or spaces), got ".... ,,,, !!!!".'],
  ])('rejects the reason %j', (reason, accepted) => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    expect(() => Guards.acknowledge(chart, 'SG001', reason)).toThrow(StatefulError);
    expect(() => Guards.acknowledge(chart, 'SG001', reason)).toThrow(`Guards.acknowledge 'shop': reason must be ${accepted}`);
  });

  test('rejects an unknown rule id and SG000', () => {
    const chart = new Chart(Testing.app(), 'shop');
    expect(() => Guards.acknowledge(chart, 'SG999', REASON)).toThrow(/Guards.acknowledge 'shop': ruleId must be a guard rule id \(SG000, SG001, .*\), got "SG999"\./);
    expect(() => Guards.acknowledge(chart, 'SG000', REASON)).toThrow(/ruleId must be a rule other than SG000/);
    expect(() => Guards.acknowledge(chart, undefined as any, REASON)).toThrow(StatefulError);
  });
});

describe('hostile input', () => {
  test('Guards.enable rejects bad options with a StatefulError naming the option', () => {
    const app = Testing.app();
    expect(() => Guards.enable(app, { strict: 'yes' as any })).toThrow("Guards.enable '': strict must be true or false, got \"yes\".");
    expect(() => Guards.enable(app, { reportFileName: '../out.json' })).toThrow(/reportFileName must be a file name relative to the app's output directory/);
    expect(() => Guards.enable(app, { reportFileName: '/etc/passwd' })).toThrow(StatefulError);
    expect(() => Guards.enable(undefined as any)).toThrow(StatefulError);
  });

  test('Guards.enable with printWarnings false prints nothing', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a');
    warnOnly(chart);
    Guards.enable(app, { printWarnings: false });
    synth(chart);
    expect(warn).not.toHaveBeenCalled();
    expect(lastReport(app)!.warningCount).toBe(2);
  });

  test('any rule id and reason either acknowledges or throws a StatefulError', () => {
    const chart = new Chart(Testing.app(), 'shop');
    const anything = fc.oneof(fc.string(), fc.fullUnicodeString(), fc.constantFrom('SG001', 'SG018', 'sg001', ' SG001'),
      fc.integer(), fc.double(), fc.constant(null), fc.constant(undefined), fc.object());
    fc.assert(fc.property(anything, anything, (ruleId: any, reason: any) => {
      try {
        Guards.acknowledge(chart, ruleId, reason);
      } catch (e) {
        expect(e).toBeInstanceOf(StatefulError);
      }
    }), { numRuns: 200 });
  });

  test('any options either enable the guards or throw a StatefulError', () => {
    const value = fc.oneof(fc.boolean(), fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.object());
    const optionsArb = fc.record({ strict: value, report: value, printWarnings: value, reportFileName: value }, { requiredKeys: [] });
    fc.assert(fc.property(optionsArb, (options: any) => {
      const app = new App({ outdir: tmpdir() });
      goodDatabase(new Chart(app, 'db'), 'orders');
      try {
        Guards.enable(app, options);
      } catch (e) {
        expect(e).toBeInstanceOf(StatefulError);
        return;
      }
      expect(() => app.synthYaml()).not.toThrow();
    }), { numRuns: 100 });
  });
});
