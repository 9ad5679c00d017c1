/**
 * `cdk8s-stateful` as a function: `run(argv, io)` returns the exit code, with injected output,
 * standard input and file system (tests need no subprocess). Internal: not part of the jsii API.
 */
import * as nodeFs from 'fs';
import * as nodePath from 'path';
import { parseArgs, USAGE, UsageError } from './args';
import { renderJson, renderRules, renderSarif, renderText, SourceIndex } from './render';
import { dropControlled, expandInputs, InputError, LoadedManifest, LoaderFs, parseManifests, STDIN_NAME } from '../guards/files/manifest-files';
import { Guards } from '../guards/guards';
import { Inventory } from '../inventory/inventory';

/** What the command talks to. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for `-`). */
  readonly readStdin?: () => Promise<string>;
  /** @default node's fs */
  readonly fs?: LoaderFs;
  /** Directory SARIF paths are relative to. @default process.cwd() */
  readonly cwd?: string;
}

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Run the command line; never throws for bad input (exit code 2 with a message instead). */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-stateful: ${e.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  switch (args.command) {
    case 'help': io.stdout(`${USAGE}\n`); return EXIT_OK;
    case 'version': io.stdout(`${version()}\n`); return EXIT_OK;
    case 'rules': io.stdout(renderRules(Guards.rules(), args.format)); return EXIT_OK;
    default: break;
  }

  const fs = io.fs ?? (nodeFs as unknown as LoaderFs);
  const manifests: LoadedManifest[] = [];
  let fileCount = 0;
  try {
    for (const file of expandInputs(args.inputs, fs)) {
      let text: string;
      const name = file === '-' ? STDIN_NAME : file;
      try {
        if (file === '-') {
          if (!io.readStdin) throw new Error('standard input is not available');
          text = await io.readStdin();
        } else {
          text = fs.readFileSync(file, 'utf8');
        }
      } catch (e: any) {
        throw new InputError(`${name}: cannot read (${typeof e?.code === 'string' ? e.code : e?.message ?? String(e)}).`);
      }
      manifests.push(...parseManifests(text, name));
      fileCount++;
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`cdk8s-stateful: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (manifests.length === 0) {
    // An empty pipe (a failed `helm template`) must not pass silently.
    io.stderr(`cdk8s-stateful: no Kubernetes object in the input (${args.inputs.join(' ')}).\n`);
    return EXIT_USAGE;
  }

  if (args.command === 'inventory') {
    const inventory = Inventory.fromManifests(dropControlled(manifests).map(m => m.manifest), { defaultNamespace: args.namespace ?? 'default' });
    const render = { json: () => `${JSON.stringify(inventory.toJson(), null, 2)}\n`, markdown: () => inventory.toMarkdown(), mermaid: () => inventory.toMermaid(), html: () => inventory.toHtml(), text: () => inventory.toText() };
    io.stdout(render[args.inventoryFormat ?? 'text']());
    return EXIT_OK;
  }
  const baseline = loadBaseline(args.baselines, fs, io);
  if (baseline === EXIT_USAGE) return EXIT_USAGE;
  const checked = dropControlled(manifests);
  const defaultNamespace = args.namespace ?? 'default';
  const report = Guards.check(checked.map(m => m.manifest), {
    strict: args.strict,
    defaultNamespace,
    ...(baseline ? { baseline: baseline.map(m => m.manifest) } : {}),
  });
  // Objects only the baseline has (removed since) are found there.
  const sources = new SourceIndex(checked, defaultNamespace, baseline ? new SourceIndex(baseline, defaultNamespace) : undefined);
  for (const d of sources.duplicates()) {
    io.stderr(`cdk8s-stateful: note: ${d.identity} is defined ${d.locations.length} times (${d.locations.map(l => l.file).join(', ')}); `
      + 'applied together, the last one replaces the others. Findings on it name every place.\n');
  }
  const stats = { files: fileCount, objects: checked.length, strict: args.strict };
  switch (args.format) {
    case 'json': io.stdout(renderJson(report, sources, stats)); break;
    case 'sarif': io.stdout(renderSarif(report, sources, io.cwd ?? process.cwd())); break;
    default: io.stdout(renderText(report, sources, stats)); break;
  }
  return report.failed ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The objects of the `--baseline` files and directories (the previous output), controlled objects
 * dropped as in the input; exit code 2 when one cannot be read or parsed (a comparison with part of
 * the previous output would miss what it cannot see), or when it holds no object.
 */
function loadBaseline(paths: readonly string[] | undefined, fs: LoaderFs, io: CliIo): LoadedManifest[] | undefined | typeof EXIT_USAGE {
  if (!paths || paths.length === 0) return undefined;
  const loaded: LoadedManifest[] = [];
  try {
    for (const file of expandInputs(paths, fs)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e: any) {
        throw new InputError(`${file}: cannot read (${typeof e?.code === 'string' ? e.code : e?.message ?? String(e)}).`);
      }
      loaded.push(...parseManifests(text, file));
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`cdk8s-stateful: baseline: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (loaded.length === 0) {
    io.stderr(`cdk8s-stateful: baseline: no Kubernetes object in ${paths.join(' ')}.\n`);
    return EXIT_USAGE;
  }
  return dropControlled(loaded);
}

/** The package version (package.json two levels up from src/cli and lib/cli). */
function version(): string {
  try {
    const pkg = JSON.parse(nodeFs.readFileSync(nodePath.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}
