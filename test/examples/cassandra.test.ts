import { synthExample } from '../../examples/examples';
import { Guards } from '../../src/guards';
import { checkedByApiServer, find, parseYaml } from '../harness';

describe('example cassandra', () => {
  const objects = checkedByApiServer(parseYaml(synthExample('cassandra')));

  test('runs five members with three seeds, RF 3 in eu-west-1 and a budget of one', () => {
    const sts = find(objects, 'StatefulSet', 'events');
    expect(sts.spec.replicas).toBe(5);
    const data = find(objects, 'ConfigMap', 'events-config').data;
    expect(data['cassandra.yaml']).toContain("seeds: 'events-0.events-headless,events-1.events-headless,events-2.events-headless'");
    expect(data['cassandra-rackdc.properties']).toBe('dc=eu-west-1\nrack=rack1\n');
    expect(find(objects, 'PodDisruptionBudget', 'events').spec.maxUnavailable).toBe(1);
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'MAX_HEAP_SIZE', value: '4096M' });
    expect(sts.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });

  test('the ingest Deployment gets the contact points and the local datacenter', () => {
    const env = find(objects, 'Deployment', 'ingest').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CASSANDRA_CONTACT_POINTS', value: [0, 1, 2, 3, 4].map(i => `events-${i}.events-headless`).join(',') });
    expect(env).toContainEqual({ name: 'CASSANDRA_LOCAL_DC', value: 'eu-west-1' });
  });

  test('the guards find nothing', () => {
    expect(Guards.check(objects).findings).toEqual([]);
  });
});
