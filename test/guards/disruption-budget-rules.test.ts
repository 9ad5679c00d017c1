import { Chart } from 'cdk8s';
import { acknowledgementTests, checkApp, findingsOf, goodDatabase, newChart, pdb, rawStatefulSet, spreadByHost } from './helpers';
import { Guards } from '../../src/guards';

describe('SG019 disruption budget that allows no voluntary disruption', () => {
  /** A three-member zookeeper StatefulSet, spread and with its headless Service, under the given budget. */
  const zookeeper = (chart: Chart, budget: Record<string, any>, replicas = 3) => {
    const labels = { app: 'zk' };
    goodDatabase(chart, 'zk', { image: 'zookeeper:3.9', dataPath: '/data', replicas, affinity: spreadByHost(labels), env: [] });
    // goodDatabase adds a budget with maxUnavailable 1: this one replaces it under another name.
    return pdb(chart, 'zk-strict', labels, budget);
  };

  test('warns about minAvailable 67% of 3, which rounds up to 3, with the arithmetic', () => {
    const { chart } = newChart();
    const labels = { app: 'zk' };
    rawStatefulSet(chart, 'zk', { image: 'zookeeper:3.9', dataPath: '/data', replicas: 3, affinity: spreadByHost(labels) });
    pdb(chart, 'zk', labels, { minAvailable: '67%' });
    const [f] = findingsOf(checkApp(chart).report, 'SG019');
    expect(f).toMatchObject({ severity: 'warning', resource: { kind: 'PodDisruptionBudget', name: 'zk' } });
    expect(f.message).toBe('PodDisruptionBudget default/zk: minAvailable "67%" of the 3 replica(s) of StatefulSet default/zk rounds up to 3 (ceil(67% × 3) = 3), so 3 - 3 = 0 evictions are allowed.');
    expect(f.impact).toMatch(/node drain waits/);
  });

  test('warns about maxUnavailable 0 and 0%, whatever the pods', () => {
    const { chart } = newChart();
    pdb(chart, 'none', { app: 'elsewhere' }, { maxUnavailable: 0 });
    pdb(chart, 'none-percent', { app: 'elsewhere' }, { maxUnavailable: '0%' });
    const messages = findingsOf(checkApp(chart).report, 'SG019').map(f => f.message);
    expect(messages).toEqual([
      'PodDisruptionBudget default/none: maxUnavailable 0 allows 0 evictions.',
      'PodDisruptionBudget default/none-percent: maxUnavailable "0%" allows 0 evictions.',
    ]);
  });

  test('warns about minAvailable equal to the replicas, or above them, and 100%', () => {
    const { chart } = newChart();
    zookeeper(chart, { minAvailable: 3 });
    pdb(chart, 'zk-over', { app: 'zk' }, { minAvailable: 4 });
    pdb(chart, 'zk-all', { app: 'zk' }, { minAvailable: '100%' });
    const messages = findingsOf(checkApp(chart).report, 'SG019').map(f => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/zk-strict: minAvailable 3 equals the 3 replica\(s\) of StatefulSet default\/zk, so 3 - 3 ≤ 0 evictions are allowed\.$/),
      expect.stringMatching(/zk-over: minAvailable 4 exceeds the 3 replica\(s\)/),
      'PodDisruptionBudget default/zk-all: minAvailable "100%" keeps every pod.',
    ]);
  });

  test('accepts budgets that allow one eviction: maxUnavailable 1, minAvailable 2 of 3, 60% of 3 (2), and counts unknown to it', () => {
    const { chart } = newChart();
    zookeeper(chart, { minAvailable: 2 });
    pdb(chart, 'zk-percent', { app: 'zk' }, { minAvailable: '60%' });
    pdb(chart, 'zk-max', { app: 'zk' }, { maxUnavailable: '34%' });
    // A budget over pods of no workload in the input: its count is unknown, never guessed.
    pdb(chart, 'elsewhere', { app: 'deployed-separately' }, { minAvailable: 2 });
    expect(findingsOf(checkApp(chart).report, 'SG019')).toEqual([]);
  });

  test('is in the built-in pack, as a warning', () => {
    expect(Guards.rules().find(r => r.id === 'SG019')).toEqual({ id: 'SG019', severity: 'warning', title: 'PodDisruptionBudget allows no voluntary disruption (blocks every drain)' });
  });

  acknowledgementTests('SG019', chart => pdb(chart, 'strict', { app: 'elsewhere' }, { maxUnavailable: 0 }));
});
