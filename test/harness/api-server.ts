/**
 * The test side of the API server: the objects every test synthesizes are recorded (one input
 * per synth) and, once the file's tests are done, dry-run against the real kube-apiserver the
 * jest global setup started. Tests that want the server's answer right away call `verdicts` or
 * `updateVerdict`.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeClient } from '../../tools/kube/client';
import { clean, dryRun, DryRunOptions, mapLimit, PodSecurityLevel, updateVerdict as oracle, UpdateOptions, UpdateVerdict, Verdict } from '../../tools/kube/dry-run';

export { PodSecurityLevel } from '../../tools/kube/dry-run';
export type { Verdict, UpdateVerdict } from '../../tools/kube/dry-run';

/** The environment variable the global setup writes the endpoint to. */
export const ENDPOINT_ENV = 'CDK8S_STATEFUL_KUBE_ENDPOINT';

/** How the API server checks one input. */
export interface CheckOptions {
  /**
   * The Pod Security level of the namespaces the input uses without defining them: what a
   * cluster admin labelled them with (node agents say which level they need).
   * @default restricted
   */
  readonly podSecurity?: `${PodSecurityLevel}`;
}

interface Recorded {
  readonly test: string;
  readonly objects: unknown[];
  readonly options: CheckOptions;
}

const recorded: Recorded[] = [];
const seen = new Set<string>();
let client: KubeClient | undefined;

/** The version of the running server (for messages). */
export function serverVersion(): string {
  return endpoint().version;
}

function endpoint(): { server: string; token: string; caFile: string; version: string } {
  const raw = process.env[ENDPOINT_ENV];
  if (!raw) throw new Error(`${ENDPOINT_ENV} is not set: the jest global setup (test/harness/global-setup.ts) starts the API server`);
  return JSON.parse(raw);
}

function kube(): KubeClient {
  if (!client) {
    const e = endpoint();
    client = new KubeClient({ server: e.server, token: e.token, ca: fs.readFileSync(e.caFile, 'utf8') });
  }
  return client;
}

/** Records one input (the objects of one synth) for the check at the end of the test file. */
export function recordForApiServer(objects: unknown[], options: CheckOptions = {}): void {
  const key = JSON.stringify([objects, options]);
  if (seen.has(key)) return;
  seen.add(key);
  recorded.push({ test: currentTestName(), objects, options });
}

function currentTestName(): string {
  try {
    return expect.getState().currentTestName ?? '(outside a test)';
  } catch {
    return '(outside a test)';
  }
}

/** The server's verdict on each object of one input, now. */
export function verdicts(objects: readonly unknown[], options?: DryRunOptions): Promise<Verdict[]> {
  return dryRun(kube(), objects, options);
}

/** Applies `before` for real, then `after`, and returns the server's verdict on the change. */
export function updateVerdict(before: unknown, after: unknown, options?: UpdateOptions): Promise<UpdateVerdict> {
  return oracle(kube(), before, after, options);
}

/** Keeps a refused object for the reader (the server does not always name the field). */
function saveObject(object: unknown): string {
  const text = JSON.stringify(object, undefined, 2);
  const dir = path.join(os.tmpdir(), 'cdk8s-stateful-refused');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 12)}.json`);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * Server-side applies objects for real (what a test needs to exist, such as a StorageClass an
 * admission plugin reads). Throws on any refusal.
 */
export async function applyForReal(objects: readonly any[]): Promise<void> {
  for (const o of objects) {
    const resource = await kube().resource(o.apiVersion, o.kind);
    if (!resource) throw new Error(`no kind ${o.kind} in ${o.apiVersion}`);
    const res = await kube().request('PATCH', `${kube().collectionPath(o.apiVersion, resource, o.metadata.namespace)}/${o.metadata.name}?fieldManager=tests&fieldValidation=Strict&force=true`, o, 'application/apply-patch+yaml');
    if (res.status !== 200 && res.status !== 201) throw new Error(`${o.kind} ${o.metadata.name} refused: ${JSON.stringify(res.body?.message ?? res.body)}`);
  }
}

/** Dry-runs every recorded input; throws naming each test and object the server refused or warned about. */
export async function checkRecordedWithApiServer(): Promise<void> {
  const inputs = recorded.splice(0);
  if (inputs.length === 0) {
    client?.close();
    client = undefined;
    return;
  }
  // One entry per distinct problem line (the same refusal in many property runs is listed once).
  const problems = new Map<string, string>();
  const objects = inputs.reduce((n, input) => n + input.objects.length, 0);
  try {
    await mapLimit(inputs, 3, async input => {
      const podSecurity = (input.options.podSecurity ?? PodSecurityLevel.RESTRICTED) as PodSecurityLevel;
      const results = await dryRun(kube(), input.objects, { podSecurity, concurrency: 4 });
      results.forEach((v, i) => {
        if (clean(v)) return;
        const what = v.accepted ? `warned: ${v.warnings.join('; ')}` : `rejected: ${v.message}${v.warnings.length ? ` (warnings: ${v.warnings.join('; ')})` : ''}`;
        const line = `test "${input.test}": ${v.ref} ${what}`;
        if (!problems.has(line)) problems.set(line, `${line} [${saveObject(input.objects[i])}]`);
      });
    });
  } finally {
    client?.close();
    client = undefined;
  }
  if (problems.size > 0) {
    const shown = [...problems.values()].slice(0, 10);
    throw new Error(`kube-apiserver ${serverVersion()} refused or warned about ${problems.size} object(s) of ${objects} synthesized in this file:\n`
      + shown.map(p => `  - ${p}`).join('\n')
      + (problems.size > shown.length ? `\n  ... and ${problems.size - shown.length} more` : ''));
  }
}
