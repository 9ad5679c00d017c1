import { JsonPatch, Size, Testing } from 'cdk8s';
import { NodeExporterDaemon } from '../../src/daemons';
import { DatabaseEngine, StatefulDatabase } from '../../src/database';
import { find, synth } from '../harness';

// The constructs emit typed cdk8s-plus-28 L1 objects, which re-serialize their JSON through the 1.28
// types and drop keys they do not know. A user's JSON patch must survive that (kube-objects.ts).
describe('JSON patches on the typed objects the constructs emit', () => {
  test('a patch naming a field the Kubernetes way (hostIPC, the L1 prop being hostIpc) reaches the StatefulSet', () => {
    const chart = Testing.chart();
    const db = new StatefulDatabase(chart, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(1) } });
    db.statefulSet.addJsonPatch(JsonPatch.add('/spec/template/spec/hostIPC', false), JsonPatch.add('/metadata/annotations', { team: 'orders' }));
    const sts = find(synth(chart), 'StatefulSet');
    expect(sts.spec.template.spec.hostIPC).toBe(false);
    expect(sts.metadata.annotations).toEqual({ team: 'orders' });
  });

  test('a patch adding a field newer than the 1.28 types (Service trafficDistribution, GA in 1.33) is kept and the server accepts it', () => {
    const chart = Testing.chart();
    const exporter = new NodeExporterDaemon(chart, 'exporter');
    exporter.service!.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferSameZone'));
    const service = find(synth(chart, { podSecurity: exporter.podSecurityLevel }), 'Service');
    expect(service.spec.trafficDistribution).toBe('PreferSameZone');
  });
});
