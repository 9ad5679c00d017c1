import { Chart, Duration, Size, Testing } from 'cdk8s';
import { envOf, gp3, podTemplate, synthDatabase } from './helpers';
import { BackupPolicy, DatabaseEngine, PrimaryEviction, StatefulDatabase } from '../../src/database';
import { databaseScripts } from '../../src/database/private/database-assets';
import { renderConfig, renderPodTemplate, scriptsRunBy } from '../../src/database/private/database-pod';
import { Guards } from '../../src/guards';
import { Provisioner, SnapshotDeletionPolicy, VolumeSnapshotClass } from '../../src/storage';
import { all, find, synth } from '../harness';

const mariadb = () => DatabaseEngine.mariadb({ version: '11.4' });
const cronPod = (objects: any[], name: string) => find(objects, 'CronJob', name).spec.jobTemplate.spec.template.spec;

describe('/dev/shm (point 6)', () => {
  test('PostgreSQL gets a memory-backed /dev/shm of a quarter of the memory limit by default', () => {
    // GIVEN the default resources (1Gi limit) WHEN synthesized
    const pod = podTemplate(synthDatabase()).spec;
    // THEN a 256Mi memory emptyDir is mounted at /dev/shm in the database container only
    expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
    expect(pod.initContainers.flatMap((c: any) => c.volumeMounts).map((m: any) => m.name)).not.toContain('dshm');
  });

  test('follows the memory limit, and takes an explicit size', () => {
    const scaled = podTemplate(synthDatabase({ resources: { memoryLimit: Size.gibibytes(8) } })).spec;
    expect(scaled.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } });
    const given = podTemplate(synthDatabase({ sharedMemory: Size.mebibytes(512) })).spec;
    expect(given.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } });
  });

  test('MariaDB keeps the runtime /dev/shm unless asked', () => {
    const plain = podTemplate(synthDatabase({ engine: mariadb() })).spec;
    expect(plain.volumes.map((v: any) => v.name)).not.toContain('dshm');
    const asked = podTemplate(synthDatabase({ engine: mariadb(), sharedMemory: Size.mebibytes(128) })).spec;
    expect(asked.containers[0].volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
  });

  test('refuses a /dev/shm larger than the memory limit', () => {
    expect(() => synthDatabase({ sharedMemory: Size.gibibytes(2) })).toThrow(
      "StatefulDatabase 'test/orders': sharedMemory must be at most the memory limit (1Gi): /dev/shm is memory, got \"2Gi\".");
  });
});

