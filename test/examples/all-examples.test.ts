import { exampleNames, synthExample } from '../../examples/examples';
import { parseYaml, assertValid } from '../harness';

// Every example synthesizes (guards included) and every object passes the 1.28 schema.
// Each example's key properties are asserted in test/examples/<name>.test.ts.
describe.each(exampleNames())('example %s', (name) => {
  test('synthesizes schema-valid objects', () => {
    const objects = assertValid(parseYaml(synthExample(name)));
    expect(objects.length).toBeGreaterThan(0);
  });
});

test('there are examples to test', () => {
  expect(exampleNames().length).toBeGreaterThan(0);
});
