import { Duration, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { gp3 } from './helpers';
import { builtOrRefused, hostileNumber, hostileString as hostileStringOf, maybe, wrongType } from './hostile-props';
import { AntiAffinity, CassandraRing, ClaimRetention } from '../../src/database';
import { Guards } from '../../src/guards';
import { find, synth } from '../harness';

const hostileString = hostileStringOf('5.0.4', '5.0', '4.1.8', 'v5.0.4', "dc1'; DROP", 'dc 1');

const propsArb = fc.record({
  version: fc.oneof({ arbitrary: fc.constant('5.0.4'), weight: 6 }, hostileString, wrongType),
  repository: maybe(fc.oneof(hostileString, fc.constantFrom('registry.example.com/mirror/cassandra', 'mirror:5000/cassandra'))),
  name: maybe(fc.oneof(hostileString, fc.constantFrom('orders', 'a'.repeat(36), 'a'.repeat(37), 'UPPER'))),
  replicas: maybe(fc.oneof(hostileNumber, fc.constantFrom(1, 3, 5, 7, 2, 4), wrongType)),
  replicationFactor: maybe(fc.oneof(hostileNumber, fc.constantFrom(1, 2, 3, 5), wrongType)),
  clusterName: maybe(fc.oneof(hostileString, wrongType)),
  datacenter: maybe(fc.oneof(hostileString, fc.constantFrom('eu-west-1', 'dc2'), wrongType)),
  rack: maybe(fc.oneof(hostileString, fc.constantFrom('eu-west-1a'), wrongType)),
  numTokens: maybe(fc.oneof(hostileNumber, fc.constantFrom(1, 16, 256, 257), wrongType)),
  limitMib: maybe(fc.oneof(fc.constantFrom(512, 1023, 1024, 4096, 65536), fc.integer({ min: 1, max: 100_000 }))),
  antiAffinity: maybe(fc.oneof(fc.constantFrom(...Object.values(AntiAffinity)), hostileString)),
  graceSeconds: maybe(fc.oneof(
    fc.integer({ min: -5, max: 4000 }), fc.double({ min: -5, max: 4000 }), fc.constantFrom(0, 9, 10, 300, 3600, 3601, 5e-324, 0.5),
  )),
  whenDeleted: maybe(fc.oneof(fc.constantFrom(...Object.values(ClaimRetention)), hostileString)),
});

test('hostile props either synthesize a guard-clean ring whose budget keeps a QUORUM of its RF, or throw StatefulError', () => {
  let built = 0;
  fc.assert(fc.property(propsArb, (p) => {
    let grace: Duration | undefined;
    try {
      grace = p.graceSeconds === undefined ? undefined : Duration.seconds(p.graceSeconds);
    } catch {
      return; // cdk8s' own Duration refuses it before the construct sees it
    }
    let ring: CassandraRing | undefined;
    const objects = builtOrRefused(() => {
      const chart = Testing.chart();
      ring = new CassandraRing(chart, 'orders', {
        version: p.version as any,
        repository: p.repository,
        name: p.name,
        replicas: p.replicas,
        replicationFactor: p.replicationFactor,
        clusterName: p.clusterName as any,
        datacenter: p.datacenter as any,
        rack: p.rack as any,
        numTokens: p.numTokens,
        resources: p.limitMib === undefined ? undefined
          : { memory: Size.mebibytes(Math.min(512, p.limitMib)), memoryLimit: Size.mebibytes(p.limitMib) },
        storage: { size: Size.gibibytes(20), storageClass: gp3 },
        antiAffinity: p.antiAffinity as any,
        terminationGracePeriod: grace,
        claimRetentionWhenDeleted: p.whenDeleted as any,
      });
      return synth(chart);
    });
    if (!objects || !ring) return;
    built++;
    // THEN RF is within the members, the budget leaves a QUORUM of every replica set (RF 1-2: one
    // member, so drains pass), the heap is half the limit, and the guards find nothing unchosen.
    const n = find(objects, 'StatefulSet').spec.replicas;
    const rf = ring.replicationFactor;
    const max = find(objects, 'PodDisruptionBudget').spec.maxUnavailable;
    expect(n).toBeGreaterThanOrEqual(1); // any count: the quorum is over each row's copies
    expect(rf).toBeGreaterThanOrEqual(1);
    expect(rf).toBeLessThanOrEqual(n);
    expect(max).toBe(rf <= 2 ? 1 : rf - (Math.floor(rf / 2) + 1));
    expect(ring.heapMib).toBeGreaterThanOrEqual(512);
    expect(ring.heapMib).toBeLessThanOrEqual(8192);
    const yaml: string = find(objects, 'ConfigMap').data['cassandra.yaml'];
    expect(yaml.split('\n').filter(l => l.startsWith('cluster_name:'))).toHaveLength(1);
    const chosen = p.whenDeleted === ClaimRetention.DELETE ? ['SG013'] : [];
    expect(Guards.check(objects).findings.map(f => f.ruleId)).toEqual(chosen);
  }), { numRuns: 150, seed: 1515 });
  expect(built).toBeGreaterThan(20);
});

test('names the property, the value and the bound when the replication factor exceeds the members', () => {
  const chart = Testing.chart();
  expect(() => new CassandraRing(chart, 'orders', { version: '5.0.4', replicas: 3, replicationFactor: 4, storage: { size: Size.gibibytes(20), storageClass: gp3 } }))
    .toThrow("CassandraRing 'test/orders': replicationFactor must be at most replicas (3): each member holds at most one copy of a row, got 4.");
});
