import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { cli } from './cli-harness';

describe('hostile input', () => {
  test('any text on standard input ends with exit 0, 1 or 2 and never throws', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.anything().map(v => { try { return stringify(v); } catch { return 'x'; } }),
      fc.anything().map(v => { try { return JSON.stringify(v) ?? ''; } catch { return ''; } }),
    ), async text => {
      const result = await cli(['check', '--format', 'json', '-'], { stdin: text });
      expect([0, 1, 2]).toContain(result.code);
      if (result.code === 2) expect(result.stderr).toMatch(/^cdk8s-stateful: /);
      else JSON.parse(result.stdout);
    }), { numRuns: 200 });
  });

  test('any object shaped like a manifest is checked without an internal error', async () => {
    const manifest = fc.record({
      apiVersion: fc.constantFrom('v1', 'apps/v1', 'storage.k8s.io/v1'),
      kind: fc.constantFrom('Deployment', 'StatefulSet', 'PersistentVolumeClaim', 'StorageClass', 'Service', 'List', 'PodList'),
      metadata: fc.oneof(fc.anything(), fc.record({ name: fc.string(), namespace: fc.string(), annotations: fc.anything() })),
      spec: fc.anything(),
      items: fc.anything(),
    }, { requiredKeys: ['apiVersion', 'kind'] });
    await fc.assert(fc.asyncProperty(fc.array(manifest, { maxLength: 4 }), async docs => {
      const result = await cli(['check', '--format', 'sarif', '-'], { stdin: docs.map(d => JSON.stringify(d)).join('\n---\n') });
      expect([0, 1, 2]).toContain(result.code);
      if (result.code !== 2) expect(JSON.parse(result.stdout).version).toBe('2.1.0');
      else expect(result.stderr).not.toMatch(/\n\s+at /);
    }), { numRuns: 200 });
  });
});
