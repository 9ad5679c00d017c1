#!/usr/bin/env node
/** Entry point of the `cdk8s-stateful` command (bin). Internal: not part of the jsii API. */
import { run } from './run';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

// A reader that stops early (`... | head`) closes the pipe: end quietly, not with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

run(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  readStdin,
}).then(code => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`cdk8s-stateful: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
