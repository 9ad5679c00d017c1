import { parseArgs, UsageError } from '../../src/cli/args';

describe('argument parsing', () => {
  test('check with defaults', () => {
    expect(parseArgs(['check', 'a.yaml', 'dir'])).toEqual({ command: 'check', inputs: ['a.yaml', 'dir'], format: 'text', strict: false, namespace: undefined });
  });

  test('options before or after the inputs, with = or a separate value, -n for --namespace', () => {
    expect(parseArgs(['check', '--format=sarif', 'a.yaml', '--strict', '-n', 'shop', '-'])).toEqual({
      command: 'check', inputs: ['a.yaml', '-'], format: 'sarif', strict: true, namespace: 'shop',
    });
  });

  test('-- ends the options (a file named like an option)', () => {
    expect(parseArgs(['check', '--', '--strict']).inputs).toEqual(['--strict']);
  });

  test('--help wins over everything else', () => {
    expect(parseArgs(['check', '--rules', '--help', 'x']).command).toBe('help');
    expect(parseArgs(['help']).command).toBe('help');
  });

  test('--rules and --version need no input', () => {
    expect(parseArgs(['--rules']).command).toBe('rules');
    expect(parseArgs(['check', '--version']).command).toBe('version');
  });

  test('errors are UsageErrors with one sentence', () => {
    expect(() => parseArgs(['check', '-n'])).toThrow(new UsageError('option -n needs a value.'));
    expect(() => parseArgs(['check', '--format', '--strict', 'x'])).toThrow(new UsageError('option --format needs a value.'));
  });
});
