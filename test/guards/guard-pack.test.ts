import { Chart, Testing } from 'cdk8s';
import { GuardGraph, GuardPack, GuardRuleFinding, Guards, GuardSeverity, IGuardRule } from '../../src/guards';
import { ACK_ANNOTATION } from '../../src/guards/acknowledgements';
import { lastReport } from '../../src/guards/app-integration';
import { StatefulError } from '../../src/internal/errors';
import { synth } from '../harness';
import { goodDatabase, REASON } from './helpers';

// The rule of the README ('Writing your own rules').
/** ACME001: every StatefulSet names the team that owns its data (the on-call rota reads the label). */
const teamLabel: IGuardRule = {
  id: 'ACME001',
  severity: GuardSeverity.ERROR,
  title: 'StatefulSet without a team label',
  check(graph: GuardGraph): GuardRuleFinding[] {
    return graph.workloads
      .filter(w => w.kind === 'StatefulSet' && !w.object.labels.team)
      .map(w => ({
        object: w.object,
        message: `${w.object.display}: metadata.labels.team is not set.`,
        impact: 'Nobody is paged when its disks fill up or its replicas fall behind.',
        fix: "Add the label team: '<owning team>' to the StatefulSet.",
      }));
  },
};
const acmePack = new GuardPack({ name: 'acme', rules: [teamLabel] });
const acmeWarnings = new GuardPack({ name: 'acme-warnings', rules: [{ ...teamLabel, id: 'ACME101', severity: GuardSeverity.WARNING }] });

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

function shop(): { chart: Chart; db: ReturnType<typeof goodDatabase> } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop');
  return { chart, db: goodDatabase(chart, 'orders') };
}

