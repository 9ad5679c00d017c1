/**
 * `npm run cluster [-- --nodes N --zones Z]`: a local control plane (kube-apiserver,
 * kube-controller-manager, kube-scheduler from the cached kubestack binary) with N simulated nodes,
 * up until Ctrl-C. Prints the kubeconfig and how to use kubectl against it.
 */
import { startCluster } from './cluster';

const USAGE = 'usage: npm run cluster -- [--nodes N (default 3)] [--zones Z (default min(N, 3))] [--job-seconds S (default 10)]';

function parse(argv: string[]): { nodes: number; zones?: number; jobSeconds: number } {
  const out: { nodes: number; zones?: number; jobSeconds: number } = { nodes: 3, jobSeconds: 10 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    const n = Number(value);
    if (!['--nodes', '--zones', '--job-seconds'].includes(flag) || !Number.isInteger(n) || n < (flag === '--job-seconds' ? 0 : 1) || n > 100) {
      process.stderr.write(`${USAGE}\n`);
      process.exit(2);
    }
    if (flag === '--nodes') out.nodes = n;
    else if (flag === '--zones') out.zones = n;
    else out.jobSeconds = n;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const started = Date.now();
  // The build line (first run on a machine) is shown; the start-up phases are not.
  const log = (line: string) => {
    if (!line.startsWith('cluster: ')) process.stderr.write(`${line}\n`);
  };
  const cluster = await startCluster({ nodes: args.nodes, zones: args.zones, jobRunSeconds: args.jobSeconds, log });
  const kubectl = `${cluster.apiServer.binary} kubectl --kubeconfig ${cluster.kubeconfig}`;
  process.stdout.write([
    `Local control plane ${cluster.apiServer.version} on ${cluster.apiServer.server} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  nodes (simulated): ${cluster.nodes.nodeNames.join(', ')}; default StorageClass: standard (simulated CSI provisioner)`,
    `  kubeconfig: ${cluster.kubeconfig}`,
    `  logs:       ${cluster.apiServer.dir}/*.log`,
    '',
    'Try:',
    `  alias kubectl='${kubectl}'`,
    '  kubectl get nodes -L topology.kubernetes.io/zone',
    '  kubectl apply -f examples/dist/shared-uploads.yaml && kubectl get pods,pvc -o wide',
    '',
    'Ctrl-C stops it and removes its directory.',
    '',
  ].join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping...\n');
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await new Promise(() => undefined);
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(3);
});