describe('backups that stop (point 7)', () => {
  const snapshotsOf = (snapshotClass: any, extra: object = {}) => BackupPolicy.volumeSnapshots({ schedule: '0 * * * *', keep: 3, snapshotClass, ...extra });

  test('a logical backup job has a deadline (6 hours by default, configurable)', () => {
    const objects = synthDatabase({ backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(10), storageClass: gp3 } }) });
    expect(find(objects, 'CronJob', 'logical').spec.jobTemplate.spec).toEqual(expect.objectContaining({ activeDeadlineSeconds: 21600, backoffLimit: 2 }));
    const short = synthDatabase({ backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, existingClaimName: 'dumps', timeout: Duration.minutes(90) }) });
    expect(find(short, 'CronJob', 'logical').spec.jobTemplate.spec.activeDeadlineSeconds).toBe(5400);
  });

  test('a snapshot job never retries, waits 3 hours for readiness by default and stops after the wait', () => {
    const objects = synthDatabase({ replicas: 3, backup: snapshotsOf({ volumeSnapshotClassName: 'ebs' }) });
    const job = find(objects, 'CronJob', 'snapshot').spec.jobTemplate.spec;
    expect(job.backoffLimit).toBe(0);
    expect(job.activeDeadlineSeconds).toBe(3 * 3600 + 15 * 60);
    expect(envOf(cronPod(objects, 'snapshot').containers[0]).SNAPSHOT_READY_TIMEOUT).toBe('10800');
    const longer = synthDatabase({ backup: snapshotsOf({ volumeSnapshotClassName: 'ebs' }, { readyTimeout: Duration.hours(8) }) });
    expect(envOf(cronPod(longer, 'snapshot').containers[0]).SNAPSHOT_READY_TIMEOUT).toBe('28800');
  });

  test('refuses deadlines out of bounds', () => {
    expect(() => BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, existingClaimName: 'dumps', timeout: Duration.seconds(5) })).toThrow(
      'BackupPolicy.logical: timeout must be a Duration from 1 minute(s) to 168 hour(s) in whole seconds, e.g. Duration.minutes(5), got "5s".');
    expect(() => snapshotsOf({ volumeSnapshotClassName: 'ebs' }, { readyTimeout: Duration.hours(25) })).toThrow(/readyTimeout must be a Duration from 1 minute\(s\) to 24 hour\(s\)/);
    expect(() => snapshotsOf({ volumeSnapshotClassName: 'ebs' }, { readyTimeout: 600 })).toThrow(/readyTimeout must be a Duration/);
  });

  test('with a Delete class, pruning needs no access to the contents', () => {
    // GIVEN a snapshot class made here that deletes its contents
    const chart = Testing.chart();
    const vsc = new VolumeSnapshotClass(chart, 'vsc', { provisioner: Provisioner.awsEbs(), deletionPolicy: SnapshotDeletionPolicy.DELETE });
    new StatefulDatabase(chart, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(5), storageClass: gp3 }, backup: snapshotsOf(vsc) });
    // WHEN synthesized THEN only the namespaced Role exists and the job does not touch contents
    const objects = synth(chart);
    expect(all(objects, 'ClusterRole')).toEqual([]);
    expect(all(objects, 'ClusterRoleBinding')).toEqual([]);
    expect(envOf(cronPod(objects, 'snapshot').containers[0]).PRUNE_RETAINED_CONTENTS).toBe('false');
  });

  test('with a Retain class, pruning switches the pruned contents to Delete through a ClusterRole bound in the namespace', () => {
    // GIVEN the library's default snapshot class (Retain) in a namespaced chart
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const vsc = new VolumeSnapshotClass(chart, 'vsc', { provisioner: Provisioner.awsEbs() });
    new StatefulDatabase(chart, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(5), storageClass: gp3 }, backup: snapshotsOf(vsc) });
    // WHEN synthesized
    const objects = synth(chart);
    // THEN the job may read and patch contents (nothing more), bound to its own ServiceAccount
    const role = find(objects, 'ClusterRole', 'orders-snapshot-backup');
    expect(role.metadata.name).toBe('shop-orders-snapshot-backup');
    expect(role.rules).toEqual([{ apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['get', 'patch'] }]);
    const binding = find(objects, 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'shop-orders-snapshot-backup' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'orders-snapshot-backup', namespace: 'shop' }]);
    expect(find(objects, 'Role', 'orders-snapshot-backup').rules[0].verbs).toEqual(['create', 'get', 'list', 'delete']);
    expect(envOf(cronPod(objects, 'snapshot').containers[0]).PRUNE_RETAINED_CONTENTS).toBe('true');
  });

  test('an imported class of unknown policy gets the same content pruning when the namespace is known', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new StatefulDatabase(chart, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(5), storageClass: gp3 }, backup: snapshotsOf({ volumeSnapshotClassName: 'cluster-snapshots' }) });
    const objects = synth(chart);
    expect(find(objects, 'ClusterRoleBinding').subjects[0].namespace).toBe('shop');
  });

  test('refuses a Retain class in a chart without a namespace (the contents would leak)', () => {
    const chart = Testing.chart();
    const vsc = new VolumeSnapshotClass(chart, 'vsc', { provisioner: Provisioner.awsEbs() });
    expect(() => new StatefulDatabase(chart, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(5), storageClass: gp3 }, backup: snapshotsOf(vsc) }))
      .toThrow(/^StatefulDatabase 'test\/orders': backup.snapshotClass must be a class with deletionPolicy Delete, or a chart with a namespace: pruning beyond keep under deletionPolicy Retain would leave every pruned VolumeSnapshotContent/);
  });
});

describe('drains and shutdowns (point 8)', () => {
  test('a replicated database gets a primary budget that blocks its eviction, and a replicas budget that does not cover it', () => {
    // GIVEN three members WHEN synthesized
    const objects = synthDatabase({ replicas: 3 });
    const budgets = all(objects, 'PodDisruptionBudget');
    // THEN the two budgets never select the same pod (the eviction API refuses a pod under two)
    expect(budgets.map(b => b.metadata.name).sort()).toEqual(['orders', 'orders-primary']);
    const members = find(objects, 'PodDisruptionBudget', 'orders');
    // minAvailable counts the selected replicas (2), so one of them may go: maxUnavailable would
    // count the StatefulSet's 3 members and allow none.
    expect(members.spec).toEqual({
      minAvailable: 1,
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'database' },
        matchExpressions: [{ key: 'statefulset.kubernetes.io/pod-name', operator: 'NotIn', values: ['orders-0'] }],
      },
    });
    const primary = find(objects, 'PodDisruptionBudget', 'orders-primary');
    expect(primary.spec.maxUnavailable).toBe(0);
    expect(primary.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    expect(primary.spec.selector.matchLabels['statefulset.kubernetes.io/pod-name']).toBe('orders-0');
  });

  test('the guards see the blocking budget, acknowledged with the reason', () => {
    const report = Guards.check(synthDatabase({ replicas: 3 }));
    const sg019 = report.findings.filter(f => f.ruleId === 'SG019');
    expect(sg019).toHaveLength(1);
    expect(sg019[0]).toEqual(expect.objectContaining({ acknowledged: true }));
    expect(sg019[0].resource.name).toBe('orders-primary');
  });

  test('a standalone database gets one budget that lets drains through, and refuses a blocked primary', () => {
    const objects = synthDatabase();
    expect(all(objects, 'PodDisruptionBudget')).toHaveLength(1);
    expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(() => synthDatabase({ primaryEviction: PrimaryEviction.BLOCKED })).toThrow(/primaryEviction must be PrimaryEviction.ALLOWED for a standalone database/);
  });

  test('PrimaryEviction.ALLOWED keeps the single budget over every member', () => {
    const objects = synthDatabase({ replicas: 3, primaryEviction: PrimaryEviction.ALLOWED });
    const [budget] = all(objects, 'PodDisruptionBudget');
    expect(all(objects, 'PodDisruptionBudget')).toHaveLength(1);
    expect(budget.spec.selector.matchExpressions).toBeUndefined();
  });

  test('members get 180 seconds to shut down by default, configurable within 10 s to 1 h', () => {
    expect(podTemplate(synthDatabase()).spec.terminationGracePeriodSeconds).toBe(180);
    expect(podTemplate(synthDatabase({ terminationGracePeriod: Duration.minutes(10) })).spec.terminationGracePeriodSeconds).toBe(600);
    expect(() => synthDatabase({ terminationGracePeriod: Duration.hours(2) })).toThrow(/terminationGracePeriod must be a Duration from 10 second\(s\) to 1 hour\(s\)/);
  });
});

