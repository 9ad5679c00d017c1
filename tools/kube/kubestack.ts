/**
 * The kubestack binary (tools/kube/main.go): the real kube-apiserver with an embedded etcd,
 * kube-controller-manager, kube-scheduler and kubectl of one Kubernetes release, built from the
 * Go module proxy on the first run on a machine and cached under ~/.cache/cdk8s-stateful/.
 *
 * The cache key is the release plus a hash of the Go sources and go.sum, so a change of the
 * wrapper or of a dependency builds anew; the Go module and build caches live beside the
 * binaries, so a rebuild after a small change takes seconds, not minutes.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const MODULE_DIR = __dirname;

/** The Kubernetes release the binary is built from (go.mod requires k8s.io/kubernetes at this tag). */
export const KUBERNETES_VERSION = kubernetesVersion();
const SOURCES = ['go.mod', 'go.sum', 'main.go', 'etcd.go'];
/** Measured on the 2-core CI machine type with empty caches: the download and the build. */
const COLD_BUILD_MINUTES = 12;

/** Root of everything this project caches on a machine. */
export function cacheRoot(): string {
  return process.env.CDK8S_STATEFUL_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-stateful');
}

function kubernetesVersion(): string {
  const gomod = fs.readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8');
  const match = /^\s*(?:require\s+)?k8s\.io\/kubernetes (v\d+\.\d+\.\d+)\s*$/m.exec(gomod);
  if (!match) throw new Error(`${MODULE_DIR}/go.mod: no 'require k8s.io/kubernetes vX.Y.Z' line`);
  return match[1];
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update(fs.readFileSync(path.join(MODULE_DIR, file)));
  return hash.digest('hex').slice(0, 12);
}

/** Where the binary for the current sources lives (it may not exist yet). */
export function kubestackPath(): string {
  return path.join(cacheRoot(), 'kube', `${KUBERNETES_VERSION}-${sourceHash()}`, 'kubestack');
}

/**
 * Returns the path of a built kubestack, building it first when this machine has none for the
 * current sources. Concurrent callers (jest workers, a second terminal) wait for one build.
 * Prints one line before a build, and the Go output only if the build fails.
 */
export function ensureKubestack(log: (line: string) => void = line => process.stderr.write(`${line}\n`)): string {
  const binary = kubestackPath();
  if (fs.existsSync(binary)) return binary;

  const dir = path.dirname(binary);
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(cacheRoot(), 'kube', '.build.lock');
  // flock(1) serializes builders across processes; the second one finds the binary and returns.
  const goCache = path.join(cacheRoot(), 'go');
  const env = {
    ...process.env,
    GOMODCACHE: path.join(goCache, 'mod'),
    GOCACHE: path.join(goCache, 'build'),
    GOFLAGS: '-mod=readonly -buildvcs=false',
    GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
    CGO_ENABLED: '0',
  };
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8', env });
  if (goVersion.status !== 0) {
    throw new Error(`kubestack: building kube-apiserver ${KUBERNETES_VERSION} needs Go (go version failed: ${goVersion.error?.message ?? goVersion.stderr})`);
  }
  const started = Date.now();
  const ldflags = [
    '-s', '-w',
    `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
    `-X k8s.io/component-base/version.gitMajor=${KUBERNETES_VERSION.split('.')[0].slice(1)}`,
    `-X k8s.io/component-base/version.gitMinor=${KUBERNETES_VERSION.split('.')[1]}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ].join(' ');
  const script = [
    'set -e',
    '[ -x "$OUT" ] && exit 0',
    `echo "building kube-apiserver, kube-controller-manager, kube-scheduler and kubectl ${KUBERNETES_VERSION} with embedded etcd (first run on this machine, ~${COLD_BUILD_MINUTES} min on 2 cores)" >&2`,
    'go build -trimpath -ldflags "$LDFLAGS" -o "$OUT.tmp" . >"$OUT.log" 2>&1 || { cat "$OUT.log" >&2; exit 1; }',
    'mv "$OUT.tmp" "$OUT"',
  ].join('\n');
  const result = spawnSync('flock', ['-w', '3600', lock, 'sh', '-c', script], {
    cwd: MODULE_DIR,
    env: { ...env, OUT: binary, LDFLAGS: ldflags },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !fs.existsSync(binary)) {
    throw new Error(`kubestack: the build of ${KUBERNETES_VERSION} failed (exit ${result.status}); see the Go output above and ${binary}.log`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  if (seconds > 5) log(`kubestack ${KUBERNETES_VERSION}: built in ${seconds} s (${binary})`);
  return binary;
}
