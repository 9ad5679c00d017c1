import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GuardFinding, GuardReport, Guards } from '../../src/guards';
import { ACK_ANNOTATION } from '../../src/guards/acknowledgements';
import { collectInputs } from '../../src/guards/app-integration';
import { runGuards } from '../../src/guards/runner';
import { synth } from '../harness';

export const REASON = 'Reviewed by the platform team: acceptable for this test.';

/** A fresh app and chart (guards not enabled: rule tests read the report directly). */
export function newChart(): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'test') };
}

/** Synthesize (schema-checked) and run the guards over the app, construct acknowledgements included. */
export function checkApp(chart: Chart): { objects: any[]; report: GuardReport } {
  const objects = synth(chart);
  return { objects, report: runGuards(collectInputs(chart.node.root)) };
}

export function findingsOf(report: GuardReport, ruleId: string): GuardFinding[] {
  return report.findings.filter(f => f.ruleId === ruleId);
}

export function ruleIds(report: GuardReport): string[] {
  return [...new Set(report.findings.map(f => f.ruleId))].sort();
}

/** A RWO (or other) claim and a volume for it. */
export function claimVolume(chart: Chart, id: string, modes: kplus.PersistentVolumeAccessMode[] = [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  storageClassName?: string, readOnly?: boolean): { claim: kplus.PersistentVolumeClaim; volume: kplus.Volume } {
  const claim = new kplus.PersistentVolumeClaim(chart, `${id}-claim`, { accessModes: modes, storage: Size.gibibytes(10), storageClassName });
  return { claim, volume: kplus.Volume.fromPersistentVolumeClaim(chart, `${id}-volume`, claim, readOnly ? { readOnly } : undefined) };
}

/** A container spec mounting volumes. */
export function container(image: string, mounts: Array<{ path: string; volume: kplus.Volume; readOnly?: boolean }> = [],
  env: Record<string, kplus.EnvValue> = {}): kplus.ContainerProps {
  return {
    image,
    volumeMounts: mounts.map(m => ({ path: m.path, volume: m.volume, readOnly: m.readOnly })),
    envVariables: env,
    securityContext: { ensureNonRoot: false },
  };
}

/**
 * The two acknowledgement tests of a rule: scoped to a construct (inherited by its children), and
 * as an annotation on the raw manifest given to Guards.check.
 */
export function acknowledgementTests(ruleId: string, build: (chart: Chart) => IConstruct): void {
  test(`acknowledging ${ruleId} on a construct marks its findings acknowledged with the reason`, () => {
    // GIVEN
    const { chart } = newChart();
    const target = build(chart);
    expect(findingsOf(checkApp(chart).report, ruleId).length).toBeGreaterThan(0);
    // WHEN
    Guards.acknowledge(target, ruleId, REASON);
    // THEN
    const findings = findingsOf(checkApp(chart).report, ruleId);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.acknowledged).toBe(true);
      expect(f.acknowledgedReason).toBe(REASON);
    }
  });

  test(`the ${ACK_ANNOTATION} annotation acknowledges ${ruleId} on raw manifests`, () => {
    // GIVEN
    const { chart } = newChart();
    build(chart);
    const objects = synth(chart);
    const before = findingsOf(Guards.check(objects), ruleId);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every(f => !f.acknowledged)).toBe(true);
    // WHEN
    for (const f of before) {
      const o = objects.find(x => x.kind === f.resource.kind && x.metadata.name === f.resource.name);
      o.metadata.annotations = { ...o.metadata.annotations, [ACK_ANNOTATION]: `${ruleId}: ${REASON}` };
    }
    // THEN
    const report = Guards.check(objects);
    const after = findingsOf(report, ruleId);
    expect(after.length).toBe(before.length);
    expect(after.every(f => f.acknowledged && f.acknowledgedReason === REASON)).toBe(true);
    expect(findingsOf(report, 'SG000')).toEqual([]);
  });
}
