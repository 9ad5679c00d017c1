import { cli } from './cli-harness';
import { exampleNames, synthExample } from '../../examples/examples';

describe('the library examples through the command-line checker', () => {
  test.each(exampleNames())('%s: its synthesized YAML passes with no error, as it passes synth', async name => {
    // GIVEN the example's YAML (synth itself runs the guards and would have thrown on an error)
    const yaml = synthExample(name);
    // WHEN
    const result = await cli(['check', '--format', 'json', '-'], { stdin: yaml });
    // THEN
    const report = JSON.parse(result.stdout);
    expect(result.stderr).toBe('');
    expect(report.objects).toBeGreaterThan(0);
    expect(report.errorCount).toBe(0);
    expect(result.code).toBe(0);
  });
});
