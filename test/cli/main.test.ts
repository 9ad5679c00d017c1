import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LITERAL_PASSWORD_MYSQL } from './cli-harness';

const ROOT = path.join(__dirname, '..', '..');

describe('the cdk8s-stateful entry point', () => {
  test('main.ts starts with the node shebang (it is the package bin)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'src', 'cli', 'main.ts'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('run as a process it reads stdin and sets the exit code', () => {
    // WHEN
    const result = spawnSync(process.execPath, [
      require.resolve('ts-node/dist/bin'), '--transpile-only', '-P', path.join(ROOT, 'tsconfig.json'),
      path.join(ROOT, 'src', 'cli', 'main.ts'), 'check', '--format', 'json', '-',
    ], { cwd: ROOT, input: fs.readFileSync(LITERAL_PASSWORD_MYSQL), encoding: 'utf8', timeout: 60_000 });
    // THEN
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).findings.filter((f: any) => f.severity === 'error').map((f: any) => f.ruleId)).toEqual(['SG009']);
  });
});