describe('rules of your own', () => {
  test('an error of a custom pack fails synth, naming the rule and the construct path', () => {
    // GIVEN a well-formed database without a team label
    const { chart } = shop();
    // WHEN
    Guards.enable(chart, { packs: [acmePack] });
    // THEN
    expect(() => synth(chart)).toThrow(/\[shop\] ACME001 \[error\] StatefulSet without a team label \(construct shop\/orders\): StatefulSet default\/orders: metadata.labels.team is not set. In production: Nobody is paged.* Fix: Add the label team.*Guards.acknowledge\(construct, 'ACME001'/);
  });

  test('the built-in rules keep running next to the pack, and a clean app passes', () => {
    const { chart, db } = shop();
    db.metadata.addLabel('team', 'payments');
    Guards.enable(chart, { packs: [acmePack] });
    expect(synth(chart).length).toBeGreaterThan(0);
    expect(lastReport(chart)!.findings).toEqual([]);
  });

  test('a warning of a custom pack is printed and fails synth only in strict mode', () => {
    const { chart } = shop();
    Guards.enable(chart, { packs: [acmeWarnings] });
    expect(synth(chart).length).toBeGreaterThan(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/1 warning\(s\)[\s\S]*ACME101 \[warning\]/);
    Guards.enable(chart, { packs: [acmeWarnings], strict: true });
    expect(() => synth(chart)).toThrow(/ACME101 \[warning\]/);
  });

  test('a custom rule is acknowledged on a construct like a built-in one', () => {
    // GIVEN
    const { chart, db } = shop();
    Guards.enable(chart, { packs: [acmePack] });
    // WHEN
    Guards.acknowledge(db, 'ACME001', REASON);
    // THEN
    expect(synth(chart).length).toBeGreaterThan(0);
    expect(lastReport(chart)!.findings).toMatchObject([{ ruleId: 'ACME001', acknowledged: true, acknowledgedReason: REASON }]);
  });

  test('Guards.check runs the pack over plain manifests, and the annotation acknowledges its rules', () => {
    // GIVEN
    const objects = Testing.synth(shop().chart);
    // WHEN
    const report = Guards.check(objects, { packs: [acmePack] });
    // THEN
    expect(report).toMatchObject({ errorCount: 1, failed: true, findings: [{ ruleId: 'ACME001', resource: { kind: 'StatefulSet', name: 'orders' } }] });
    expect(Guards.check(objects).findings).toEqual([]);
    const sts = objects.find(o => o.kind === 'StatefulSet');
    sts.metadata.annotations = { [ACK_ANNOTATION]: `SG012: ${REASON}; ACME001: ${REASON}` };
    const acked = Guards.check(objects, { packs: [acmePack] });
    expect(acked).toMatchObject({ failed: false, acknowledgedCount: 1, findings: [{ ruleId: 'ACME001', acknowledged: true, acknowledgedReason: REASON }] });
    // Without the pack, its acknowledgement is no malformed annotation (SG000): it acknowledges nothing.
    expect(Guards.check(objects).findings).toEqual([]);
  });

  test('a rule id of the built-in form is refused', () => {
    expect(() => new GuardPack({ name: 'acme', rules: [{ ...teamLabel, id: 'SG001' }] })).toThrow(StatefulError);
    expect(() => new GuardPack({ name: 'acme', rules: [{ ...teamLabel, id: 'SG001' }] }))
      .toThrow("GuardPack 'acme': rules[0].id must be an id that is not reserved for the built-in rules (SG<digits>), got \"SG001\".");
    expect(() => new GuardPack({ name: 'acme', rules: [{ ...teamLabel, id: 'sg042' }] })).toThrow(/reserved for the built-in rules/);
    expect(() => new GuardPack({ name: 'acme', rules: [{ ...teamLabel, id: 'no spaces' }] })).toThrow(/rules\[0\]\.id must be a rule id/);
  });

  test('a rule id defined twice is refused, in one pack or across packs', () => {
    expect(() => new GuardPack({ name: 'acme', rules: [teamLabel, teamLabel] })).toThrow("GuardPack 'acme': rules[1].id must be an id used once in the pack, got \"ACME001\".");
    const other = new GuardPack({ name: 'other', rules: [teamLabel] });
    expect(() => Guards.enable(Testing.app(), { packs: [acmePack, other] }))
      .toThrow("Guards.enable '': packs[1] must be a pack whose rule ids no other pack defines (ACME001 is also a rule of pack 'acme'), got \"other\".");
    expect(() => Guards.check([], { packs: [acmePack, other] })).toThrow(StatefulError);
    // The same pack twice, or the built-in pack listed, runs once.
    expect(Guards.rules([GuardPack.builtIn(), acmePack, acmePack]).map(r => r.id)).toEqual([...Guards.rules().map(r => r.id), 'ACME001']);
  });

  test('rejects rules that are not rules and findings that are not findings', () => {
    expect(() => new GuardPack({ name: 'acme', rules: [{ ...teamLabel, severity: 'fatal' as any }] })).toThrow(/rules\[0\]\.severity must be GuardSeverity.ERROR or GuardSeverity.WARNING/);
    expect(() => new GuardPack({ name: '', rules: [] })).toThrow(StatefulError);
    const stranger = Guards.check([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]);
    expect(stranger.findings).toEqual([]);
    const bad = new GuardPack({ name: 'bad', rules: [{ ...teamLabel, id: 'BAD1', check: () => [{ object: {} as any, message: 'm', impact: 'i', fix: 'f' }] }] });
    expect(() => Guards.check([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }], { packs: [bad] }))
      .toThrow(/Guard rule 'BAD1' of pack 'bad': check\(graph\)\[0\]\.object must be an object of the graph given to check/);
    const throwing = new GuardPack({ name: 'boom', rules: [{ ...teamLabel, id: 'BOOM1', check: () => { throw new Error('kaput'); } }] });
    expect(() => Guards.check([], { packs: [throwing] })).toThrow("Guard rule 'BOOM1' of pack 'boom' failed: kaput");
  });

  test('the graph view resolves workloads, claims, storage classes and lookups', () => {
    // GIVEN
    const seen: Record<string, unknown> = {};
    const probe = new GuardPack({
      name: 'probe',
      rules: [{
        id: 'PROBE1',
        severity: GuardSeverity.WARNING,
        title: 'probe',
        check(graph) {
          const w = graph.workloads[0];
          const claim = w.claims[0];
          seen.workload = [w.kind, w.replicas, w.maxReplicas, w.runsOnEveryNode, w.podLabels, w.podDisruptionBudgets.map(p => p.name)];
          seen.container = [w.containers[0].databaseEngine, w.containers[0].mountPaths];
          seen.claim = [claim.name, claim.isTemplate, claim.accessModes, claim.singleAttach, claim.storageClass?.name,
            claim.object === w.object, claim.workloads[0] === w];
          seen.find = [graph.find('Service', 'orders-headless')?.kind, graph.find('StorageClass', 'fast')?.namespace, graph.find('Service', 'nope')];
          return [];
        },
      }],
    });
    const { chart } = shop();
    const onFast = (t: any) => ({ ...t, spec: { ...t.spec, storageClassName: 'fast' } });
    const objects = Testing.synth(chart).map(o => (o.kind === 'StatefulSet' ? { ...o, spec: { ...o.spec, volumeClaimTemplates: o.spec.volumeClaimTemplates.map(onFast) } } : o));
    const fast = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer' };
    const manifests = [...objects, fast];
    // WHEN
    Guards.check(manifests, { packs: [probe] });
    // THEN
    expect(seen).toEqual({
      workload: ['StatefulSet', 3, 3, false, { app: 'orders' }, [expect.stringContaining('orders')]],
      container: ['postgres', { data: '/var/lib/postgresql/data' }],
      claim: ['data', true, ['ReadWriteOnce'], true, 'fast', true, true],
      find: ['Service', undefined, undefined],
    });
  });

  test('reports and SARIF list the rules of the packs', () => {
    const report = Guards.check(Testing.synth(shop().chart), { packs: [acmePack] });
    const sarif = Guards.toSarif(report);
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('ACME001');
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'ACME001', level: 'error' });
  });
});
