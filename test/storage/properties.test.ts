/**
 * Property-based tests: for random AND hostile props, every construct either synthesizes
 * schema-valid objects or throws StatefulError, never anything else (no TypeError).
 */
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { StatefulError } from '../../src/internal/errors';
import {
  AccessMode, AllowedTopology, ClaimDataSource, LocalVolumePool, PersistentClaim, Provisioner, ReclaimPolicy, SharedFileVolume,
  SnapshotDeletionPolicy, StorageClass, VolumeBindingMode, VolumeMode, VolumeSnapshot, VolumeSnapshotClass, WriterModel,
} from '../../src/storage';
import { RESTRICTED, synth } from '../harness';

const RUNS = { numRuns: 200 };
/** Outcomes of the hostile runs: each property must also reach valid manifests, not only rejections. */
const seen: Record<string, { ok: number; rejected: number }> = {};
let current = '';
function track(name: string): void {
  current = name;
  seen[name] = { ok: 0, rejected: 0 };
}

/** Run a build; it must synthesize valid objects or throw StatefulError. Returns the outcome. */
function outcome(build: (chart: Chart) => void): 'ok' | 'rejected' {
  const chart = new Chart(Testing.app(), 'prop');
  try {
    build(chart);
  } catch (e) {
    if (e instanceof StatefulError) {
      seen[current].rejected++;
      return 'rejected';
    }
    throw e;
  }
  synth(chart); // schema-checked; any error here fails the property
  seen[current].ok++;
  return 'ok';
}

const hostile = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.constant(''), fc.constant(NaN), fc.constant(-1), fc.constant(Infinity),
  fc.constant(1e308), fc.string(), fc.fullUnicodeString(), fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]),
  fc.constant('true'), fc.constant('../etc'), fc.constant('a'.repeat(300)),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), arb);
