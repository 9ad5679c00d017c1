/**
 * The etcd member container: flags only (the upstream image is distroless, without a shell), the
 * member name and advertised URLs from the pod's own name through Kubernetes' `$(VAR)` expansion
 * of arguments, and the initial membership derived from the ordinals.
 *
 * @see https://etcd.io/docs/v3.6/op-guide/clustering/#static
 * @see https://etcd.io/docs/v3.6/op-guide/configuration/
 */
import { k8s } from 'cdk8s-plus-28';
import { ConsensusInput, ConsensusPlan, port, servicePort } from './consensus-plan';
import { memberHost } from './member-set';

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
/** `--listen-metrics-urls`: plain HTTP /metrics, /livez, /readyz, /health for the kubelet's probes. */
export const ETCD_METRICS_PORT = 2381;
/** Where the claim is mounted. */
export const ETCD_MOUNT = '/var/lib/etcd';
/**
 * `--data-dir` and `--wal-dir`: two directories etcd creates itself (mode 0700) on the claim. The
 * claim's root holds `lost+found` on ext4 and is group-writable through fsGroup, which etcd
 * reports as unexpected content and permissions.
 */
export const ETCD_DATA_DIR = `${ETCD_MOUNT}/data`;
export const ETCD_WAL_DIR = `${ETCD_MOUNT}/wal`;
/**
 * The upstream images are distroless and run as root unless told otherwise; 65532 is the
 * distroless `nonroot` user. fsGroup 65532 makes the claim writable for it.
 */
export const ETCD_UID = 65532;

export interface EtcdSettings {
  readonly image: string;
  readonly initialClusterState: string;
}

/** The stable peer URL of member `ordinal` (with the namespace, expanded by the kubelet). */
function peerUrl(name: string, ordinal: number): string {
  return `http://${memberHost(name, ordinal)}.$(POD_NAMESPACE).svc:${ETCD_PEER_PORT}`;
}

/** The flags of the etcd server, in the order the pod shows them. */
export function etcdArgs(name: string, replicas: number, state: string): string[] {
  const self = `$(POD_NAME).${name}-headless.$(POD_NAMESPACE).svc`;
  const cluster = Array.from({ length: replicas }, (_, i) => `${name}-${i}=${peerUrl(name, i)}`).join(',');
  return [
    // The member name is the pod name: `<name>-<ordinal>`, as in --initial-cluster.
    '--name=$(POD_NAME)',
    `--data-dir=${ETCD_DATA_DIR}`,
    `--wal-dir=${ETCD_WAL_DIR}`,
    `--listen-peer-urls=http://0.0.0.0:${ETCD_PEER_PORT}`,
    `--listen-client-urls=http://0.0.0.0:${ETCD_CLIENT_PORT}`,
    `--listen-metrics-urls=http://0.0.0.0:${ETCD_METRICS_PORT}`,
    `--advertise-client-urls=http://${self}:${ETCD_CLIENT_PORT}`,
    `--initial-advertise-peer-urls=http://${self}:${ETCD_PEER_PORT}`,
    `--initial-cluster=${cluster}`,
    // Read only when the data directory is empty: `new` bootstraps, `existing` joins after `member add`.
    `--initial-cluster-state=${state}`,
    '--initial-cluster-token=$(POD_NAMESPACE)-' + name,
    // Without compaction the revision history grows until the backend quota (2 GiB) raises the
    // NOSPACE alarm and every write fails.
    '--auto-compaction-mode=periodic',
    '--auto-compaction-retention=1h',
  ];
}

export function renderEtcd(input: ConsensusInput, settings: EtcdSettings): ConsensusPlan {
  const name = input.members.name;
  const http = (path: string): k8s.Probe => ({ httpGet: { path, port: k8s.IntOrString.fromString('metrics'), scheme: 'HTTP' } });
  const container: k8s.Container = {
    name: 'etcd',
    image: settings.image,
    command: ['/usr/local/bin/etcd'],
    args: etcdArgs(name, input.replicas, settings.initialClusterState),
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      // A Go runtime inside a container limit: GOMEMLIMIT keeps the collector ahead of the OOM killer.
      { name: 'GOMEMLIMIT', value: `${Math.floor(input.members.memoryLimitMib * 0.9)}MiB` },
    ],
    ports: [port('client', ETCD_CLIENT_PORT), port('peer', ETCD_PEER_PORT), port('metrics', ETCD_METRICS_PORT)],
    volumeMounts: [{ name: 'data', mountPath: ETCD_MOUNT }],
    // /livez: the member's own process and backend answer (no quorum needed: a member waiting for
    // its peers is not restarted). /readyz: it also serves linearizable reads, so it has a leader.
    startupProbe: { ...http('/livez'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 },
    livenessProbe: { ...http('/livez'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
    readinessProbe: { ...http('/readyz'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
  };
  const endpoints = Array.from({ length: input.replicas }, (_, i) => `http://${memberHost(name, i)}:${ETCD_CLIENT_PORT}`).join(',');
  return {
    engineName: 'etcd',
    uid: ETCD_UID,
    containers: [container],
    headlessPorts: [servicePort('client', ETCD_CLIENT_PORT), servicePort('peer', ETCD_PEER_PORT)],
    clientPorts: [servicePort('client', ETCD_CLIENT_PORT)],
    clientPort: ETCD_CLIENT_PORT,
    connectionString: endpoints,
  };
}
