import { Size } from 'cdk8s';
import { containers, gp3, literalSecrets, synthDatabase } from './helpers';
import { BackupPolicy, DatabaseEngine } from '../../src/database';
import { checkCronSchedule } from '../../src/database/private/database-cron';
import { StatefulError } from '../../src/internal/errors';
import { AccessMode, Provisioner } from '../../src/storage';
import { all, find } from '../harness';

const logical = (extra: object = {}) => BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(100), storageClass: gp3 }, ...extra });
const snapshots = () => BackupPolicy.volumeSnapshots({ schedule: '30 2 * * *', keep: 5, snapshotClass: { volumeSnapshotClassName: 'ebs-snapshots' } });

describe('BackupPolicy.logical', () => {
  const objects = synthDatabase({ replicas: 3, backup: logical() });
  const cron = find(objects, 'CronJob', 'orders-logical-backup');
  const pod = cron.spec.jobTemplate.spec.template.spec;

  test('is a CronJob that never overlaps, on the schedule', () => {
    expect(cron.spec).toEqual(expect.objectContaining({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' }));
    expect(pod.restartPolicy).toBe('Never');
  });

  test('runs the logical backup script against the primary Service into its own claim', () => {
    const [c] = pod.containers;
    expect(c.image).toBe('postgres:16.4');
    expect(c.command).toEqual(['/scripts/logical-backup.sh']);
    expect(Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]))).toEqual({
      DB_ENGINE: 'postgres',
      DB_HOST: 'orders',
      DB_PORT: '5432',
      DB_USER: 'postgres',
      DB_PASSWORD: { secretKeyRef: { name: 'orders-credentials', key: 'superuser-password' } },
      BACKUP_DIR: '/backups',
      BACKUP_KEEP: '7',
    });
    expect(c.volumeMounts).toContainEqual({ name: 'backups', mountPath: '/backups' });
    expect(pod.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'orders-backups' } });
    expect(pod.volumes).toContainEqual({ name: 'scripts', configMap: { name: 'orders-scripts', defaultMode: 0o555 } });
    const claim = find(objects, 'PersistentVolumeClaim', 'orders-backups');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'gp3', volumeMode: 'Filesystem' });
  });

  test('runs non-root without a service account token', () => {
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } }));
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].securityContext).toEqual(expect.objectContaining({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }));
    expect(literalSecrets(objects)).toEqual([]);
  });

  test('dumps MariaDB with its own engine name and root', () => {
    const maria = synthDatabase({ engine: DatabaseEngine.mariadb({ version: '11.4' }), backup: logical() });
    const env = find(maria, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'DB_ENGINE', value: 'mariadb' }, { name: 'DB_USER', value: 'root' }, { name: 'DB_PORT', value: '3306' }]));
  });

  test('writes into an existing claim', () => {
    const objects2 = synthDatabase({ backup: BackupPolicy.logical({ schedule: '0 0 * * *', keep: 1, existingClaimName: 'nfs-backups' }) });
    expect(all(objects2, 'PersistentVolumeClaim')).toEqual([]);
    expect(find(objects2, 'CronJob').spec.jobTemplate.spec.template.spec.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'nfs-backups' } });
  });

  test("refuses the database's own claim", () => {
    expect(() => synthDatabase({ replicas: 2, backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 3, existingClaimName: 'data-orders-1' }) })).toThrow(
      "StatefulDatabase 'test/orders': backup.existingClaimName must be a claim other than the database's own (a dump on the disk it protects is lost with it), got \"data-orders-1\".");
  });

  test('refuses a custom engine (no dump tool)', () => {
    const engine = DatabaseEngine.custom({ name: 'redis', image: 'redis:7', port: 6379, dataPath: '/data' });
    expect(() => synthDatabase({ engine, backup: logical() })).toThrow(
      "StatefulDatabase 'test/orders': backup must be volume snapshots for a custom engine (redis): no dump tool is known, got \"logical\".");
  });

  test('checks the backup claim against its class', () => {
    const efsOnly = { storageClassName: 'files', provisioner: Provisioner.custom('files.example.com', { filesystemAccessModes: [AccessMode.READ_WRITE_MANY] }) };
    expect(() => synthDatabase({ backup: logical({ storage: { size: Size.gibibytes(1), storageClass: efsOnly } }) })).toThrow(StatefulError);
  });
});

