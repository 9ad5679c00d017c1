import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { conformance } from '../../tools/kube/conformance';

// `npm run conformance`: each call starts its own API server (about 4 s), so the cases share calls.

const ROOT = path.join(__dirname, '..', '..');

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await conformance(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, readStdin: async () => stdin });
  return { code, stdout, stderr };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const BAD = `# four objects kube-apiserver must refuse or warn about
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: mismatched }
spec:
  serviceName: mismatched
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: other } }
    spec: { containers: [{ name: db, image: "postgres:16.4" }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: root }
spec:
  selector: { matchLabels: { app: root } }
  template:
    metadata: { labels: { app: root } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: typo }
dataa: { a: b }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: gigs }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 10 gigs } }
`;

describe('npm run conformance', () => {
  test('accepts every object of the examples and names the Kubernetes version', async () => {
    const { code, stdout } = await run([path.join(ROOT, 'examples', 'dist')]);
    const lines = stdout.trim().split('\n');
    const summary = lines.pop()!;
    expect(summary).toMatch(/^(\d+) accepted, 0 rejected, 0 warned by kube-apiserver v1\.35\.\d+ \(Pod Security restricted, strict field validation\)$/);
    expect(lines.length).toBe(Number(/^(\d+)/.exec(summary)![1]));
    expect(lines.every(l => l.startsWith('accepted  '))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^accepted {2}StatefulSet shop\/orders \(.*postgres-ha\.yaml:\d+\)$/));
    expect(code).toBe(0);
  });

  test('exits 1 with the server\'s own message for each refused or warned object', async () => {
    const { code, stdout } = await run([tempFile('bad.yaml', BAD)]);
    expect(stdout).toContain('rejected  StatefulSet default/mismatched (');
    expect(stdout).toContain('spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`');
    expect(stdout).toMatch(/warned {4}Deployment default\/root \(.*bad\.yaml:12\): would violate PodSecurity "restricted:latest": .*runAsNonRoot != true/);
    expect(stdout).toMatch(/rejected {2}ConfigMap default\/typo .*unknown field "dataa"/);
    expect(stdout).toMatch(/rejected {2}PersistentVolumeClaim default\/gigs .*quantities must match the regular expression/);
    expect(stdout).toMatch(/\n0 accepted, 3 rejected, 1 warned by kube-apiserver v1\.35\.\d+ \(Pod Security restricted, strict field validation\)\n$/);
    expect(code).toBe(1);
  });

  test('--pod-security sets the level of the namespaces it creates', async () => {
    const root = BAD.split('---\n')[1];
    const { code, stdout } = await run(['--pod-security', 'privileged', '-'], root);
    expect(stdout).toMatch(/^accepted {2}Deployment default\/root \(<stdin>:1\)\n1 accepted, 0 rejected, 0 warned .*\(Pod Security privileged/);
    expect(code).toBe(0);
  });

  test('exits 2 on unreadable input and bad usage, before starting anything', async () => {
    expect(await run(['/nonexistent/file.yaml'])).toMatchObject({ code: 2, stderr: expect.stringContaining('/nonexistent/file.yaml: cannot read') });
    expect(await run([tempFile('broken.yaml', 'a: [1\n')])).toMatchObject({ code: 2, stderr: expect.stringContaining('YAML syntax error') });
    expect(await run([tempFile('scalar.yaml', 'just text\n')])).toMatchObject({ code: 2, stderr: expect.stringContaining('expected a Kubernetes object') });
    expect(await run(['--pod-security', 'lax', 'x.yaml'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--pod-security must be restricted, baseline or privileged, got "lax"') });
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('no input given') });
    expect(await run(['--strict', 'x.yaml'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option --strict') });
  });

  test('the npm task runs the command and passes its exit code through', () => {
    const result = spawnSync('npm', ['run', '--silent', 'conformance', '--', tempFile('bad.yaml', BAD)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(result.stdout).toMatch(/0 accepted, 3 rejected, 1 warned by kube-apiserver v1\.35\.\d+/);
    expect(result.status).toBe(1);
  });
});
