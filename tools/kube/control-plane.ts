/**
 * Starts the real kube-apiserver (with etcd embedded in the same process) on loopback, in a
 * throwaway directory: a self-signed serving certificate the server makes itself, a static admin
 * token, service-account keys generated at start, and ServiceAccount admission off (no token
 * controller runs). Pod Security admission runs as in any cluster.
 */
import { ChildProcess, spawn } from 'child_process';
import { generateKeyPairSync, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { KubeClient, KubeEndpoint } from './client';
import { ensureKubestack } from './kubestack';

/** A running API server. */
export interface ApiServer extends KubeEndpoint {
  /** The version the server reports (`/version` gitVersion). */
  readonly version: string;
  /** A kubeconfig file for kubectl (`kubestack kubectl --kubeconfig ...`). */
  readonly kubeconfig: string;
  /** The kubestack binary the server runs from. */
  readonly binary: string;
  /** The throwaway directory: certificates, keys, etcd data, the server log. */
  readonly dir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where to log progress lines. */
  readonly log?: (line: string) => void;
  /** Seconds to wait for /readyz. */
  readonly readyTimeoutSeconds?: number;
}

/** Builds (cached) and starts kube-apiserver; resolves once it answers /readyz. */
export async function startApiServer(options: StartOptions = {}): Promise<ApiServer> {
  const binary = ensureKubestack(options.log);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-kube-'));
  const certDir = path.join(dir, 'certs');
  fs.mkdirSync(certDir, { recursive: true });

  const token = randomBytes(24).toString('hex');
  fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`, { mode: 0o600 });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

  const [securePort, etcdPort] = await freePorts(3); // etcd takes etcdPort and etcdPort + 1
  const args = [
    'apiserver',
    `--embedded-etcd-dir=${path.join(dir, 'etcd')}`,
    `--embedded-etcd-port=${etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${securePort}`,
    `--cert-dir=${certDir}`,
    `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--disable-admission-plugins=ServiceAccount',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    // The kubernetes Service's endpoints cannot be a loopback address: no endpoint reconciler.
    '--endpoint-reconciler-type=none',
    '--v=0',
  ];
  const logFile = path.join(dir, 'kube-apiserver.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', out, out], detached: false });
  fs.closeSync(out);
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));

  const server = `https://127.0.0.1:${securePort}`;
  const deadline = Date.now() + (options.readyTimeoutSeconds ?? 120) * 1000;
  let ca: string | undefined;
  let client: KubeClient | undefined;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`kube-apiserver exited (${child.exitCode}) during start:\n${tail(logFile)}`);
      ca ??= readIfExists(path.join(certDir, 'apiserver.crt'));
      if (ca && !client) client = new KubeClient({ server, token, ca });
      if (client) {
        const ready = await client.request('GET', '/readyz').catch(() => undefined);
        if (ready?.status === 200) break;
      }
      await sleep(250);
    }
    if (!client || Date.now() >= deadline) throw new Error(`kube-apiserver did not become ready in time:\n${tail(logFile)}`);
    const version = (await client.request('GET', '/version')).body.gitVersion as string;
    const kubeconfig = writeKubeconfig(dir, server, token, path.join(certDir, 'apiserver.crt'));
    return {
      server,
      token,
      ca: ca!,
      version,
      kubeconfig,
      binary,
      dir,
      pid: child.pid!,
      stop: () => stop(child, exited, dir),
    };
  } catch (error) {
    await stop(child, exited, dir);
    throw error;
  } finally {
    client?.close();
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function writeKubeconfig(dir: string, server: string, token: string, caFile: string): string {
  const file = path.join(dir, 'kubeconfig');
  const config = {
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: 'cdk8s-stateful', cluster: { 'server': server, 'certificate-authority': caFile } }],
    'users': [{ name: 'admin', user: { token } }],
    'contexts': [{ name: 'cdk8s-stateful', context: { cluster: 'cdk8s-stateful', user: 'admin' } }],
    'current-context': 'cdk8s-stateful',
  };
  fs.writeFileSync(file, JSON.stringify(config, undefined, 2), { mode: 0o600 });
  return file;
}

/** n distinct free ports on loopback; the last one is left for etcd's peer port (client + 1). */
async function freePorts(n: number): Promise<number[]> {
  for (;;) {
    const ports: number[] = [];
    const servers: net.Server[] = [];
    while (ports.length < n - 1) {
      const srv = net.createServer();
      await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen(0, '127.0.0.1', resolve); });
      servers.push(srv);
      ports.push((srv.address() as net.AddressInfo).port);
    }
    const peer = ports[ports.length - 1] + 1;
    const peerFree = await new Promise<boolean>(resolve => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(peer, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))));
    if (peerFree) return ports;
  }
}

function readIfExists(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.includes('END CERTIFICATE') ? text : undefined;
  } catch {
    return undefined;
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
