import { Duration, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { gp3 } from './helpers';
import { builtOrRefused, hostileNumber, hostileString as hostileStringOf, maybe as maybeOf, wrongType } from './hostile-props';
import { AntiAffinity, ClaimRetention, ConsensusCluster, ConsensusEngine, EtcdClusterState } from '../../src/database';
import { Guards } from '../../src/guards';
import { AccessMode } from '../../src/storage';
import { find, synth } from '../harness';

const hostileString = hostileStringOf('3.6.5', '3.9.3', 'v3.6.5');
const maybe = <T>(arb: fc.Arbitrary<T>) => maybeOf(arb, 6);

const engineArb = fc.oneof(
  { arbitrary: fc.constantFrom('etcd', 'zookeeper').map(k => ({ kind: k, version: k === 'etcd' ? '3.6.5' : '3.9.3' })), weight: 5 },
  fc.record({
    kind: fc.constantFrom('etcd', 'zookeeper'),
    version: fc.oneof(hostileString, fc.constantFrom('3.6.0', '3.6.5', '3.8.4', '3.9.3', '3.5.17')),
    repository: maybe(fc.oneof(hostileString, fc.constantFrom('registry.example.com/mirror/etcd', 'mirror:5000/zk'))),
    initialClusterState: maybe(fc.oneof(hostileString, fc.constantFrom(...Object.values(EtcdClusterState)))),
  }),
);

const propsArb = fc.record({
  engine: engineArb,
  name: maybe(fc.oneof(hostileString, fc.constantFrom('kv', 'zk-ensemble', 'a'.repeat(36), 'a'.repeat(37), 'UPPER'))),
  replicas: maybe(fc.oneof(hostileNumber, fc.constantFrom(1, 3, 5, 7, 9, 2, 4), wrongType)),
  size: fc.oneof({ arbitrary: fc.constant(8), weight: 5 }, hostileNumber),
  accessModes: maybe(fc.array(fc.oneof(fc.constantFrom(...Object.values(AccessMode)), hostileString), { maxLength: 2 })),
  antiAffinity: maybe(fc.oneof(fc.constantFrom(...Object.values(AntiAffinity)), hostileString)),
  spreadAcrossZones: maybe(fc.oneof(fc.boolean(), wrongType)),
  graceSeconds: maybe(fc.oneof(hostileNumber, fc.constantFrom(5e-324, 0.5))),
  whenDeleted: maybe(fc.oneof(fc.constantFrom(...Object.values(ClaimRetention)), hostileString)),
});

function engineOf(e: any): ConsensusEngine {
  const options = { version: e.version, repository: e.repository, initialClusterState: e.initialClusterState };
  return e.kind === 'etcd' ? ConsensusEngine.etcd(options) : ConsensusEngine.zookeeper(options);
}

test('hostile props either synthesize a guard-clean, quorum-safe cluster or throw StatefulError', () => {
  let built = 0;
  fc.assert(fc.property(propsArb, (p) => {
    let size: Size;
    let grace: Duration | undefined;
    try {
      size = Size.gibibytes(p.size as number);
      grace = p.graceSeconds === undefined ? undefined : Duration.seconds(p.graceSeconds);
    } catch {
      return; // cdk8s' own Size or Duration refuses it before the construct sees it
    }
    const objects = builtOrRefused(() => {
      const chart = Testing.chart();
      new ConsensusCluster(chart, 'kv', {
        engine: engineOf(p.engine),
        name: p.name,
        replicas: p.replicas,
        storage: { size, storageClass: gp3, accessModes: p.accessModes as any },
        antiAffinity: p.antiAffinity as any,
        spreadAcrossZones: p.spreadAcrossZones as any,
        terminationGracePeriod: grace,
        claimRetentionWhenDeleted: p.whenDeleted as any,
      });
      return synth(chart);
    });
    if (!objects) return;
    built++;
    // THEN the member count is odd, the budget keeps a majority (one member: drains pass),
    // and the guards find nothing the user did not choose.
    const n = find(objects, 'StatefulSet').spec.replicas;
    const max = find(objects, 'PodDisruptionBudget').spec.maxUnavailable;
    expect(n % 2).toBe(1);
    expect(max).toBe(n === 1 ? 1 : (n - 1) / 2);
    // (A user who chose claim retention Delete is warned about it, as intended: SG013.)
    const chosen = p.whenDeleted === ClaimRetention.DELETE ? ['SG013'] : [];
    expect(Guards.check(objects).findings.map(f => f.ruleId)).toEqual(chosen);
  }), { numRuns: 150, seed: 1512 });
  expect(built).toBeGreaterThan(20);
});
