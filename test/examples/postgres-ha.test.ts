import { synthExample } from '../../examples/examples';
import { all, checkedByApiServer, find, parseYaml } from '../harness';

describe('example postgres-ha', () => {
  const objects = checkedByApiServer(parseYaml(synthExample('postgres-ha')));
  const sts = find(objects, 'StatefulSet', 'orders');

  test('runs three PostgreSQL members, one per node, across zones, on EBS claims that outlive the set', () => {
    expect(sts.metadata.namespace).toBe('shop');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.template.spec.containers[0].image).toBe('postgres:16.4');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual(expect.objectContaining({ storageClassName: 'ebs-gp3', accessModes: ['ReadWriteOnce'] }));
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(sts.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });

  test('replicas clone the primary through the headless Service', () => {
    const init = sts.spec.template.spec.initContainers.find((c: any) => c.name === 'clone-replica');
    expect(init.env).toContainEqual({ name: 'PRIMARY_HOST', value: 'orders-0.orders-headless' });
    expect(sts.spec.serviceName).toBe('orders-headless');
  });

  test('backs up with nightly dumps and hourly snapshots', () => {
    const crons = all(objects, 'CronJob');
    expect(crons.map(c => [c.metadata.name, c.spec.schedule, c.spec.concurrencyPolicy])).toEqual([
      ['orders-logical-backup', '0 3 * * *', 'Forbid'],
      ['orders-snapshot-backup', '15 * * * *', 'Forbid'],
    ]);
    expect(find(objects, 'PersistentVolumeClaim', 'orders-backups').spec.resources.requests.storage).toBe('100Gi');
    expect(find(objects, 'Role').rules[0].verbs).toEqual(['create', 'get', 'list', 'delete']);
  });

  test('exports metrics and admits only the API, the members and the backup job', () => {
    expect(sts.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
    const policy = find(objects, 'NetworkPolicy');
    const clients = policy.spec.ingress[1].from;
    const apiLabels = find(objects, 'Deployment').spec.template.metadata.labels;
    expect(clients).toHaveLength(2);
    for (const [k, v] of Object.entries(clients[1].podSelector.matchLabels)) expect(apiLabels[k]).toBe(v);
  });

  test('the client reads the password from the Secret', () => {
    const env = find(objects, 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } } });
  });
});
