import { Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { literalSecrets } from './helpers';
import { builtOrRefused, hostileNumber, hostileString as hostileStringOf, maybe as maybeOf, wrongType } from './hostile-props';
import {
  AntiAffinity, BackupPolicy, ClaimRetention, DatabaseCredentials, DatabaseEngine, StatefulDatabase,
} from '../../src/database';
import { AccessMode, ClaimDataSource, Provisioner } from '../../src/storage';
import { all, find, synth } from '../harness';

const hostileString = hostileStringOf('16.4', '8.0.39', '11.4');
/** Mostly absent: a database has many props, and most runs should reach the invariants. */
const maybe = <T>(arb: fc.Arbitrary<T>) => maybeOf(arb, 9);

const engineArb = fc.oneof(
  { arbitrary: fc.constantFrom({ kind: 'postgres', version: '16.4' }, { kind: 'mysql', version: '8.0.39' }, { kind: 'mariadb', version: '11.4' }), weight: 6 },
  fc.record({ kind: fc.constantFrom('postgres', 'mysql', 'mariadb'), version: fc.oneof(hostileString, fc.constantFrom('16.4', '13', '8.0.39', '8.4', '11.4', '10.6.18')) }),
  fc.record({ kind: fc.constant('custom'), name: hostileString, image: fc.oneof(hostileString, fc.constant('redis:7.2.5')), port: hostileNumber, dataPath: fc.oneof(hostileString, fc.constant('/data')) }),
);

function makeEngine(e: any): DatabaseEngine {
  switch (e.kind) {
    case 'postgres': return DatabaseEngine.postgres({ version: e.version });
    case 'mysql': return DatabaseEngine.mysql({ version: e.version });
    case 'mariadb': return DatabaseEngine.mariadb({ version: e.version });
    default: return DatabaseEngine.custom({ name: e.name, image: e.image, port: e.port, dataPath: e.dataPath });
  }
}

const storageClasses = [
  undefined,
  { storageClassName: 'gp3', provisioner: Provisioner.awsEbs() },
  { storageClassName: 'files', provisioner: Provisioner.custom('files.example.com', { filesystemAccessModes: [AccessMode.READ_WRITE_MANY] }) },
  { storageClassName: 'unknown' },
];

const propsArb = fc.record({
  engine: engineArb,
  name: maybe(fc.oneof(hostileString, fc.constantFrom('orders', 'db-1', 'a'.repeat(36), 'a'.repeat(37)))),
  replicas: maybe(fc.oneof(hostileNumber, wrongType)),
  sizeGi: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 2048 }), weight: 5 }, { arbitrary: hostileNumber, weight: 1 }),
  storageClass: fc.constantFrom(...storageClasses, storageClasses[1], undefined),
  accessModes: maybe(fc.subarray(['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany', 'Bogus'])),
  restore: fc.constantFrom(false, false, false, true),
  partition: maybe(hostileNumber),
  parameters: maybe(fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('work_mem', 'max_connections')), hostileString, { maxKeys: 3 })),
  antiAffinity: maybe(fc.oneof(fc.constantFrom(AntiAffinity.PREFERRED, AntiAffinity.REQUIRED), hostileString)),
  spreadAcrossZones: maybe(fc.oneof(fc.boolean(), wrongType)),
  retention: maybe(fc.oneof(fc.constantFrom(ClaimRetention.RETAIN, ClaimRetention.DELETE), hostileString)),
  metrics: maybe(fc.oneof(fc.constant({}), fc.record({ image: hostileString }), wrongType)),
  networkPolicy: maybe(fc.oneof(fc.boolean(), wrongType)),
  backup: maybe(fc.record({
    logical: fc.boolean(),
    schedule: fc.oneof(hostileString, fc.constantFrom('0 3 * * *', '*/5 * * * *', '0 0 31 2 *')),
    keep: hostileNumber,
    claim: maybe(fc.oneof(hostileString, fc.constantFrom('data-orders-0', 'backups'))),
  })),
  passwords: maybe(fc.record({
    superuserPassword: fc.oneof(hostileString, fc.string({ minLength: 4 }).map(x => `Super!${x}`)),
    replicationPassword: fc.oneof(hostileString, fc.string({ minLength: 4 }).map(x => `Repl!${x}`)),
  })),
  grantLabels: maybe(fc.dictionary(hostileString, hostileString, { maxKeys: 2 })),
});

