import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { acknowledgementTests, checkApp, container, findingsOf, headlessService, newChart, pdb, rawStatefulSet, spreadByHost } from './helpers';

describe('SG007 governing Service not headless', () => {
  const build = (chart: Chart, replicas = 3) => {
    const service = new kplus.Service(chart, 'svc', { ports: [{ port: 80 }] });
    return new kplus.StatefulSet(chart, 'web', { replicas, service, containers: [container('nginx')] });
  };

  test('only warns for a StatefulSet of one replica, where nothing resolves per-pod names yet', () => {
    const { chart } = newChart();
    build(chart, 1);
    const [f] = findingsOf(checkApp(chart).report, 'SG007');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/has a cluster IP \(clusterIP is not 'None'\); it runs one replica\./);
    expect(f.impact).toMatch(/serviceName is immutable/);
  });

  test('rejects a three-replica StatefulSet governed by a ClusterIP Service', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG007');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/names 'test-svc-.*' as its governing Service \(serviceName\), but Service default\/test-svc-.* has a cluster IP/);
  });

  test('accepts the headless Service cdk8s-plus creates', () => {
    const { chart } = newChart();
    new kplus.StatefulSet(chart, 'web', { replicas: 1, containers: [{ ...container('nginx'), ports: [{ number: 80 }] }] });
    const { report } = checkApp(chart);
    expect(findingsOf(report, 'SG007')).toEqual([]);
    expect(findingsOf(report, 'SG015')).toEqual([]);
  });

  acknowledgementTests('SG007', build);
});

describe('SG015 governing Service missing or not selecting the pods', () => {
  const build = (chart: Chart) => rawStatefulSet(chart, 'db', { replicas: 1, dataPath: '/var/lib/postgresql/data', serviceName: 'elsewhere' });

  test('warns (and does not fail) when the governing Service is not in the input', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG015');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/names 'elsewhere' as its governing Service, but no Service 'elsewhere' is in namespace 'default'/);
  });

  test('warns when the headless Service selects other pods', () => {
    const { chart } = newChart();
    rawStatefulSet(chart, 'db', { replicas: 1, dataPath: '/var/lib/postgresql/data' });
    headlessService(chart, 'db-headless', { app: 'other' });
    expect(findingsOf(checkApp(chart).report, 'SG015')[0].message).toMatch(/selects \{"app":"other"\}, which does not match the pod labels \{"app":"db"\}/);
  });

  test('resolves a governing Service defined in another chart of the app', () => {
    const { app, chart } = newChart();
    rawStatefulSet(chart, 'db', { replicas: 1, dataPath: '/var/lib/postgresql/data' });
    const other = new Chart(app, 'network');
    headlessService(other, 'db-headless', { app: 'db' });
    expect(findingsOf(checkApp(chart).report, 'SG015')).toEqual([]);
  });

  acknowledgementTests('SG015', build);
});

describe('SG011 replicas not spread', () => {
  const build = (chart: Chart) => {
    headlessService(chart, 'db-headless', { app: 'db' });
    pdb(chart, 'db', { app: 'db' });
    return rawStatefulSet(chart, 'db', { replicas: 3, dataPath: '/var/lib/postgresql/data' });
  };

  test('warns about a three-replica StatefulSet without anti-affinity', () => {
    const { chart } = newChart();
    build(chart);
    expect(findingsOf(checkApp(chart).report, 'SG011')[0].message).toMatch(/runs 3 replica\(s\) without pod anti-affinity or topology spread constraints/);
  });

  test('warns when the anti-affinity selects other pods than its own', () => {
    const { chart } = newChart();
    headlessService(chart, 'db-headless', { app: 'db' });
    pdb(chart, 'db', { app: 'db' });
    rawStatefulSet(chart, 'db', { replicas: 3, dataPath: '/var/lib/postgresql/data', affinity: spreadByHost({ app: 'cache' }) });
    expect(findingsOf(checkApp(chart).report, 'SG011')[0].message).toMatch(/none selects its own pod labels \{"app":"db"\}/);
  });

  test('warns when a budget named after the workload misses its pods', () => {
    const { chart } = newChart();
    headlessService(chart, 'db-headless', { app: 'db' });
    pdb(chart, 'db-pdb', { app: 'database' });
    rawStatefulSet(chart, 'db', { replicas: 3, dataPath: '/var/lib/postgresql/data', affinity: spreadByHost({ app: 'db' }) });
    const findings = findingsOf(checkApp(chart).report, 'SG011');
    expect(findings).toHaveLength(1);
    expect(findings[0].resource.kind).toBe('PodDisruptionBudget');
    expect(findings[0].message).toMatch(/is named after StatefulSet default\/db, but its selector does not match/);
  });

  test('accepts preferred anti-affinity on the hostname selecting its own pods, or a topology spread', () => {
    const { chart } = newChart();
    headlessService(chart, 'db-headless', { app: 'db' });
    pdb(chart, 'db', { app: 'db' });
    rawStatefulSet(chart, 'db', { replicas: 3, dataPath: '/var/lib/postgresql/data', affinity: spreadByHost({ app: 'db' }) });
    const spread = new kplus.StatefulSet(chart, 'web', { replicas: 2, containers: [{ ...container('nginx'), ports: [{ number: 80 }] }] });
    spread.scheduling.spread({ topology: kplus.Topology.HOSTNAME });
    expect(findingsOf(checkApp(chart).report, 'SG011')).toEqual([]);
  });

  acknowledgementTests('SG011', build);
});
