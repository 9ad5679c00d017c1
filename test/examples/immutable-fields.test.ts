import * as fs from 'fs';
import * as path from 'path';
import { exampleNames, synthExample } from '../../examples/examples';
import { checkedByApiServer, parseYaml, updateVerdict } from '../harness';

/**
 * Upgrades of the library itself: the API server refuses to change a StatefulSet's claim
 * templates, selector, serviceName or podManagementPolicy, a workload's selector, a Service's
 * clusterIP, a claim's spec (but its size) and a StorageClass or VolumeSnapshotClass after
 * creation. Users who upgrade this library and synthesize the same props again must get the same
 * values there, or their next `kubectl apply` fails. The golden file holds those fields of every
 * example as the last reviewed release emitted them.
 *
 * A change here is a breaking change for every user: keep the old values (or make the new ones
 * opt-in), or document the migration in the README (`--cascade=orphan` for StatefulSets). Only
 * then regenerate: `UPDATE_IMMUTABLE_GOLDEN=1 npx jest test/examples/immutable-fields.test.ts`.
 */
const GOLDEN = path.join(__dirname, 'immutable-fields.golden.json');

type Fields = Record<string, unknown>;

function pick(o: any, keys: string[]): Fields {
  return Object.fromEntries(keys.filter(k => o?.[k] !== undefined).map(k => [k, o[k]]));
}

/** The fields of one object that the API server will not change once it exists, or undefined when it has none. */
export function immutableFields(o: any): Fields | undefined {
  switch (o.kind) {
    case 'StatefulSet':
      return pick(o.spec, ['selector', 'serviceName', 'podManagementPolicy', 'volumeClaimTemplates']);
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
      return pick(o.spec, ['selector']);
    case 'Service':
      return o.spec?.clusterIP === undefined ? undefined : pick(o.spec, ['clusterIP']);
    case 'PersistentVolumeClaim':
      // Everything but the size, which may grow (and never shrinks).
      return { spec: { ...o.spec, resources: { ...o.spec.resources, requests: { ...o.spec.resources?.requests, storage: undefined } } } };
    case 'PersistentVolume':
      return { spec: { ...o.spec, claimRef: undefined } };
    case 'StorageClass':
      return pick(o, ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode']);
    case 'VolumeSnapshotClass':
      return pick(o, ['driver', 'parameters']);
    case 'VolumeSnapshot':
      return pick(o, ['spec']);
    default:
      return undefined;
  }
}

/** `Kind namespace/name` → immutable fields, for every object of one example that has any. */
function immutableOf(objects: any[]): Record<string, Fields> {
  const out: Record<string, Fields> = {};
  for (const o of objects) {
    const fields = immutableFields(o);
    if (fields === undefined) continue;
    out[`${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`] = JSON.parse(JSON.stringify(fields));
  }
  return out;
}

const current: Record<string, { objects: any[]; fields: Record<string, Fields> }> = Object.fromEntries(exampleNames().map(name => {
  const objects = checkedByApiServer(parseYaml(synthExample(name)));
  return [name, { objects, fields: immutableOf(objects) }];
}));

if (process.env.UPDATE_IMMUTABLE_GOLDEN === '1') {
  fs.writeFileSync(GOLDEN, `${JSON.stringify(Object.fromEntries(Object.entries(current).map(([n, c]) => [n, c.fields])), undefined, 2)}\n`);
}
const golden: Record<string, Record<string, Fields>> = JSON.parse(fs.readFileSync(GOLDEN, 'utf-8'));

describe.each(exampleNames())('example %s', (name) => {
  test('keeps the immutable fields of the last reviewed release (an upgrade of the library applies cleanly)', () => {
    // GIVEN the golden fields WHEN the example synthesizes with this version THEN they are the same
    expect(golden[name]).toBeDefined();
    expect(current[name].fields).toEqual(golden[name]);
  });

  const statefulSets = current[name].objects.filter(o => o.kind === 'StatefulSet');
  if (statefulSets.length === 0) return;
  test.each(statefulSets.map(s => [s.metadata.name, s]))('the API server accepts this version of StatefulSet %s over the golden one', async (_n, sts) => {
    // GIVEN the StatefulSet as the last release made it (its immutable fields from the golden file)
    const key = `StatefulSet ${sts.metadata.namespace ? `${sts.metadata.namespace}/` : ''}${sts.metadata.name}`;
    const before = { ...sts, spec: { ...sts.spec, ...golden[name]?.[key] } };
    // WHEN it is applied, then this version THEN the server takes the update
    expect(await updateVerdict(before, sts)).toEqual({ accepted: true });
  });
});

test('the oracle refuses a changed claim template (control: the tests above can fail)', async () => {
  // GIVEN a StatefulSet of an example WHEN its claim template asks for another size
  const sts = Object.values(current).flatMap(c => c.objects).find(o => o.kind === 'StatefulSet');
  const template = sts.spec.volumeClaimTemplates[0];
  const grown = { ...sts, spec: { ...sts.spec, volumeClaimTemplates: [{ ...template, spec: { ...template.spec, resources: { requests: { storage: '999Gi' } } } }] } };
  // THEN the server refuses the update, and the golden comparison would flag it
  const verdict = await updateVerdict(sts, grown);
  expect(verdict.accepted).toBe(false);
  expect(verdict.message).toContain('Forbidden: updates to statefulset spec');
  expect(immutableFields(grown)).not.toEqual(immutableFields(sts));
});

test('every example is in the golden file, and nothing else', () => {
  expect(Object.keys(golden).sort()).toEqual(exampleNames());
});
