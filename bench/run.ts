/**
 * `npm run bench`: two benchmarks, each against a floor measured in the same run.
 *
 * The library: time to construct and synthesize apps of N StatefulDatabases against a floor
 * measured in the same run: the very same manifests emitted as plain ApiObjects from precomputed
 * JSON (construct + `app.synthYaml()` on every side). The library runs with its guards (on by
 * default) and without them, so the guards' own cost is printed too. Prints the median of several
 * repetitions.
 *
 * The checker: bench/checker.ts.
 *
 *   npm run bench               # both: N = 1, 10, 100, 1000, then the checker
 *   npm run bench -- 1000 5     # the library only: one N, five repetitions
 *   npm run bench -- checker    # the checker only
 */
import { App } from 'cdk8s';
import { performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import { benchChecker } from './checker';
import { buildDatabaseApp, buildDatabaseAppWithoutGuards, buildFloorApp } from './database-app';

const checkerOnly = process.argv[2] === 'checker';
const args = process.argv.slice(2).map(Number).filter(n => Number.isInteger(n) && n > 0);
const sizes = checkerOnly ? [] : args.length > 0 ? [args[0]] : [1, 10, 100, 1000];
const reps = args[1] ?? 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Start every timed run from a collected heap, so that neither side pays for the other's garbage.
v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');

function time(fn: () => string): { ms: number; out: string } {
  gc();
  const start = performance.now();
  const out = fn();
  return { ms: performance.now() - start, out };
}

// Warm up both paths (module loading, JIT, the scripts cache).
buildDatabaseApp(10).synthYaml();

const rows: string[] = [];
if (sizes.length > 0) console.log('N      objects  library ms  no-guards ms  floor ms  ratio  guards  per-database ms');
for (const n of sizes) {
  const manifests = buildDatabaseAppWithoutGuards(n).charts[0].toJson();
  const library: number[] = [];
  const bare: number[] = [];
  const floor: number[] = [];
  const variants: Array<[number[], () => App]> = [
    [library, () => buildDatabaseApp(n)],
    [bare, () => buildDatabaseAppWithoutGuards(n)],
    [floor, () => buildFloorApp(manifests)],
  ];
  // The three sides must emit the very same manifests, or the ratios mean nothing.
  const outputs = variants.map(([, build]) => build().synthYaml());
  if (new Set(outputs).size !== 1) throw new Error(`the library, no-guards and floor outputs differ at N=${n}`);
  for (let r = 0; r < reps; r++) {
    // Rotate the order so that no side always runs on a warmer heap.
    for (let k = 0; k < variants.length; k++) {
      const [samples, build] = variants[(r + k) % variants.length];
      samples.push(time(() => build().synthYaml()).ms);
    }
  }
  const lib = median(library);
  const noGuards = median(bare);
  const base = median(floor);
  const row = `${String(n).padEnd(6)} ${String(manifests.length).padEnd(8)} ${lib.toFixed(1).padStart(10)}  ${noGuards.toFixed(1).padStart(12)}`
    + `  ${base.toFixed(1).padStart(8)}  ${(lib / base).toFixed(2).padStart(5)}  ${`${((lib / noGuards - 1) * 100).toFixed(0)}%`.padStart(6)}`
    + `  ${(lib / n).toFixed(3).padStart(15)}`;
  rows.push(row);
  console.log(row);
}
if (sizes.length > 0) {
  console.log('ratio = library (guards on) / floor; guards = library / no-guards - 1');
  console.log(`(median of ${reps} repetitions; node ${process.version})`);
}
if (checkerOnly || args.length === 0) {
  benchChecker(gc, reps).then(() => console.log(`(median of ${reps} repetitions, 10,000 objects: of ${Math.max(3, Math.ceil(reps / 2))}; node ${process.version})`), (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
