/**
 * Real Cassandra for the CassandraRing test: `org.apache.cassandra:cassandra-all` at the ring's
 * version and its runtime dependencies, copied once from Maven Central by Maven itself
 * (`mvn dependency:copy-dependencies`) into ~/.cache/cdk8s-stateful/cassandra/<version>/lib, run
 * with this machine's JDK 17 and the `--add-exports`/`--add-opens` of Cassandra's own
 * conf/jvm17-server.options (the jar does not carry the distribution's conf/ directory).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function cacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk8s-stateful');
}

/** The directory of the jars of Cassandra `version` (downloaded once; one progress line, Maven's output in a log). */
export function ensureCassandra(version: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a Cassandra release: ${version}`);
  const dir = path.join(cacheRoot(), 'cassandra', version);
  const lib = path.join(dir, 'lib');
  if (fs.existsSync(path.join(lib, '.complete'))) return lib;
  fs.mkdirSync(dir, { recursive: true });
  // A project whose only dependency is cassandra-all: copy-dependencies copies it and its runtime closure.
  fs.writeFileSync(path.join(dir, 'pom.xml'), [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>io.cdk8s.stateful.test</groupId><artifactId>cassandra-jars</artifactId><version>1</version><packaging>pom</packaging>',
    `  <dependencies><dependency><groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId><version>${version}</version></dependency></dependencies>`,
    '</project>',
    '',
  ].join('\n'));
  const script = [
    'set -e',
    '[ -f lib/.complete ] && exit 0',
    'echo "downloading Cassandra $VERSION and its dependencies with Maven (first run on this machine; log: $PWD/maven.log)" >&2',
    'rm -rf lib.tmp',
    'mvn -B -q -Dmaven.repo.local="$PWD/m2" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=lib.tmp >maven.log 2>&1'
    + ' || { tail -n 30 maven.log >&2; exit 1; }',
    'rm -rf lib && mv lib.tmp lib && touch lib/.complete',
    // The local repository is only a download cache: the jars are in lib/.
    'rm -rf m2',
  ].join('\n');
  const r = spawnSync('flock', ['-w', '1200', path.join(dir, '.lock'), 'sh', '-c', script], {
    cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, VERSION: version }, timeout: 1_200_000,
  });
  if (r.status !== 0 || !fs.existsSync(path.join(lib, '.complete'))) throw new Error(`downloading Cassandra ${version} failed (exit ${r.status}); see ${dir}/maven.log`);
  return lib;
}

/**
 * The JVM options Cassandra 5.0 needs on JDK 17: the "JPMS" and Netty lines of its
 * conf/jvm17-server.options (the jar does not carry the distribution's conf/ directory).
 */
export const JVM17_OPTIONS = [
  '-Djdk.attach.allowAttachSelf=true',
  ...[
    'java.base/jdk.internal.misc', 'java.management.rmi/com.sun.jmx.remote.internal.rmi', 'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server', 'java.sql/java.sql', 'java.base/java.lang.ref', 'jdk.unsupported/sun.misc',
    'jdk.compiler/com.sun.tools.javac.file', 'jdk.attach/sun.tools.attach',
  ].map(p => `--add-exports=${p}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang.module', 'java.base/jdk.internal.loader', 'java.base/jdk.internal.ref', 'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math', 'java.base/jdk.internal.module', 'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal', 'java.base/sun.nio.ch', 'java.base/java.io', 'java.base/java.lang.reflect',
    'jdk.compiler/com.sun.tools.javac', 'java.base/java.lang', 'java.base/java.util',
  ].map(p => `--add-opens=${p}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dio.netty.allocator.useCacheForAllThreads=true',
  '-Dio.netty.allocator.maxOrder=11',
];
