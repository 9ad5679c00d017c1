import { synthExample } from '../../examples/examples';
import { all, checkedByApiServer, find, parseYaml } from '../harness';

describe('example mariadb-standalone', () => {
  const objects = checkedByApiServer(parseYaml(synthExample('mariadb-standalone')));
  const sts = find(objects, 'StatefulSet', 'wiki-db');

  test('runs one MariaDB on a claim of the default class', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.spec.containers[0].image).toBe('mariadb:11.4');
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
  });

  test('takes the passwords from the existing Secret and creates none', () => {
    const env = sts.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'MARIADB_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'wiki-db-passwords', key: 'root' } } });
    expect(all(objects, 'Secret')).toEqual([]);
  });

  test('configures the server and dumps it daily, keeping two weeks', () => {
    expect(find(objects, 'ConfigMap', 'wiki-db-config').data['my.cnf']).toContain('character-set-server = utf8mb4');
    const cron = find(objects, 'CronJob');
    expect(cron.spec.schedule).toBe('30 1 * * *');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].env).toContainEqual({ name: 'BACKUP_KEEP', value: '14' });
  });

  test('has a disruption budget even as a single replica', () => {
    expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });
});
