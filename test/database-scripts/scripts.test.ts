/**
 * Every shipped script is POSIX sh: it parses with sh and dash (Debian's /bin/sh, which fails on
 * bashisms), starts with #!/bin/sh and set -eu, is executable, and fails with a message, not a shell
 * error, when its environment is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runScript, SCRIPTS, SCRIPTS_DIR } from './servers/servers';

const ALL = [...SCRIPTS.map((s) => path.join(SCRIPTS_DIR, s)), path.join(__dirname, 'servers', 'ensure-servers.sh')];

describe('the database scripts', () => {
  test('the contract\'s six scripts, and only they, are shipped in assets/database', () => {
    expect(fs.readdirSync(SCRIPTS_DIR).sort()).toEqual([...SCRIPTS].sort());
  });

  test.each(ALL)('%s parses with sh -n and dash -n', (file) => {
    for (const shell of ['sh', 'dash']) {
      const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  test.each(ALL)('%s is a #!/bin/sh script with set -eu, executable, without common bashisms', (file) => {
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toMatch(/^set -eu$/m);
    expect(() => fs.accessSync(file, fs.constants.X_OK)).not.toThrow();
    expect((fs.statSync(file).mode % 0o1000).toString(8)).toBe('755');
    const code = text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    for (const bashism of [/\[\[/, /^\s*function\s/m, /<<</, /\$'/, /pipefail/, /\$\{[A-Za-z_]+\/\//, /\$RANDOM/, /\bsource\s/, /&>/, /\$\{[A-Za-z_]+:[0-9]/]) {
      expect(code).not.toMatch(bashism);
    }
  });

  test.each(SCRIPTS)('%s, run by dash with an empty environment, exits non-zero with a message naming what is missing', (script) => {
    const r = runScript(script, {});
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/is required/);
    expect(r.stderr).not.toMatch(/Syntax error|not found|bad substitution/i);
  });
});