describe('StatefulDatabase properties', () => {
  test('any props synthesize schema-valid, secret-free objects or throw StatefulError', () => {
    let synthesized = 0;
    fc.assert(fc.property(propsArb, maybe(fc.constantFrom<any>({}, [], 'x', 5, true)), (p, notASize) => {
      let size: Size;
      try {
        size = notASize ?? Size.gibibytes(p.sizeGi);
      } catch {
        return; // cdk8s refuses negative sizes itself, before our code runs
      }
      const objects = builtOrRefused(() => {
        const chart = Testing.chart();
        const db = new StatefulDatabase(chart, 'orders', {
          engine: makeEngine(p.engine),
          name: p.name,
          replicas: p.replicas as any,
          storage: {
            size,
            storageClass: p.storageClass,
            accessModes: p.accessModes as any,
            dataSource: p.restore ? ClaimDataSource.fromSnapshot('snap-1') : undefined,
          },
          partition: p.partition,
          parameters: p.parameters,
          antiAffinity: p.antiAffinity as any,
          spreadAcrossZones: p.spreadAcrossZones as any,
          claimRetentionWhenScaled: p.retention as any,
          metrics: p.metrics as any,
          networkPolicy: p.networkPolicy as any,
          credentials: p.passwords ? DatabaseCredentials.fromPasswords(p.passwords) : undefined,
          backup: p.backup === undefined ? undefined : p.backup.logical
            ? BackupPolicy.logical({
              schedule: p.backup.schedule,
              keep: p.backup.keep,
              ...(p.backup.claim ? { existingClaimName: p.backup.claim } : { storage: { size: Size.gibibytes(10) } }),
            })
            : BackupPolicy.volumeSnapshots({ schedule: p.backup.schedule, keep: p.backup.keep, snapshotClass: { volumeSnapshotClassName: 'snaps' } }),
        });
        if (p.grantLabels) db.allowFromLabels(p.grantLabels);
        return synth(chart);
      });
      if (!objects) return;
      synthesized++;
      // Invariants of every database that synthesizes.
      const sts = find(objects, 'StatefulSet');
      expect(sts.spec.serviceName).toBe(`${sts.metadata.name}-headless`);
      expect(sts.spec.persistentVolumeClaimRetentionPolicy.whenDeleted).toBe('Retain');
      const podLabels = sts.spec.template.metadata.labels;
      for (const [k, v] of Object.entries<string>(sts.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
      // Budgets select the StatefulSet's pods and never the same pod twice (the eviction API refuses a pod under two).
      const budgets = all(objects, 'PodDisruptionBudget');
      for (const b of budgets) expect(b.spec.selector.matchLabels).toEqual(expect.objectContaining(sts.spec.selector.matchLabels));
      expect(budgets.map(b => b.metadata.name).sort()).toEqual(sts.spec.replicas > 1 ? [sts.metadata.name, `${sts.metadata.name}-primary`] : [sts.metadata.name]);
      if (budgets.length === 1) expect(budgets[0].spec.maxUnavailable).toBe(1);
      // With a primary budget, the replicas' budget lets exactly one replica go.
      else expect(find(objects, 'PodDisruptionBudget', sts.metadata.name).spec.minAvailable).toBe(sts.spec.replicas - 2);
      expect(sts.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(literalSecrets(objects)).toEqual([]);
      if (p.passwords?.superuserPassword.startsWith('Super!')) {
        // A distinctive password must appear in the Secret only.
        const needle = JSON.stringify(p.passwords.superuserPassword).slice(1, -1);
        for (const o of objects.filter(x => x.kind !== 'Secret')) expect(JSON.stringify(o).includes(needle)).toBe(false);
      }
    }), { numRuns: 200 });
    // The generator must reach the synthesis path often enough to prove anything.
    expect(synthesized).toBeGreaterThanOrEqual(20);
  });

  test('valid props always synthesize', () => {
    const valid = fc.record({
      engine: fc.constantFrom(DatabaseEngine.postgres({ version: '16.4' }), DatabaseEngine.mysql({ version: '8.0.39' }), DatabaseEngine.mariadb({ version: '11.4' })),
      replicas: fc.integer({ min: 1, max: 9 }),
      sizeMi: fc.integer({ min: 1, max: 1_000_000 }),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/),
      metrics: fc.boolean(),
      zones: fc.boolean(),
    });
    fc.assert(fc.property(valid, v => {
      const chart = Testing.chart();
      new StatefulDatabase(chart, 'db', {
        engine: v.engine,
        name: v.name,
        replicas: v.replicas,
        storage: { size: Size.mebibytes(v.sizeMi), storageClass: storageClasses[1] },
        metrics: v.metrics ? {} : undefined,
        spreadAcrossZones: v.zones,
      });
      const sts = find(synth(chart), 'StatefulSet');
      expect(sts.spec.replicas).toBe(v.replicas);
      expect(sts.metadata.name).toBe(v.name);
    }), { numRuns: 200 });
  });
});
