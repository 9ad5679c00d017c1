import * as fs from 'fs';
import * as path from 'path';
import { Chart, Size, Testing } from 'cdk8s';
import { containers } from './helpers';
import { LogCollectorDaemon, LogOutput, NodeExporterDaemon } from '../../src/daemons';
import { BackupPolicy, DatabaseEngine, StatefulDatabase } from '../../src/database';
import { synth } from '../harness';

/**
 * Images disappear: registries retire tags, and a default that cannot be pulled breaks every user
 * at once (the snapshot job's `bitnami/kubectl:1.28` did). Each pattern is a source known to be
 * gone or frozen; the reason is shown when a default matches.
 */
const DEAD_SOURCES: Array<[RegExp, string]> = [
  [/^(docker\.io\/)?bitnami\/[^:@]+[:@]/, "Bitnami removed its versioned tags from Docker Hub in 2025 (only 'latest' of a few images stays)"],
  [/^(docker\.io\/)?bitnamilegacy\//, "Bitnami's frozen copy of its old tags: never updated, announced for removal"],
  [/^k8s\.gcr\.io\//, 'k8s.gcr.io is frozen since 2023 and being shut down: registry.k8s.io replaces it'],
  [/^gcr\.io\/google[-_]containers\//, 'the old alias of k8s.gcr.io, frozen with it'],
];

function deadSource(image: string): string | undefined {
  return DEAD_SOURCES.find(([re]) => re.test(image))?.[1];
}

/** Pinned: a tag other than latest, or a digest. */
function pinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = /:([\w][\w.-]{0,127})$/.exec(image.replace(/^[^/]+:\d+\//, ''))?.[1];
  return tag !== undefined && tag !== 'latest';
}

/** Every image the library picks when the user names none: databases, exporters, backup jobs, node agents. */
function defaultImages(): string[] {
  const chart = new Chart(Testing.app(), 'defaults', { namespace: 'defaults' });
  const engines = [DatabaseEngine.postgres({ version: '16.4' }), DatabaseEngine.mysql({ version: '8.0.39' }), DatabaseEngine.mariadb({ version: '11.4' })];
  engines.forEach((engine, i) => new StatefulDatabase(chart, `db${i}`, {
    engine,
    replicas: 2,
    storage: { size: Size.gibibytes(5) },
    metrics: {},
    backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 3, storage: { size: Size.gibibytes(5) } }),
  }).addBackup(BackupPolicy.volumeSnapshots({ schedule: '0 4 * * *', keep: 3, snapshotClass: { volumeSnapshotClassName: 'snapshots' } })));
  const exporterChart = Testing.chart();
  const exporter = new NodeExporterDaemon(exporterChart, 'node-exporter');
  const logsChart = Testing.chart();
  const logs = new LogCollectorDaemon(logsChart, 'logs', { output: LogOutput.stdout() });
  // Node agents mount the host: the API server check admits them at the level they declare.
  const objects = [
    ...synth(chart),
    ...synth(exporterChart, { podSecurity: exporter.podSecurityLevel }),
    ...synth(logsChart, { podSecurity: logs.podSecurityLevel }),
  ];
  return [...new Set(containers(objects).map(c => c.image))].sort();
}

describe('default images', () => {
  const images = defaultImages();

  test('cover the databases, their exporters, both backup jobs and the node agents', () => {
    expect(images).toEqual(expect.arrayContaining([
      'postgres:16.4', 'mysql:8.0.39', 'mariadb:11.4', 'alpine/k8s:1.34.1',
      expect.stringContaining('postgres-exporter'), expect.stringContaining('mysqld-exporter'),
      expect.stringContaining('node-exporter'), expect.stringContaining('fluent-bit'),
    ]));
  });

  test.each(images)('%s comes from a source that still serves it, at a pinned tag', (image) => {
    expect({ image, dead: deadSource(image) }).toEqual({ image, dead: undefined });
    expect(pinned(image)).toBe(true);
  });

  test('the check knows the dead sources (control: the tests above can fail)', () => {
    expect(deadSource('bitnami/kubectl:1.28')).toMatch(/Bitnami removed/);
    expect(deadSource('docker.io/bitnami/postgresql:16.4.0')).toMatch(/Bitnami removed/);
    expect(deadSource('bitnamilegacy/kubectl:1.28')).toMatch(/frozen/);
    expect(deadSource('k8s.gcr.io/kube-state-metrics/kube-state-metrics:v2.9.2')).toMatch(/registry.k8s.io/);
    expect(deadSource('registry.k8s.io/kubectl:v1.31.0')).toBeUndefined();
    expect(pinned('alpine/k8s:latest')).toBe(false);
    expect(pinned('registry.example.com:5000/kubectl')).toBe(false);
  });

  test('no string in the library source names an image of a dead source', () => {
    // GIVEN every source file, comments removed (the guards' docs may name such images as examples)
    const root = path.join(__dirname, '..', '..', 'src');
    const files: string[] = [];
    const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach(d => d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith('.ts') && files.push(path.join(dir, d.name)));
    walk(root);
    // WHEN the string literals are read THEN none is an image reference of a dead source
    const found = files.flatMap(file => {
      const code = fs.readFileSync(file, 'utf-8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '');
      const literals = [...code.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`/g)].map(m => m[1] ?? m[2] ?? m[3]);
      return literals.filter(l => deadSource(l.trim()) !== undefined).map(l => `${path.relative(root, file)}: ${l}`);
    });
    expect(found).toEqual([]);
    expect(files.length).toBeGreaterThan(20);
  });
});
