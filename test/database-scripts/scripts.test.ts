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
  test('the scripts the construct ships (DATABASE_SCRIPTS), and only they, are in assets/database', () => {
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

  describe('logical-backup.sh with fake dump tools', () => {
    let dir: string;
    let backups: string;
    beforeEach(() => {
      dir = makeTempRoot('cdk8s-stateful-fakedump-');
      backups = path.join(dir, 'backups');
      fs.mkdirSync(backups);
      fs.mkdirSync(path.join(dir, 'bin'));
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });
    function fakeTool(name: string, body: string): void {
      fs.writeFileSync(path.join(dir, 'bin', name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    }
    const run = (engine: string) => runScript('logical-backup.sh', {
      DB_ENGINE: engine, DB_HOST: 'db', DB_PORT: '5432', DB_USER: 'u', DB_PASSWORD: 'secret', BACKUP_DIR: backups, BACKUP_KEEP: '2',
    }, { pathPrefix: path.join(dir, 'bin') });

    test('refuses an empty dump from a tool that exits 0', () => {
      fakeTool('pg_dumpall', 'exit 0');
      const r = run('postgres');
      expectStatus(r, 1);
      expect(r.stderr).toContain('the dump is empty or truncated (no completion trailer); no dump written');
      expect(fs.readdirSync(backups)).toEqual([]);
    });

    test('refuses a truncated dump (no completion trailer) from a tool that exits 0', () => {
      fakeTool('mariadb-dump', 'echo "-- MariaDB dump"; echo "CREATE TABLE t (id int);"; exit 0');
      const r = run('mariadb');
      expectStatus(r, 1);
      expect(r.stderr).toContain('no completion trailer');
      expect(fs.readdirSync(backups)).toEqual([]);
    });

    test('the dump tool\'s failure crosses the gzip pipeline (POSIX sh has no pipefail)', () => {
      fakeTool('mysqldump', 'echo "-- partial output"; echo "mysqldump: Got error: 2013: Lost connection" >&2; exit 2');
      const r = run('mysql');
      expectStatus(r, 1);
      expect(r.stderr).toContain('mysqldump failed (exit 2); no dump written');
      expect(r.stderr).toContain('Lost connection');
      expect(fs.readdirSync(backups)).toEqual([]);
    });

    test('passes the password only through the environment, never as an argument', () => {
      fakeTool('pg_dumpall', [
        'case "$*" in *secret*) echo "password in argv" >&2; exit 9;; esac',
        '[ "$PGPASSWORD" = secret ] || { echo "no PGPASSWORD" >&2; exit 8; }',
        'echo "SELECT 1;"; echo "--"; echo "-- PostgreSQL database cluster dump complete"; echo "--"',
      ].join('\n'));
      fakeTool('mysqldump', [
        'case "$*" in *secret*) echo "password in argv" >&2; exit 9;; esac',
        '[ "$MYSQL_PWD" = secret ] || { echo "no MYSQL_PWD" >&2; exit 8; }',
        'echo "SELECT 1;"; echo "-- Dump completed on 2026-01-01  3:00:00"',
      ].join('\n'));
      expectStatus(run('postgres'), 0);
      expectStatus(run('mysql'), 0);
      expect(fs.readdirSync(backups).map((f) => f.replace(/\d{8}T\d{6}Z/, 'TS'))).toEqual(['mysql-TS.sql.gz', 'postgres-TS.sql.gz']);
    });
  });
});
