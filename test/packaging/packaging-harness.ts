/**
 * What the packaging tests share: the packed tarball (built when missing or older than the
 * sources), npm with a download cache under ~/.cache/cdk8s-stateful/npm, shell commands whose
 * output goes to a log file, and the code blocks of README.md.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const NPM_CACHE = path.join(os.homedir(), '.cache', 'cdk8s-stateful', 'npm');

/** Environment for npm and cdk8s-cli: the shared download cache, no audit, fund or update notices. */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: NPM_CACHE,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
    // The test's own plugins directory: nothing is installed into ~/.cdk8s.
    CDK8S_PLUGINS_DIR: path.join(os.tmpdir(), 'cdk8s-stateful-plugins'),
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
    ...extra,
  };
}

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map(n => newestMtime(path.join(p, n))));
}

/**
 * The tarball `npx projen package:js` writes (dist/js/<name>@<version>.jsii.tgz). When it is
 * missing or older than src/, assets/ or package.json, it is built first (jsii compile, then
 * package:js; about a minute), so the tests always install what the sources say.
 */
export function packedTarball(log: (text: string) => void): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const tarball = path.join(ROOT, 'dist', 'js', `${pkg.name}@${pkg.version}.jsii.tgz`);
  const sources = Math.max(...['src', 'assets', 'package.json'].map(p => newestMtime(path.join(ROOT, p))));
  if (!fs.existsSync(tarball) || fs.statSync(tarball).mtimeMs < sources) {
    log(`packing ${path.relative(ROOT, tarball)} (missing or older than the sources)\n`);
    for (const task of ['compile', 'package:js']) {
      log(execFileSync('npx', ['projen', task], { cwd: ROOT, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    }
  }
  return tarball;
}

export interface ShellResult {
  readonly code: number;
  readonly output: string;
}

/** Run a bash script (`set -euo pipefail`) in `cwd`; stdout and stderr interleaved as written, appended to `logFile`. */
export function shell(script: string, cwd: string, logFile: string, env: NodeJS.ProcessEnv = npmEnv()): ShellResult {
  const r = spawnSync('bash', ['-c', `set -euo pipefail\nexec 2>&1\n${script}`], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  fs.appendFileSync(logFile, `$ (in ${cwd})\n${script}\n${output}\n[exit ${r.status}]\n\n`);
  return { code: r.status ?? 1, output };
}

/** One fenced code block of a markdown text. */
export interface CodeBlock {
  /** The language: first word of the info string (`ts`, `sh`, `yaml`...). */
  readonly lang: string;
  /** The rest of the info string (the file name of a file block: ```` ```yaml cdk8s.yaml ````). */
  readonly file?: string;
  readonly body: string;
  /** The last non-empty line of prose before the block. */
  readonly caption: string;
  /** 1-based line of the opening fence in the whole text. */
  readonly line: number;
}

/** The fenced code blocks of a markdown text, in order. */
export function codeBlocks(markdown: string, firstLine = 1): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let prose = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(\S.*)?$/.exec(lines[i]);
    if (!open) {
      if (lines[i].trim()) prose = lines[i].trim();
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ lang: open[1], ...(open[2] ? { file: open[2].trim() } : {}), body: `${body.join('\n')}\n`, caption: prose, line: firstLine + start });
  }
  return blocks;
}

/** README.md from a heading (`### A new cdk8s app`, matched at the start of the line) to the next heading of the same or a higher level. */
export function readmeSection(heading: string): { text: string; line: number } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const lines = readme.split('\n');
  const start = lines.findIndex(l => l.startsWith(heading));
  if (start < 0) throw new Error(`README.md has no heading '${heading}'`);
  const level = /^#+/.exec(heading)![0].length;
  let end = start + 1;
  let fenced = false;
  for (; end < lines.length; end++) {
    if (lines[end].startsWith('```')) fenced = !fenced;
    const h = /^(#+)\s/.exec(lines[end]);
    if (!fenced && h && h[1].length <= level) break;
  }
  return { text: lines.slice(start, end).join('\n'), line: start + 1 };
}
