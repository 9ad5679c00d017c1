import { changed, claim, compare, persistentVolume, statefulSet, storageClass, su, workload } from './fixtures';
import { Guards } from '../../../src/guards';

/** Values of the wrong type, or missing, at fields the baseline rules read. */
const HOSTILE: unknown[] = [undefined, null, 0, -1, 1e400, 'x', '', true, [], [null, 7, 'x'], {}, { nested: { deep: [1] } }];

const PATHS: Array<[() => any, string[]]> = [
  [statefulSet, ['spec']],
  [statefulSet, ['spec', 'volumeClaimTemplates']],
  [statefulSet, ['spec', 'volumeClaimTemplates', '0']],
  [statefulSet, ['spec', 'volumeClaimTemplates', '0', 'metadata']],
  [statefulSet, ['spec', 'volumeClaimTemplates', '0', 'spec', 'resources']],
  [statefulSet, ['spec', 'volumeClaimTemplates', '0', 'spec', 'resources', 'requests', 'storage']],
  [statefulSet, ['spec', 'volumeClaimTemplates', '0', 'spec', 'storageClassName']],
  [statefulSet, ['spec', 'replicas']],
  [statefulSet, ['spec', 'ordinals']],
  [statefulSet, ['spec', 'persistentVolumeClaimRetentionPolicy']],
  [statefulSet, ['spec', 'template', 'spec', 'containers']],
  [statefulSet, ['spec', 'template', 'spec', 'containers', '0', 'image']],
  [statefulSet, ['metadata']],
  [statefulSet, ['metadata', 'name']],
  [statefulSet, ['metadata', 'namespace']],
  [statefulSet, ['apiVersion']],
  [claim, ['spec', 'resources', 'requests']],
  [claim, ['spec', 'storageClassName']],
  [claim, ['spec', 'dataSourceRef']],
  [claim, ['metadata', 'annotations']],
  [storageClass, ['parameters']],
  [storageClass, ['provisioner']],
  [persistentVolume, ['spec', 'persistentVolumeReclaimPolicy']],
  [() => workload('Deployment'), ['spec', 'selector']],
  [() => workload('Job'), ['spec', 'selector', 'matchLabels']],
];

function set(o: any, path: string[], value: unknown): any {
  return changed(o, copy => {
    let at = copy;
    for (const key of path.slice(0, -1)) {
      if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
      at = at[key];
    }
    at[path[path.length - 1]] = value;
  });
}

describe('hostile inputs never crash the baseline rules', () => {
  test.each(PATHS.map(([make, path]) => [path.join('.'), make().kind, make, path] as const))('%s of a %s, as any value, in either output', (_p, _k, make, path) => {
    const good = make();
    for (const value of HOSTILE) {
      const bad = set(good, path, value);
      // WHEN the bad object is the baseline, the new output, or both THEN a report, never a throw
      for (const [previous, current] of [[bad, good], [good, bad], [bad, bad]]) {
        const report = compare([previous], [current]);
        expect(Array.isArray(report.findings)).toBe(true);
        for (const f of su(report)) expect(typeof f.message).toBe('string');
      }
    }
  });

  test('a baseline that is not an array of objects is refused with a message', () => {
    expect(() => Guards.check([], { baseline: 'dist' as any })).toThrow('Guards.check: baseline must be an array of Kubernetes objects (the previous output, parsed), got "dist".');
    expect(() => Guards.check([], { baseline: [null] as any })).toThrow(/baseline\[0\] must be a Kubernetes object/);
  });

  test('objects without kind or name in the baseline are ignored, not reported as removed', () => {
    const nameless = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {} };
    expect(su(compare([{ apiVersion: 'v1' }, { kind: 'PersistentVolumeClaim' }, nameless], []))).toEqual([]);
    // Control: the same claim with a name is reported.
    expect(su(compare([{ ...nameless, metadata: { name: 'data' } }], []), 'SU005')).toHaveLength(1);
  });
});
