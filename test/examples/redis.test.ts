import { synthExample } from '../../examples/examples';
import { all, checkedByApiServer, find, parseYaml } from '../harness';

describe('example redis', () => {
  const objects = checkedByApiServer(parseYaml(synthExample('redis')));

  test('runs a session store with the append-only file and a cache with nothing on disk, three members each', () => {
    const sessions = find(objects, 'StatefulSet', 'sessions');
    const pages = find(objects, 'StatefulSet', 'pages');
    expect([sessions.spec.replicas, pages.spec.replicas]).toEqual([3, 3]);
    expect(sessions.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['redis', 'sentinel']);
    expect(find(objects, 'ConfigMap', 'sessions-config').data['redis.conf']).toContain('appendonly yes');
    expect(find(objects, 'ConfigMap', 'pages-config').data['redis.conf']).toMatch(/save ""\n[\s\S]*maxmemory-policy allkeys-lfu/);
    expect(pages.spec.template.spec.containers[0].command).toEqual(['sh', '/etc/redis/redis-start.sh', '--save', '', '--appendonly', 'no']);
  });

  test('the web Deployment reaches the Sentinels and reads the passwords from the Secrets', () => {
    const env = find(objects, 'Deployment', 'web').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'SESSIONS_SENTINELS', value: 'sessions:26379' });
    expect(env).toContainEqual({ name: 'SESSIONS_PASSWORD', valueFrom: { secretKeyRef: { name: 'sessions-redis', key: 'password' } } });
    expect(all(objects, 'Secret')).toEqual([]);
    expect(all(objects, 'PodDisruptionBudget').map(b => b.spec.maxUnavailable)).toEqual([1, 1]);
  });
});
