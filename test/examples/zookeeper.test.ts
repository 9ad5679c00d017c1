import { synthExample } from '../../examples/examples';
import { Guards } from '../../src/guards';
import { checkedByApiServer, find, parseYaml } from '../harness';

describe('example zookeeper', () => {
  const objects = checkedByApiServer(parseYaml(synthExample('zookeeper')));

  test('five members listed by ordinal (myid = ordinal + 1), two at a time may go', () => {
    const sts = find(objects, 'StatefulSet', 'coordination');
    expect(sts.spec.replicas).toBe(5);
    const servers = find(objects, 'ConfigMap', 'coordination-config').data['zoo.cfg'].match(/^server\.\d+=.*$/gm);
    expect(servers).toEqual([1, 2, 3, 4, 5].map(id => `server.${id}=coordination-${id - 1}.coordination-headless:2888:3888`));
    expect(find(objects, 'PodDisruptionBudget', 'coordination').spec.maxUnavailable).toBe(2);
  });

  test('snapshots and transaction log on the 10Gi claim, a 1 GiB heap under the 2 GiB limit', () => {
    const sts = find(objects, 'StatefulSet', 'coordination');
    const container = sts.spec.template.spec.containers[0];
    expect(container.env).toEqual(expect.arrayContaining([
      { name: 'ZOO_DATA_DIR', value: '/data/snapshot' },
      { name: 'ZOO_DATA_LOG_DIR', value: '/data/txnlog' },
      { name: 'ZK_SERVER_HEAP', value: '1024' },
    ]));
    expect(container.resources.limits.memory).toBe('2Gi');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
  });

  test('the guards find nothing', () => {
    expect(Guards.check(objects).findings).toEqual([]);
  });
});