describe('the config hash (point 9)', () => {
  const plan = (objects: any[]) => podTemplate(objects).metadata.annotations['stateful.cdk8s.io/config-hash'];

  test('covers the scripts the pod runs, and no backup script', () => {
    // GIVEN the rendered database pod of each engine
    const scripts = databaseScripts().data;
    for (const engine of [DatabaseEngine.postgres({ version: '16.4' }), mariadb(), DatabaseEngine.mysql({ version: '8.0.39' })]) {
      const pod = podTemplate(synthDatabase({ engine, replicas: 3 }));
      // WHEN the scripts it runs are computed THEN the backups' are not among them, its own are
      const run = scriptsRunBy({ spec: pod.spec }, scripts);
      expect(run).not.toContain('logical-backup.sh');
      expect(run).not.toContain('snapshot-backup.sh');
      expect(run.length).toBeGreaterThan(0);
      for (const name of run) expect(JSON.stringify(pod.spec).includes(name) || run.some(r => scripts[r].includes(name))).toBe(true);
    }
  });

  test('a backup script change keeps the hash; a change of a script the pod runs moves it', () => {
    // GIVEN a plan rendered with the shipped scripts
    const objects = synthDatabase({ replicas: 2 });
    const base = {
      name: 'orders',
      kind: 'postgres',
      engineName: 'postgres',
      image: 'postgres:16.4',
      port: 5432,
      uid: 999,
      dataPath: '/var/lib/postgresql/data',
      replicas: 2,
      headless: 'orders-headless',
      secretName: 's',
      superuserKey: 'a',
      replicationKey: 'b',
      replicationUser: 'replicator',
      selector: {},
      podLabels: {},
      configHash: 'x',
      requests: {},
      limits: {},
      requiredAntiAffinity: false,
      spreadAcrossZones: false,
      terminationGracePeriodSeconds: 180,
    } as any;
    const scripts = databaseScripts().data;
    const hash = (s: Record<string, string>) => renderPodTemplate({ ...base, scripts: s }).metadata!.annotations!['stateful.cdk8s.io/config-hash'];
    const run = scriptsRunBy({ spec: podTemplate(objects).spec }, scripts);
    // WHEN a backup script changes THEN the hash stays; WHEN a script the pod runs changes THEN it moves
    expect(hash({ ...scripts, 'snapshot-backup.sh': '#!/bin/sh\n# changed\n' })).toBe(hash(scripts));
    expect(hash({ ...scripts, 'logical-backup.sh': '#!/bin/sh\n# changed\n' })).toBe(hash(scripts));
    expect(hash({ ...scripts, [run[0]]: `${scripts[run[0]]}\n# changed\n` })).not.toBe(hash(scripts));
    expect(plan(objects)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a parameter change moves the hash', () => {
    expect(plan(synthDatabase({ parameters: { work_mem: "'64MB'" } }))).not.toBe(plan(synthDatabase()));
  });
});

describe('WAL senders from the member count (point 10)', () => {
  const conf = (objects: any[]) => find(objects, 'ConfigMap', 'orders-config').data['postgresql.conf'];

  test('PostgreSQL keeps its 10 senders and slots up to 6 members, then members + 4', () => {
    expect(conf(synthDatabase({ replicas: 3 }))).toContain('max_wal_senders = 10\n');
    expect(conf(synthDatabase({ replicas: 3 }))).toContain('max_replication_slots = 10\n');
    const big = conf(synthDatabase({ replicas: 40 }));
    expect(big).toContain('max_wal_senders = 44\n');
    expect(big).toContain('max_replication_slots = 44\n');
    expect(renderConfig('postgres' as any, {}, 99)).toContain('max_wal_senders = 103\n');
  });

  test('a parameter given by the user wins', () => {
    expect(conf(synthDatabase({ replicas: 40, parameters: { max_wal_senders: '60' } }))).toContain('max_wal_senders = 60\n');
  });
});