describe('BackupPolicy.volumeSnapshots', () => {
  const objects = synthDatabase({ replicas: 3, backup: snapshots() });
  const cron = find(objects, 'CronJob', 'orders-snapshot-backup');
  const pod = cron.spec.jobTemplate.spec.template.spec;

  test('is a CronJob with its own ServiceAccount', () => {
    expect(cron.spec).toEqual(expect.objectContaining({ schedule: '30 2 * * *', concurrencyPolicy: 'Forbid' }));
    expect(find(objects, 'ServiceAccount').metadata.name).toBe('orders-snapshot-backup');
    expect(pod.serviceAccountName).toBe('orders-snapshot-backup');
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  test('the Role grants only create, get, list and delete on volumesnapshots, bound to that account', () => {
    const role = find(objects, 'Role');
    expect(role.rules).toEqual([{ apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'get', 'list', 'delete'] }]);
    const binding = find(objects, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'orders-snapshot-backup' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'orders-snapshot-backup' }]);
    expect(all(objects, 'ClusterRole')).toEqual([]);
  });

  test('runs the snapshot script over every replica claim with the contract environment', () => {
    const [c] = pod.containers;
    expect(c.image).toBe('alpine/k8s:1.34.1');
    expect(c.command).toEqual(['/scripts/snapshot-backup.sh']);
    expect(Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]))).toEqual({
      NAMESPACE: { fieldRef: { fieldPath: 'metadata.namespace' } },
      CLAIMS: 'data-orders-0 data-orders-1 data-orders-2',
      SNAPSHOT_CLASS: 'ebs-snapshots',
      BACKUP_KEEP: '5',
      DB_NAME: 'orders',
      SNAPSHOT_READY_TIMEOUT: '10800',
      // An imported class in a chart without a namespace: no cluster access to its contents.
      PRUNE_RETAINED_CONTENTS: 'false',
      HOME: '/tmp',
    });
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }));
  });

  test('a database can have both kinds, but not two of one kind', () => {
    const both = synthDatabase({ backup: logical() }, 'orders', db => db.addBackup(snapshots()));
    expect(all(both, 'CronJob').map(c => c.metadata.name).sort()).toEqual(['orders-logical-backup', 'orders-snapshot-backup']);
    expect(containers(both).length).toBeGreaterThan(2);
    expect(() => synthDatabase({ backup: snapshots() }, 'orders', db => db.addBackup(snapshots()))).toThrow(
      "StatefulDatabase 'test/orders': backup must be at most one backup policy of each kind, got \"volume-snapshots\".");
    expect(() => synthDatabase({ backup: {} as any })).toThrow(/backup must be BackupPolicy.logical/);
  });
});

describe('backup options are checked', () => {
  test.each([
    ['keep 0', () => logical({ keep: 0 }), 'BackupPolicy.logical: keep must be an integer from 1 to 10000, got 0.'],
    ['keep 2.5', () => logical({ keep: 2.5 }), 'BackupPolicy.logical: keep must be an integer from 1 to 10000, got 2.5.'],
    ['a six-field schedule', () => logical({ schedule: '0 0 3 * * *' }),
      "BackupPolicy.logical: schedule must be a cron schedule of five fields (minute hour day-of-month month day-of-week) such as '0 3 * * *', got \"0 0 3 * * *\"."],
    ['minute 60', () => logical({ schedule: '60 3 * * *' }), /schedule must be a cron schedule/.source],
    ['no claim', () => BackupPolicy.logical({ schedule: '0 3 * * *', keep: 1 }),
      'BackupPolicy.logical: storage must be claim options for a new backup claim, or existingClaimName, got undefined.'],
    ['two claims', () => logical({ existingClaimName: 'x' }), 'BackupPolicy.logical: existingClaimName must be unset when storage is given (one backup claim), got "x".'],
    ['snapshots without a class', () => BackupPolicy.volumeSnapshots({ schedule: '0 3 * * *', keep: 1, snapshotClass: undefined as any }),
      /^BackupPolicy.volumeSnapshots: snapshotClass.volumeSnapshotClassName must be a DNS-1123 subdomain/.source],
    ['snapshots keep -1', () => BackupPolicy.volumeSnapshots({ schedule: '0 3 * * *', keep: -1, snapshotClass: { volumeSnapshotClassName: 'x' } }), /keep must be an integer from 1/.source],
    ['a kubectl image on latest', () => BackupPolicy.volumeSnapshots({ schedule: '0 3 * * *', keep: 1, snapshotClass: { volumeSnapshotClassName: 'x' }, kubectlImage: 'bitnami/kubectl:latest' }),
      "BackupPolicy.volumeSnapshots: kubectlImage must be an image reference with a pinned tag or digest, such as 'alpine/k8s:1.34.1' (not 'latest'), got \"bitnami/kubectl:latest\"."],
    ['a kubectl image without a tag', () => BackupPolicy.volumeSnapshots({ schedule: '0 3 * * *', keep: 1, snapshotClass: { volumeSnapshotClassName: 'x' }, kubectlImage: 'registry.example.com:5000/kubectl' }),
      /^BackupPolicy.volumeSnapshots: kubectlImage must be an image reference with a pinned tag or digest/.source],
    ['no options', () => BackupPolicy.logical(undefined as any), 'BackupPolicy.logical: options must be an options object with schedule and keep, got undefined.'],
  ])('rejects %s', (_name, make, message) => {
    let error: unknown;
    try { make(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(StatefulError);
    if (message.startsWith('BackupPolicy')) expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(new RegExp(message));
  });

  test.each(['0 3 * * *', '*/15 * * * *', '0 0-6/2 1,15 jan-jun mon-fri', '5 4 * * sun', '0 0 1 12 7', '0 22 * * 1-5'])('accepts the schedule %s', s => {
    expect(checkCronSchedule('t', 'schedule', s)).toBe(s);
  });

  test.each(['', '* * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', '5-1 * * * *', '*/0 * * * *', '@daily', 'a b c d e', '1,,2 * * * *'])('rejects the schedule %j', s => {
    expect(() => checkCronSchedule('t', 'schedule', s)).toThrow(StatefulError);
  });
});
