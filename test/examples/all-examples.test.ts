import { exampleNames, synthExample } from '../../examples/examples';
import { parseYaml, checkedByApiServer } from '../harness';

// Every example synthesizes (guards included) and every object passes the 1.28 schema.
// Each example's key properties are asserted in test/examples/<name>.test.ts; the snapshot
// catches any other change of the manifests users read (CI fails when a run rewrites it).
describe.each(exampleNames())('example %s', (name) => {
  test('synthesizes schema-valid objects that match the reviewed snapshot', () => {
    const yaml = synthExample(name);
    const objects = checkedByApiServer(parseYaml(yaml));
    expect(objects.length).toBeGreaterThan(0);
    expect(yaml).toMatchSnapshot();
  });
});

test('there are examples to test', () => {
  expect(exampleNames().length).toBeGreaterThanOrEqual(6);
});
