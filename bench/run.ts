/**
 * `npm run bench`: time to construct and synthesize apps of N StatefulDatabases against a floor
 * measured in the same run: the very same manifests emitted as plain ApiObjects from precomputed
 * JSON (construct + `app.synthYaml()` on both sides). Prints the median of several repetitions.
 *
 *   npm run bench               # N = 1, 10, 100, 1000
 *   npm run bench -- 1000 5     # one N, five repetitions
 */
import { performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import { buildDatabaseApp, buildFloorApp } from './database-app';

const args = process.argv.slice(2).map(Number).filter(n => Number.isInteger(n) && n > 0);
const sizes = args.length > 0 ? [args[0]] : [1, 10, 100, 1000];
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
console.log('N      objects  construct+synth ms  floor ms  ratio  per-database ms');
for (const n of sizes) {
  const manifests = buildDatabaseApp(n).charts[0].toJson();
  const library: number[] = [];
  const floor: number[] = [];
  let checked = false;
  for (let r = 0; r < reps; r++) {
    // Alternate the order so neither side always runs on a warmer heap.
    const runs = r % 2 === 0
      ? [() => library.push(time(() => buildDatabaseApp(n).synthYaml()).ms), () => floor.push(time(() => buildFloorApp(manifests).synthYaml()).ms)]
      : [() => floor.push(time(() => buildFloorApp(manifests).synthYaml()).ms), () => library.push(time(() => buildDatabaseApp(n).synthYaml()).ms)];
    runs.forEach(run => run());
    if (!checked) {
      // The floor must emit the very same manifests, or the ratio means nothing.
      if (buildDatabaseApp(n).synthYaml() !== buildFloorApp(manifests).synthYaml()) throw new Error(`floor output differs from the library output at N=${n}`);
      checked = true;
    }
  }
  const lib = median(library);
  const base = median(floor);
  const row = `${String(n).padEnd(6)} ${String(manifests.length).padEnd(8)} ${lib.toFixed(1).padStart(18)}  ${base.toFixed(1).padStart(8)}  ${(lib / base).toFixed(2).padStart(5)}  ${(lib / n).toFixed(3).padStart(15)}`;
  rows.push(row);
  console.log(row);
}
console.log(`(median of ${reps} repetitions; node ${process.version})`);
