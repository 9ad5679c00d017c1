/**
 * ShellCheck (installed from Debian by ensure-servers.sh: npm has none) finds nothing, down to the
 * style level, in the shipped scripts read as POSIX sh.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ensureServers, SCRIPTS, SCRIPTS_DIR } from './servers/servers';

beforeAll(() => {
  ensureServers();
}, 900_000);

// The shipped scripts, and the test scripts that install what the tests need.
const INSTALLERS = [
  path.join(__dirname, 'servers', 'ensure-servers.sh'),
  path.join(__dirname, 'servers', 'ensure-redis.sh'),
  path.join(__dirname, '..', 'inventory', 'ensure-chromium.sh'),
  path.join(__dirname, '..', 'harness', 'apt-install.sh'),
];

test.each([...SCRIPTS.map((s) => path.join(SCRIPTS_DIR, s)), ...INSTALLERS])(
  'shellcheck -s sh -S style finds nothing in %s', (file) => {
    const r = spawnSync('shellcheck', ['--shell=sh', '--severity=style', '--format=gcc', file], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
