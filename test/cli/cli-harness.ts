import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/run';
import { LoaderFs } from '../../src/guards/files/manifest-files';

/**
 * The shared corpus of upstream Kubernetes examples (see its EXPECTED.md), beside the clone and not
 * part of it: only corpus.test.ts reads it. Every other test uses our own files in FIXTURES.
 */
export const CORPUS = path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'kubernetes-examples');

/** Our own sample manifests (each file's header says what it is for). */
export const FIXTURES = path.join(__dirname, 'fixtures');

/** PVC + single-replica MySQL Deployment with a literal MYSQL_ROOT_PASSWORD: SG009 (error) and SG018 (warning). */
export const LITERAL_PASSWORD_MYSQL = path.join(FIXTURES, 'literal-password-mysql.yaml');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the command in-process with captured output; `stdin` is what `-` reads. */
export async function cli(argv: string[], options: { stdin?: string; cwd?: string; fs?: LoaderFs } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: t => { stdout += t; },
    stderr: t => { stderr += t; },
    readStdin: async () => options.stdin ?? '',
    cwd: options.cwd,
    fs: options.fs,
  });
  return { code, stdout, stderr };
}

const tempDirs: string[] = [];
// Each test file that makes temporary directories removes them when it ends.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory with the given files (relative path → content), removed after the file's tests. */
export function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-cli-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** A Deployment running postgres with a literal password (SG009), optionally annotated. */
export function literalPasswordDeployment(name = 'db', annotations?: Record<string, string>): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'API_TOKEN', value: 'hunter2hunter2' }] }] },
      },
    },
  };
}

/** A three-replica StatefulSet of nginx with a headless Service: one warning (no PDB / no spread). */
export const WARNING_ONLY_YAML = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
`;
