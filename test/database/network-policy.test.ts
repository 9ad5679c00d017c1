import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { synthDatabase } from './helpers';
import { BackupPolicy, DatabaseEngine, StatefulDatabase } from '../../src/database';
import { StatefulError } from '../../src/internal/errors';
import { all, find, RESTRICTED, synth } from '../harness';

const MEMBERS = { matchLabels: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'database' } };

describe('StatefulDatabase network policy', () => {
  test('is absent by default', () => {
    expect(all(synthDatabase(), 'NetworkPolicy')).toEqual([]);
  });

  test('admits only the members among themselves when turned on without grants', () => {
    const policy = find(synthDatabase({ networkPolicy: true }), 'NetworkPolicy');
    expect(policy.spec).toEqual({ podSelector: MEMBERS, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: MEMBERS }] }] });
  });

  test('admits a cdk8s-plus workload by the labels its pods carry', () => {
    const chart = Testing.chart();
    const db = new StatefulDatabase(chart, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(1) } });
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', securityContext: RESTRICTED }] });
    db.allowFrom(web);
    const objects = synth(chart);
    const policy = find(objects, 'NetworkPolicy');
    expect(policy.spec.ingress).toHaveLength(2);
    const granted = policy.spec.ingress[1];
    expect(granted.ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
    const podLabels = find(objects, 'Deployment').spec.template.metadata.labels;
    const selector = granted.from[0].podSelector.matchLabels;
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(selector)) expect(podLabels[k]).toBe(v);
  });

  test('admits pods by labels, the logical backup job, and scrapers on the metrics port only', () => {
    const objects = synthDatabase({
      metrics: {},
      backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 3, existingClaimName: 'backups' }),
    }, 'orders', db => db.allowFromLabels({ 'app.kubernetes.io/part-of': 'shop' }));
    const policy = find(objects, 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([
      { from: [{ podSelector: MEMBERS }] },
      {
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'backup' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } } },
        ],
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
      { ports: [{ protocol: 'TCP', port: 9187 }] },
    ]);
    // the backup pods carry the labels the policy admits
    const backupLabels = find(objects, 'CronJob').spec.jobTemplate.spec.template.metadata.labels;
    expect(backupLabels).toEqual(expect.objectContaining({ 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'backup' }));
  });

  test('does not admit the snapshot backup job, which talks only to the API server', () => {
    const objects = synthDatabase({
      networkPolicy: true,
      backup: BackupPolicy.volumeSnapshots({ schedule: '30 2 * * *', keep: 5, snapshotClass: { volumeSnapshotClassName: 'ebs-snapshots' } }),
    });
    expect(find(objects, 'NetworkPolicy').spec.ingress).toEqual([{ from: [{ podSelector: MEMBERS }] }]);
  });

  test('admits pods of a selection in other namespaces', () => {
    const objects = synthDatabase({}, 'orders', (db, chart) => db.allowFrom(kplus.Pods.select(chart, 'Clients', {
      labels: { role: 'client' }, namespaces: kplus.Namespaces.select(chart, 'Ns', { names: ['shop'] }),
    })));
    const from = find(objects, 'NetworkPolicy').spec.ingress[1].from[0];
    expect(from.podSelector).toEqual({ matchLabels: { role: 'client' } });
    expect(from.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] });
  });

  test('rejects what is not a pod selector or a label map', () => {
    expect(() => synthDatabase({}, 'orders', db => db.allowFrom({} as any))).toThrow(
      "StatefulDatabase 'test/orders': allowFrom must be a cdk8s-plus pod selector (a workload, a Pod or Pods.select(...)), got {}.");
    expect(() => synthDatabase({}, 'orders', db => db.allowFromLabels({}))).toThrow(
      "StatefulDatabase 'test/orders': allowFromLabels must be a non-empty map of labels, got {}.");
    expect(() => synthDatabase({}, 'orders', db => db.allowFromLabels({ app: 'bad value!' }))).toThrow(StatefulError);
  });
});