/** Mostly valid values, sometimes hostile ones. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 7 }, { arbitrary: hostile, weight: 1 });
const dnsName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const size = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 100_000 }).map(n => Size.gibibytes(n)), weight: 6 },
  fc.double({ min: 0, max: 1e6, noNaN: false }).map(n => Size.mebibytes(n)), // Size itself rejects negatives
  fc.integer({ min: 0, max: 5000 }).map(n => Size.kibibytes(n)),
  hostile,
);
const provisioner = fc.constantFrom(
  () => Provisioner.awsEbs(), () => Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' }), () => Provisioner.gcePd(),
  () => Provisioner.azureDisk(), () => Provisioner.azureFile(), () => Provisioner.longhorn(), () => Provisioner.openEbsHostpath(),
  () => Provisioner.cephRbd({ clusterId: 'c', pool: 'p' }), () => Provisioner.cephFs({ clusterId: 'c', fsName: 'f' }),
  () => Provisioner.nfs({ server: 's', share: '/e' }), () => Provisioner.local(),
  () => Provisioner.custom('csi.example.com', { filesystemAccessModes: [] }),
).map(f => f());

const fileProvisioner = fc.constantFrom(
  () => Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' }), () => Provisioner.azureFile(), () => Provisioner.longhorn(),
  () => Provisioner.cephFs({ clusterId: 'c', fsName: 'f' }), () => Provisioner.nfs({ server: 's', share: '/e' }),
).map(f => f());

describe('property: StorageClass', () => {
  test('random and hostile props synthesize a valid class or throw StatefulError', () => {
    track('StorageClass');
    fc.assert(fc.property(
      mostly(provisioner),
      maybe(mostly(fc.constantFrom(...Object.values(ReclaimPolicy)))),
      maybe(mostly(fc.constantFrom(...Object.values(VolumeBindingMode)))),
      maybe(mostly(fc.boolean())),
      maybe(mostly(fc.array(fc.oneof({ arbitrary: fc.constantFrom('noatime', 'nfsvers=4.1', 'hard'), weight: 5 }, fc.string()), { maxLength: 3 }))),
      maybe(mostly(fc.boolean())),
      maybe(mostly(dnsName)),
      maybe(mostly(fc.array(fc.oneof({ arbitrary: fc.stringMatching(/^[a-z]{2}-[a-z]+-[0-9][a-z]$/), weight: 5 }, fc.string()), { maxLength: 3 }))),
      (p, reclaimPolicy, bindingMode, allowVolumeExpansion, mountOptions, isDefault, name, zones) => {
        const result = outcome(chart => new StorageClass(chart, 'sc', {
          provisioner: p,
          reclaimPolicy,
          bindingMode,
          allowVolumeExpansion,
          mountOptions,
          isDefault,
          name,
          allowedTopologies: zones === undefined ? undefined : [AllowedTopology.zones(zones as any)],
        } as any));
        // A node-local provisioner never ends up with Immediate binding; a zonal one only with zones.
        if (result === 'ok' && p instanceof Provisioner && (p.capabilities.nodeLocal || (p.capabilities.topologyBound && zones === undefined))) {
          expect(bindingMode ?? VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER).toBe(VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER);
        }
      }), RUNS);
  });

  test('with valid props the class is always accepted and safe by default', () => {
    fc.assert(fc.property(provisioner, dnsName, (p, name) => {
      const chart = new Chart(Testing.app(), 'prop');
      new StorageClass(chart, 'sc', { provisioner: p, name });
      const [obj] = synth(chart);
      expect(obj.reclaimPolicy).toBe('Retain');
      expect(obj.allowVolumeExpansion).toBe(p.capabilities.volumeExpansion ?? false);
      expect(obj.volumeBindingMode).toBe(p.capabilities.topologyBound || p.capabilities.nodeLocal ? 'WaitForFirstConsumer' : 'Immediate');
    }), RUNS);
  });
});

describe('property: LocalVolumePool', () => {
  const volume = fc.record({
    node: fc.oneof({ arbitrary: dnsName, weight: 20 }, fc.string(), hostile),
    path: fc.oneof({ arbitrary: fc.constantFrom('/mnt/disks/nvme0', '/mnt/disks/nvme1', '/dev/sdb'), weight: 20 }, fc.string().map(s => `/${s}`), fc.string(), hostile),
    size: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 100_000 }).map(n => Size.gibibytes(n)), weight: 6 }, size),
    volumeMode: maybe(mostly(fc.constantFrom(...Object.values(VolumeMode)))),
  });

  test('random and hostile disks synthesize one pinned volume per disk or throw StatefulError', () => {
    track('LocalVolumePool');
    fc.assert(fc.property(
      fc.oneof({ arbitrary: fc.array(fc.oneof({ arbitrary: volume, weight: 19 }, hostile), { maxLength: 3 }), weight: 9 }, hostile),
      maybe(fc.oneof(dnsName, hostile)),
      (volumes, storageClassName) => {
        let pool: LocalVolumePool | undefined;
        const result = outcome(chart => { pool = new LocalVolumePool(chart, 'pool', { volumes, storageClassName } as any); });
        if (result === 'ok') {
          expect(pool!.persistentVolumeNames).toHaveLength((volumes as any[]).length);
        }
      }), RUNS);
  });

  test('every synthesized volume has a required hostname affinity to its own node', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.record({ node: dnsName, path: fc.constantFrom('/mnt/a', '/mnt/b') }), { minLength: 1, maxLength: 6, selector: v => `${v.node}:${v.path}` }),
      (disks) => {
        const chart = new Chart(Testing.app(), 'prop');
        new LocalVolumePool(chart, 'pool', { volumes: disks.map(d => ({ ...d, size: Size.gibibytes(1) })) });
        const pvs = synth(chart).filter(o => o.kind === 'PersistentVolume');
        expect(pvs.map(pv => pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values)).toEqual(disks.map(d => [d.node]));
        expect(pvs.map(pv => pv.spec.local.path)).toEqual(disks.map(d => d.path));
      }), RUNS);
  });
});

describe('property: SharedFileVolume', () => {
  test('random and hostile props and mounts synthesize or throw StatefulError', () => {
    track('SharedFileVolume');
    fc.assert(fc.property(
      fc.oneof({ arbitrary: fileProvisioner, weight: 10 }, { arbitrary: provisioner, weight: 3 }, hostile),
      fc.oneof({ arbitrary: fc.integer({ min: 1, max: 100_000 }).map(n => Size.gibibytes(n)), weight: 6 }, size),
      maybe(fc.oneof(dnsName, hostile)),
      maybe(mostly(fc.constantFrom(...Object.values(WriterModel)))),
      fc.array(fc.record({
        replicas: fc.integer({ min: 0, max: 4 }),
        path: fc.oneof({ arbitrary: fc.constantFrom('/data', '/srv/uploads'), weight: 8 }, fc.string(), hostile),
        readOnly: maybe(mostly(fc.boolean())),
        subPath: maybe(fc.oneof({ arbitrary: fc.constantFrom('public', 'a/b'), weight: 8 }, fc.string(), hostile)),
      }), { maxLength: 2 }),
      (p, sz, name, writers, mounts) => {
        outcome(chart => {
          const storageClass = p instanceof Provisioner ? StorageClass.fromName(chart, 'files', p) : p;
          const volume = new SharedFileVolume(chart, 'shared', { storageClass, size: sz, name, writers } as any);
          mounts.forEach((m, i) => {
            const d = new kplus.Deployment(chart, `d${i}`, {
              replicas: m.replicas, strategy: kplus.DeploymentStrategy.recreate(), containers: [{ image: 'busybox:1.36', securityContext: RESTRICTED }],
            });
            volume.mount(d.containers[0], m.path as any, { readOnly: m.readOnly, subPath: m.subPath } as any);
          });
          // A single writer in more than one pod is a synth-time validation error (not a
          // StatefulError from a constructor): check it here and turn it into the rejection.
          const rwReplicas = mounts.filter(m => m.readOnly !== true).map(m => m.replicas);
          if ((writers ?? 'single') === 'single' && rwReplicas.some(r => r > 1)) {
            expect(() => synth(chart)).toThrow(/writers must be "coordinated"/);
            throw new StatefulError('rejected at synth');
          }
        });
      }), RUNS);
  });
});

describe('property: PersistentClaim', () => {
  test('random and hostile sizes, classes, modes and sources synthesize a claim the server accepts or throw StatefulError', () => {
    track('PersistentClaim');
    fc.assert(fc.property(
      size,
      maybe(fc.oneof({ arbitrary: provisioner, weight: 6 }, hostile)),
      maybe(mostly(fc.uniqueArray(fc.constantFrom(...Object.values(AccessMode)), { minLength: 1, maxLength: 2 }))),
      maybe(mostly(fc.constantFrom(...Object.values(VolumeMode)))),
      maybe(mostly(fc.oneof(dnsName.map(n => ClaimDataSource.fromSnapshot(n)), dnsName.map(n => ClaimDataSource.fromClaim(n))))),
      maybe(fc.oneof({ arbitrary: dnsName, weight: 6 }, hostile)),
      (sz, p, accessModes, volumeMode, dataSource, name) => {
        outcome(chart => {
          const storageClass = p instanceof Provisioner ? StorageClass.fromName(chart, 'class', p) : p;
          new PersistentClaim(chart, 'claim', { size: sz, storageClass, accessModes, volumeMode, dataSource, name } as any);
        });
      }), RUNS);
  });
});

describe('property: VolumeSnapshotClass and VolumeSnapshot', () => {
  test('random and hostile props synthesize snapshot objects the server accepts or throw StatefulError', () => {
    track('VolumeSnapshot');
    fc.assert(fc.property(
      mostly(provisioner),
      maybe(mostly(fc.constantFrom(...Object.values(SnapshotDeletionPolicy)))),
      maybe(mostly(fc.dictionary(fc.constantFrom('type', 'tagSpecification_1', 'csi.storage.k8s.io/snapshotter-secret-name'), fc.string({ maxLength: 20 }), { maxKeys: 2 }))),
      maybe(mostly(fc.boolean())),
      fc.oneof({ arbitrary: dnsName, weight: 6 }, hostile),
      maybe(fc.oneof({ arbitrary: dnsName, weight: 6 }, hostile)),
      (p, deletionPolicy, parameters, isDefault, claimName, name) => {
        outcome(chart => {
          const snapshotClass = new VolumeSnapshotClass(chart, 'snapclass', { provisioner: p, deletionPolicy, parameters, isDefault } as any);
          new VolumeSnapshot(chart, 'snapshot', { claimName, snapshotClass, name } as any);
        });
      }), RUNS);
  });
});

afterAll(() => {
  // The properties are only meaningful if hostile runs also produce accepted, schema-checked manifests.
  for (const counts of Object.values(seen)) {
    expect(counts.ok).toBeGreaterThan(10);
    expect(counts.rejected).toBeGreaterThan(10);
  }
});
