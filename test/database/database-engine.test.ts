import { DatabaseEngine, EngineKind } from '../../src/database';
import { StatefulError } from '../../src/internal/errors';

describe('DatabaseEngine', () => {
  test.each([
    ['postgres', () => DatabaseEngine.postgres({ version: '16.4' }), 'postgres:16.4', 5432, EngineKind.POSTGRES],
    ['postgres major only', () => DatabaseEngine.postgres({ version: '17' }), 'postgres:17', 5432, EngineKind.POSTGRES],
    ['mysql', () => DatabaseEngine.mysql({ version: '8.0.39' }), 'mysql:8.0.39', 3306, EngineKind.MYSQL],
    ['mysql LTS', () => DatabaseEngine.mysql({ version: '8.4' }), 'mysql:8.4', 3306, EngineKind.MYSQL],
    ['mariadb', () => DatabaseEngine.mariadb({ version: '11.4' }), 'mariadb:11.4', 3306, EngineKind.MARIADB],
    ['mariadb patch', () => DatabaseEngine.mariadb({ version: '10.11.9' }), 'mariadb:10.11.9', 3306, EngineKind.MARIADB],
  ])('pins the official image for %s', (_name, make, image, port, kind) => {
    const engine = make();
    expect([engine.image, engine.port, engine.kind, engine.uid]).toEqual([image, port, kind, 999]);
    expect(engine.supportsReplication).toBe(true);
  });

  test('takes a mirror repository, never a tag in it', () => {
    expect(DatabaseEngine.postgres({ version: '16.4', repository: 'registry.example.com:5000/mirror/postgres' }).image)
      .toBe('registry.example.com:5000/mirror/postgres:16.4');
    expect(() => DatabaseEngine.postgres({ version: '16.4', repository: 'postgres:15' })).toThrow(
      "DatabaseEngine.postgres: repository must be an image repository without a tag, such as 'registry.example.com/mirror/postgres', got \"postgres:15\".");
  });

  test.each([
    ['postgres', () => DatabaseEngine.postgres({ version: 'latest' }), "DatabaseEngine.postgres: version must be a PostgreSQL version such as '16.4' or '16' (13 or later), got \"latest\"."],
    ['postgres too old', () => DatabaseEngine.postgres({ version: '12.20' }), "DatabaseEngine.postgres: version must be a PostgreSQL version such as '16.4' or '16' (13 or later), got \"12.20\"."],
    ['postgres three parts', () => DatabaseEngine.postgres({ version: '16.4.1' }), /PostgreSQL version/.source],
    ['mysql', () => DatabaseEngine.mysql({ version: '8' }), "DatabaseEngine.mysql: version must be a MySQL version such as '8.0.39' or '8.4' (8.0.23 or later), got \"8\"."],
    ['mysql before the replica syntax', () => DatabaseEngine.mysql({ version: '8.0.22' }), /8.0.23 or later/.source],
    ['mysql 5.7', () => DatabaseEngine.mysql({ version: '5.7.44' }), /8.0.23 or later/.source],
    ['mariadb', () => DatabaseEngine.mariadb({ version: '11.4-jammy' }), "DatabaseEngine.mariadb: version must be a MariaDB version such as '11.4' or '10.11.9' (10.5 or later), got \"11.4-jammy\"."],
    ['mariadb too old', () => DatabaseEngine.mariadb({ version: '10.4' }), /10.5 or later/.source],
    ['no options', () => DatabaseEngine.postgres(undefined as any), /version must be a PostgreSQL version/.source],
    ['a number', () => DatabaseEngine.postgres({ version: 16 as any }), /got 16\./.source],
    ['custom without a tag', () => DatabaseEngine.custom({ name: 'redis', image: 'redis', port: 6379, dataPath: '/data' }),
      "DatabaseEngine.custom: image must be an image reference with a pinned tag or digest, such as 'redis:7.2.5' (not 'latest'), got \"redis\"."],
    ['custom latest', () => DatabaseEngine.custom({ name: 'redis', image: 'redis:latest', port: 6379, dataPath: '/data' }), /not 'latest'/.source],
    ['custom port', () => DatabaseEngine.custom({ name: 'redis', image: 'redis:7', port: 70000, dataPath: '/data' }),
      'DatabaseEngine.custom: port must be an integer from 1 to 65535, got 70000.'],
    ['custom data path', () => DatabaseEngine.custom({ name: 'redis', image: 'redis:7', port: 6379, dataPath: 'data' }), /dataPath must be an absolute path/.source],
    ['custom root data path', () => DatabaseEngine.custom({ name: 'redis', image: 'redis:7', port: 6379, dataPath: '/' }), 'DatabaseEngine.custom: dataPath must be a directory below /, got "/".'],
    ['custom name', () => DatabaseEngine.custom({ name: 'Redis', image: 'redis:7', port: 6379, dataPath: '/data' }), /name must be a DNS-1123 label/.source],
    ['custom probe', () => DatabaseEngine.custom({ name: 'redis', image: 'redis:7', port: 6379, dataPath: '/data', probeCommand: [] }),
      'DatabaseEngine.custom: probeCommand must be a non-empty list of strings, got [].'],
    ['custom root uid', () => DatabaseEngine.custom({ name: 'redis', image: 'redis:7', port: 6379, dataPath: '/data', uid: 0 }), /uid must be an integer from 1/.source],
  ])('rejects a bad %s', (_name, make, message) => {
    let error: unknown;
    try { make(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(StatefulError);
    if (message.startsWith('DatabaseEngine')) expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(new RegExp(message));
  });

  test('a custom engine does not replicate', () => {
    const engine = DatabaseEngine.custom({ name: 'redis', image: 'redis@sha256:' + 'a'.repeat(64), port: 6379, dataPath: '/data', uid: 1000 });
    expect([engine.kind, engine.name, engine.uid, engine.supportsReplication]).toEqual([EngineKind.CUSTOM, 'redis', 1000, false]);
  });
});
