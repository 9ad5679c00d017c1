import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { cli } from './cli-harness';
import { Guards } from '../../src/guards';
import { ACK_ANNOTATION } from '../../src/guards/acknowledgements';
import { GuardSeverity } from '../../src/guards/finding';
import { GuardPack } from '../../src/guards/guard-pack';
import { claimVolume, container, REASON } from '../guards/helpers';
import { checkedByApiServer, find, parseYaml } from '../harness';

/**
 * Acknowledgements made in code (`Guards.acknowledge`) travel with the objects: synth writes them
 * into the `stateful.cdk8s.io/acknowledge` annotation, so `cdk8s-stateful check` (and the cdk8s-cli
 * plugin, which runs the same check) judge the written YAML as the app's guards did.
 */

/** A three-replica Deployment on a ReadWriteOnce claim (Recreate): SG001, an error. */
function sharedClaimDeployment(chart: Chart): kplus.Deployment {
  const { volume } = claimVolume(chart, 'data');
  return new kplus.Deployment(chart, 'web', {
    replicas: 3,
    strategy: kplus.DeploymentStrategy.recreate(),
    containers: [container('nginx:1.27', [{ path: '/data', volume }])],
  });
}

/** `app.synth()` into the app's outdir; the objects written, checked by the API server. */
function synthToDisk(app: App): any[] {
  app.synth();
  const files = fs.readdirSync(app.outdir).filter(f => f.endsWith('.k8s.yaml'));
  return checkedByApiServer(files.flatMap(f => parseYaml(fs.readFileSync(path.join(app.outdir, f), 'utf8'))));
}

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('Guards.acknowledge writes the acknowledgement into the synthesized YAML', () => {
  test('the guards pass in the app, the annotation is on the object, and check over the written YAML exits 0', async () => {
    // GIVEN an app whose guards fail on SG001
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const web = sharedClaimDeployment(chart);
    Guards.enable(app);
    expect(() => app.synthYaml()).toThrow(/SG001/);
    // WHEN
    Guards.acknowledge(web, 'SG001', REASON);
    const objects = synthToDisk(app);
    // THEN the object carries the acknowledgement; the claim (not under the Deployment) does not
    expect(find(objects, 'Deployment').metadata.annotations).toEqual({ [ACK_ANNOTATION]: `SG001: ${REASON}` });
    expect(find(objects, 'PersistentVolumeClaim').metadata.annotations).toBeUndefined();
    // and the command-line checker agrees with the app's guards
    const result = await cli(['check', app.outdir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`acknowledged SG001 Deployment default/shop-web-\\w+ .*: ${REASON}`));
    expect(result.stdout).toMatch(/passed: 0 errors/);
  });

  test('synth prints one line per acknowledged finding: rule, object, construct and reason', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const web = sharedClaimDeployment(chart);
    Guards.enable(app);
    Guards.acknowledge(web, 'SG001', REASON);
    // WHEN
    app.synth();
    // THEN
    const printed = warn.mock.calls.map(c => String(c[0])).join('\n').split('\n').filter(l => l.includes('acknowledged'));
    expect(printed).toEqual([
      expect.stringMatching(new RegExp(`^cdk8s-stateful guards: acknowledged SG001 on Deployment default/shop-web-\\w+ \\(construct shop/web/Resource\\): ${REASON}$`)),
    ]);
  });

  test('one decision applied to many objects is one line with the count, not one line per object', () => {
    // GIVEN five charts, each with the same acknowledged anti-pattern and the same reason
    const app = Testing.app();
    for (let i = 0; i < 5; i++) {
      const chart = new Chart(app, `shop${i}`);
      Guards.acknowledge(sharedClaimDeployment(chart), 'SG001', REASON);
    }
    Guards.enable(app);
    // WHEN
    app.synth();
    // THEN
    const printed = warn.mock.calls.map(c => String(c[0])).join('\n').split('\n').filter(l => l.includes('acknowledged'));
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(new RegExp(`^cdk8s-stateful guards: acknowledged SG001 on 5 objects: Deployment default/shop0-web-\\w+ \\(construct shop0/web/Resource\\), .*, and 2 more: ${REASON}$`));
  });

  test('without the guards running in the app (no construct of the library, no Guards.enable) the annotation is still written', async () => {
    // GIVEN two identical plain cdk8s-plus apps, one acknowledging
    const plain = Testing.app();
    sharedClaimDeployment(new Chart(plain, 'shop'));
    const acknowledged = Testing.app();
    const web = sharedClaimDeployment(new Chart(acknowledged, 'shop'));
    Guards.acknowledge(web, 'SG001', REASON);
    // WHEN
    synthToDisk(plain);
    synthToDisk(acknowledged);
    // THEN the checker fails the first and passes the second
    expect((await cli(['check', plain.outdir])).code).toBe(1);
    expect((await cli(['check', acknowledged.outdir])).code).toBe(0);
  });

  test('a chart-wide acknowledgement is written on every object of the chart, once, however many synths', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    sharedClaimDeployment(chart);
    Guards.enable(app);
    Guards.acknowledge(chart, 'SG001', REASON);
    // WHEN
    app.synthYaml();
    app.synthYaml();
    const objects = synthToDisk(app);
    // THEN
    expect(objects.map(o => [o.kind, o.metadata.annotations?.[ACK_ANNOTATION]])).toEqual([
      ['PersistentVolumeClaim', `SG001: ${REASON}`],
      ['Deployment', `SG001: ${REASON}`],
    ]);
  });

  test('an annotation already on the object is kept: other rules are appended, the same rule keeps its own reason', async () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const web = sharedClaimDeployment(chart);
    web.metadata.addAnnotation(ACK_ANNOTATION, 'SG001: the annotation reason, written by hand.');
    Guards.acknowledge(web, 'SG001', REASON);
    Guards.acknowledge(web, 'SG018', 'Not a database: the rule does not fire, the note is kept.');
    // WHEN
    const objects = synthToDisk(app);
    // THEN
    expect(find(objects, 'Deployment').metadata.annotations[ACK_ANNOTATION])
      .toBe('SG001: the annotation reason, written by hand.; SG018: Not a database: the rule does not fire, the note is kept.');
    const result = await cli(['check', app.outdir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(': the annotation reason, written by hand.');
  });

  test('ids of a pack of your own are written as a JSON object, which the checker reads without splitting it wrongly', async () => {
    // GIVEN a pack rule acknowledged next to a built-in one
    const pack = new GuardPack({
      name: 'acme',
      rules: [{
        id: 'ACME001',
        severity: GuardSeverity.ERROR,
        title: 'Deployment without a team label',
        check: graph => graph.workloads.filter(w => !w.object.labels.team).map(w => ({ object: w.object, message: 'no team', impact: 'nobody paged', fix: 'add it' })),
      }],
    });
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const web = sharedClaimDeployment(chart);
    Guards.enable(app, { packs: [pack] });
    Guards.acknowledge(web, 'SG001', REASON);
    Guards.acknowledge(web, 'ACME001', 'Owned by whoever uses the sandbox.');
    // WHEN
    const objects = synthToDisk(app);
    // THEN
    expect(JSON.parse(find(objects, 'Deployment').metadata.annotations[ACK_ANNOTATION])).toEqual({
      ACME001: 'Owned by whoever uses the sandbox.',
      SG001: REASON,
    });
    const result = await cli(['check', app.outdir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('acknowledged SG001');
  });

  test('a malformed annotation is left as it is (SG000 reports it) and acknowledges nothing', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const web = sharedClaimDeployment(chart);
    web.metadata.addAnnotation(ACK_ANNOTATION, 'SG001: short');
    Guards.enable(app);
    Guards.acknowledge(web, 'SG001', REASON);
    // WHEN / THEN
    expect(() => app.synthYaml()).toThrow(/SG000/);
    expect(web.metadata.toJson().annotations[ACK_ANNOTATION]).toBe('SG001: short');
  });
});
