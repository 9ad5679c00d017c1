/**
 * The checker benchmark (`npm run bench`, or `npm run bench -- checker` alone): `cdk8s-stateful
 * check` on generated inputs of 100, 1,000 and 10,000 objects (bench/checker-input.ts), end to end
 * in this process (reading the file, parsing, the guards, the text report), against the floor of
 * reading the same file and parsing it with js-yaml's `loadAll`, the fastest JavaScript YAML parser
 * we know, in the same run. Then the cold start: the built command on a one-object file in a new
 * node process, against a new node process that does nothing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as jsYaml from 'js-yaml';
import { checkerInput } from './checker-input';
import { readBlockYaml } from '../src/guards/files/block-yaml';
import { run } from '../src/cli/run';

const OUT = path.join(__dirname, '..', '.bench-out');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Objects in the documents js-yaml read, `List`s expanded (what the checker must report on). */
function objectCount(docs: unknown[]): number {
  return docs.reduce<number>((n, d: any) => n + (d && d.kind === 'List' ? d.items.length : d ? 1 : 0), 0);
}

export async function benchChecker(gc: () => void, reps: number): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  console.log('\ncheck: cdk8s-stateful check <file> (read, parse, guards, report) against read + js-yaml loadAll of the same file');
  console.log('objects   MB     check ms  js-yaml ms  ratio  check µs/object');
  const perObject: number[] = [];
  const parsePerObject: number[] = [];
  for (const n of [100, 1000, 10000]) {
    const file = path.join(OUT, `checker-${n}.yaml`);
    const text = checkerInput(n);
    fs.writeFileSync(file, text);
    // The same input on both sides, read by the fast reader (not by the fallback), every object checked.
    const docs = jsYaml.loadAll(text);
    if (!readBlockYaml(text)?.every(d => d.reader === 'block')) throw new Error(`the fast reader left documents of the ${n}-object input to the yaml package`);
    let report = '';
    await run(['check', '--format', 'json', file], { stdout: t => { report += t; }, stderr: () => undefined });
    const checked = JSON.parse(report).objects;
    if (checked !== objectCount(docs) || checked !== n) throw new Error(`checked ${checked} objects, js-yaml read ${objectCount(docs)}, expected ${n}`);

    const check: number[] = [];
    const parse: number[] = [];
    const times = n >= 10000 ? Math.max(3, Math.ceil(reps / 2)) : reps;
    for (let r = 0; r < times; r++) {
      const sides: Array<[number[], () => Promise<unknown> | unknown]> = [
        [check, () => run(['check', file], { stdout: () => undefined, stderr: () => undefined })],
        [parse, () => jsYaml.loadAll(fs.readFileSync(file, 'utf8'))],
      ];
      // Alternate which side runs first, each from a collected heap.
      for (const [samples, side] of r % 2 ? sides.reverse() : sides) {
        gc();
        const start = performance.now();
        await side();
        samples.push(performance.now() - start);
      }
    }
    const c = median(check);
    const p = median(parse);
    perObject.push(c / n * 1000);
    parsePerObject.push(p / n * 1000);
    console.log(`${String(n).padEnd(8)}  ${(text.length / 1e6).toFixed(1).padStart(4)}  ${c.toFixed(1).padStart(11)}  ${p.toFixed(1).padStart(10)}`
      + `  ${(c / p).toFixed(2).padStart(5)}  ${(c / n * 1000).toFixed(1).padStart(15)}`);
  }
  // Both sides slow down per object on a large heap (garbage collection): the checker should grow as the parser does.
  console.log(`growth from 1,000 to 10,000 objects, per object: check ${(perObject[2] / perObject[1]).toFixed(2)}×, js-yaml ${(parsePerObject[2] / parsePerObject[1]).toFixed(2)}× (1.00 is linear)`);
  coldStart(reps);
}

/** The built command (tsc into .bench-out/lib) on a one-object file, in a new process each time. */
function coldStart(reps: number): void {
  const lib = path.join(OUT, 'lib');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, '..', 'tsconfig.json'), '--outDir', lib, '--declaration', 'false'], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
  const one = path.join(OUT, 'one-object.yaml');
  fs.writeFileSync(one, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n');
  const time = (args: string[]) => {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return performance.now() - start;
  };
  const check: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < reps; r++) {
    check.push(time([path.join(lib, 'cli', 'main.js'), 'check', one]));
    bare.push(time(['-e', '0']));
  }
  console.log(`cold start, one object: ${median(check).toFixed(0)} ms for a new process running check (a new node process doing nothing: ${median(bare).toFixed(0)} ms)`);
}
