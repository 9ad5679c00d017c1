import { synthExample } from '../../examples/examples';
import { Guards } from '../../src/guards';
import { checkedByApiServer, find, parseYaml } from '../harness';

describe('example etcd', () => {
  const objects = checkedByApiServer(parseYaml(synthExample('etcd')));

  test('three members start together from a membership listed by ordinal, one member at a time may go', () => {
    const sts = find(objects, 'StatefulSet', 'config-store');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    const args: string[] = sts.spec.template.spec.containers[0].args;
    const cluster = args.find(a => a.startsWith('--initial-cluster='))!;
    expect(cluster.split('=').slice(1).join('=').split(',').map(m => m.split('=')[0])).toEqual(['config-store-0', 'config-store-1', 'config-store-2']);
    expect(args).toContain('--initial-cluster-state=new');
    expect(find(objects, 'PodDisruptionBudget', 'config-store').spec.maxUnavailable).toBe(1);
  });

  test('data and write-ahead log live on each member\'s 8Gi claim; members spread across zones', () => {
    const sts = find(objects, 'StatefulSet', 'config-store');
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage])).toEqual([['data', '8Gi']]);
    expect(sts.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/etcd' }]);
    expect(sts.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(find(objects, 'Service', 'config-store-headless').spec.publishNotReadyAddresses).toBe(true);
  });

  test('the guards find nothing', () => {
    expect(Guards.check(objects).findings).toEqual([]);
  });
});
