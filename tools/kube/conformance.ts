/**
 * `npm run conformance -- [--pod-security restricted|baseline|privileged] FILE|DIR|- ...`
 *
 * Builds (once per machine) and starts the real kube-apiserver on loopback, server-side dry-runs
 * every object of the inputs with strict field validation, and prints one line per object
 * (accepted, rejected with the server's message, or warned) and a summary line. All inputs are
 * one deployment: they share namespaces, and a Namespace they define is used as given.
 *
 * Exit codes: 0 every object accepted without a warning, 1 a rejection or a warning, 2 unreadable
 * input or bad usage, 3 the API server could not be built or started.
 */
import * as fs from 'fs';
import { KubeClient } from './client';
import { startApiServer } from './control-plane';
import { clean, dryRun, installCrds, PodSecurityLevel } from './dry-run';
import { expandInputs, InputError, LoadedManifest, LoaderFs, parseManifests, STDIN_NAME } from '../../src/guards/files/manifest-files';

const USAGE = 'Usage: npm run conformance -- [--pod-security restricted|baseline|privileged] <file|dir|->...';

export interface ConformanceIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
}

/** The command as a function: returns the exit code. */
export async function conformance(argv: readonly string[], io: ConformanceIo): Promise<number> {
  let podSecurity = PodSecurityLevel.RESTRICTED;
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') { io.stdout(`${USAGE}\n`); return 0; }
    if (arg === '--pod-security' || arg.startsWith('--pod-security=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      const level = Object.values(PodSecurityLevel).find(l => l === value);
      if (!level) { io.stderr(`conformance: --pod-security must be restricted, baseline or privileged, got ${JSON.stringify(value ?? '')}\n${USAGE}\n`); return 2; }
      podSecurity = level;
    } else if (arg.startsWith('--') && arg !== '--') {
      io.stderr(`conformance: unknown option ${arg}\n${USAGE}\n`);
      return 2;
    } else if (arg !== '--') {
      inputs.push(arg);
    }
  }
  if (inputs.length === 0) { io.stderr(`conformance: no input given\n${USAGE}\n`); return 2; }

  const manifests: LoadedManifest[] = [];
  try {
    for (const file of expandInputs(inputs, fs as unknown as LoaderFs)) {
      const name = file === '-' ? STDIN_NAME : file;
      let text: string;
      try {
        text = file === '-' ? await io.readStdin() : fs.readFileSync(file, 'utf8');
      } catch (e: any) {
        throw new InputError(`${name}: cannot read (${e.code ?? e.message}).`);
      }
      manifests.push(...parseManifests(text, name));
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`conformance: ${e.message}\n`);
    return 2;
  }

  const server = await startApiServer({ log: line => io.stderr(`${line}\n`) });
  const client = new KubeClient(server);
  try {
    await installCrds(client);
    const verdicts = await dryRun(client, manifests.map(m => m.manifest), { podSecurity });
    let accepted = 0; let rejected = 0; let warned = 0;
    verdicts.forEach((v, i) => {
      const m = manifests[i];
      const where = `${m.file}${m.line ? `:${m.line}` : ''}`;
      if (!v.accepted) {
        rejected++;
        io.stdout(`rejected  ${v.ref} (${where}): ${v.message}\n`);
      } else if (!clean(v)) {
        warned++;
        io.stdout(`warned    ${v.ref} (${where}): ${v.warnings.join('; ')}\n`);
      } else {
        accepted++;
        io.stdout(`accepted  ${v.ref} (${where})\n`);
      }
    });
    io.stdout(`${accepted} accepted, ${rejected} rejected, ${warned} warned by kube-apiserver ${server.version} (Pod Security ${podSecurity}, strict field validation)\n`);
    return rejected + warned > 0 ? 1 : 0;
  } finally {
    client.close();
    await server.stop();
  }
}

if (require.main === module) {
  const readStdin = () => new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', c => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
  conformance(process.argv.slice(2), {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    readStdin,
  }).then(code => { process.exitCode = code; }, error => {
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  });
}
