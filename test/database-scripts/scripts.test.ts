/**
 * Every shipped script is POSIX sh: it parses with sh and dash (Debian's /bin/sh, which fails on
 * bashisms), starts with #!/bin/sh and set -eu, is executable, and fails with a message, not a shell
 * error, when its environment is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expectStatus, makeTempRoot, runScript, SCRIPTS, SCRIPTS_DIR } from './servers/servers';

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

  describe('reject bad input before touching anything', () => {
    let dir: string;
    beforeAll(() => {
      dir = makeTempRoot('cdk8s-stateful-input-');
    });
    afterAll(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const backup = () => ({
      DB_ENGINE: 'postgres', DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_USER: 'postgres', DB_PASSWORD: 'x', BACKUP_DIR: dir, BACKUP_KEEP: '3',
    });
    test.each([
      [{ BACKUP_KEEP: '0' }, "BACKUP_KEEP must be a whole number >= 1, got '0'"],
      [{ BACKUP_KEEP: '000' }, "BACKUP_KEEP must be a whole number >= 1, got '0'"],
      [{ BACKUP_KEEP: 'seven' }, "BACKUP_KEEP must be a whole number >= 1, got 'seven'"],
      [{ BACKUP_KEEP: '99999999999999999999' }, 'BACKUP_KEEP must be a whole number >= 1'],
      [{ DB_ENGINE: 'oracle' }, "DB_ENGINE must be postgres, mysql or mariadb, got 'oracle'"],
      [{ DB_PORT: '5432; rm -rf /' }, 'DB_PORT must be a number'],
      [{ BACKUP_DIR: '/nonexistent/backups' }, 'BACKUP_DIR /nonexistent/backups is not a directory (is the backup claim mounted?)'],
    ])('logical-backup.sh rejects %j', (env, message) => {
      const r = runScript('logical-backup.sh', { ...backup(), ...env });
      expectStatus(r, 1);
      expect(r.stderr).toContain(message);
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    test.each([
      ['postgres-replica-init.sh', { POD_NAME: 'orders', PGDATA: '/nonexistent/pgdata' }, "cannot read an ordinal from POD_NAME 'orders'"],
      ['postgres-replica-init.sh', {
        POD_NAME: 'orders-1',
        PGDATA: '/nonexistent/pgdata',
        PRIMARY_HOST: 'h',
        PRIMARY_PORT: '5432',
        REPLICATION_USER: 'r',
        REPLICATION_PASSWORD: 'p',
        PRIMARY_WAIT_SECONDS: '5m',
      }, "PRIMARY_WAIT_SECONDS must be a whole number of seconds, got '5m'"],
      ['postgres-primary-init.sh', { REPLICATION_USER: '1repl', REPLICATION_PASSWORD: 'p' }, 'REPLICATION_USER must start with a letter or _'],
      ['postgres-primary-init.sh', { REPLICATION_USER: 'r'.repeat(64), REPLICATION_PASSWORD: 'p' }, 'REPLICATION_USER is longer than 63 characters'],
      ['mysql-replication-init.sh', {
        POD_NAME: 'db-1', DB_FLAVOR: 'mariadb', REPLICATION_USER: "r'; DROP USER root; --", REPLICATION_PASSWORD: 'p',
      }, 'REPLICATION_USER may hold only letters, digits and _'],
      ['mysql-replication-init.sh', { POD_NAME: 'db-1', DB_FLAVOR: 'sqlite', REPLICATION_USER: 'r', REPLICATION_PASSWORD: 'p' }, "DB_FLAVOR must be mysql or mariadb, got 'sqlite'"],
      ['mysql-replication-init.sh', {
        POD_NAME: 'db-1',
        DB_FLAVOR: 'mariadb',
        REPLICATION_USER: 'r',
        REPLICATION_PASSWORD: 'p',
        PRIMARY_HOST: 'h',
        PRIMARY_PORT: '33o6',
        MYSQL_HOST: '127.0.0.1',
        MYSQL_TCP_PORT: '1',
      }, "PRIMARY_PORT must be a number, got '33o6'"],
    ])('%s rejects %j', (script, env, message) => {
      const r = runScript(script, env as Record<string, string>);
      expectStatus(r, 1);
      expect(r.stderr).toContain(message);
    });
  });
});
