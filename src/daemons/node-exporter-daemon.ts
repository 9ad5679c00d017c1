import { ApiObject, Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AgentEnvValue } from './agent-env';
import { AgentProbe } from './agent-probe';
import { AgentMountPropagation, HostMountType } from './host-mount';
import { NodeAgentDaemon } from './node-agent-daemon';
import { NodeAgentOptions } from './node-agent-props';
import { NodeExporterCollector } from './node-exporter-collector';
import { checkPort, checkStringMap, isForbiddenWritable, isLabelKey, isLabelValue, mergeResources, normalizeHostPath, renderSeconds } from './private/daemon-checks';
import { fail, subject } from '../internal/errors';
import * as kube from '../internal/kube-objects';
import { checkBoolean, checkOneOf, checkServiceName } from '../internal/validate';

/** Options of the ServiceMonitor (Prometheus Operator) of a `NodeExporterDaemon`. */
export interface NodeExporterServiceMonitorOptions {
  /**
   * Scrape interval.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Scrape timeout (at most the interval).
   * @default - Prometheus' default (10s, or the interval when shorter)
   */
  readonly scrapeTimeout?: Duration;
  /**
   * Labels of the ServiceMonitor, e.g. the `release` label your Prometheus selects monitors by.
   * @default - the agent's labels
   */
  readonly labels?: { [key: string]: string };
}

/** Props of `NodeExporterDaemon`; every one is optional. */
export interface NodeExporterDaemonProps extends NodeAgentOptions {
  /**
   * node-exporter image, pinned.
   * @default 'quay.io/prometheus/node-exporter:v1.12.1'
   */
  readonly image?: string;
  /**
   * Port node-exporter listens on, on the IP of every node (it uses the host network, so the
   * port is taken on the node itself).
   *
   * 9100 is node-exporter's registered port. A cluster that already runs a node exporter holds
   * it on every node, and a second DaemonSet asking for it stays Pending: kube-prometheus-stack
   * installs one by default (its `prometheus-node-exporter` chart, `hostNetwork` on 9100). Beside
   * it, pick another port, such as 9110 in the node-monitoring example.
   * @default 9100
   */
  readonly port?: number;
  /**
   * Collectors to turn on (`--collector.<name>`), typically ones disabled by default. The
   * systemd and logind collectors also get the node's D-Bus system socket, read-only.
   * @default - none beyond node-exporter's defaults
   */
  readonly enableCollectors?: NodeExporterCollector[];
  /**
   * Collectors to turn off (`--no-collector.<name>`).
   * @default - none
   */
  readonly disableCollectors?: NodeExporterCollector[];
  /**
   * Directory of the node where other programs drop `*.prom` files for the textfile collector;
   * mounted read-only at `/host/textfile` (created on the node when missing).
   * @default - the textfile collector reads nothing
   */
  readonly textfileDirectory?: string;
  /**
   * Emit a headless Service with the conventional `prometheus.io/scrape`, `prometheus.io/port`
   * and `prometheus.io/path` annotations.
   * @default true
   */
  readonly service?: boolean;
  /**
   * Emit a ServiceMonitor (monitoring.coreos.com/v1) for the Prometheus Operator.
   * @default - none
   */
  readonly serviceMonitor?: NodeExporterServiceMonitorOptions;
}

const DEFAULT_IMAGE = 'quay.io/prometheus/node-exporter:v1.12.1';
const TEXTFILE_MOUNT = '/host/textfile';
/** The variable holding the node's IP (downward API), expanded by the kubelet in the arguments. */
const HOST_IP_ENV = 'HOST_IP';
const DBUS_SOCKET = '/var/run/dbus/system_bus_socket';
const DEFAULT_RESOURCES = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(250),
  memoryRequest: Size.mebibytes(180),
  memoryLimit: Size.mebibytes(180),
};
/** Mount points node-exporter should not report (the container's own and the pods' volumes), as in kube-prometheus. */
const FILESYSTEM_EXCLUDE = '^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+)($|/)';
const NETDEV_EXCLUDE = '^(veth.*|[a-f0-9]{15})$';

/**
 * Prometheus node-exporter on every node, a complete agent with no props at all.
 *
 * - reads the node's `/proc`, `/sys` and `/` (read-only, mounted at `/host/proc`, `/host/sys`,
 *   `/host/root`, the root with HostToContainer propagation so later mounts are seen) and passes
 *   the matching `--path.*` flags;
 * - uses the host network and PID namespace (it reports the node's interfaces and processes);
 * - listens on the node's own IP only (`status.hostIP` through the downward API), port 9100
 *   named `metrics`, probed over HTTP;
 * - runs as nobody (65534), read-only root filesystem, no capabilities;
 * - a headless Service annotated for Prometheus scraping, and optionally a ServiceMonitor.
 *
 * Its namespace must allow the `privileged` Pod Security level: host namespaces and hostPath
 * volumes are forbidden by `baseline`.
 *
 * @example
 * const monitoring = new NodeAgentNamespace(chart, 'monitoring', { name: 'monitoring' });
 * new NodeExporterDaemon(chart, 'node-exporter', {
 *   namespace: monitoring,
 *   port: 9110, // 9100 is taken where kube-prometheus-stack runs its own node exporter
 *   enableCollectors: [NodeExporterCollector.SYSTEMD],
 *   serviceMonitor: { interval: Duration.seconds(30), labels: { release: 'kube-prometheus-stack' } },
 * });
 */
export class NodeExporterDaemon extends NodeAgentDaemon {
  /** Port node-exporter listens on. */
  public readonly port: number;
  /** The arguments passed to node-exporter. */
  public readonly args: string[];
  /** The Service, unless `service: false`. */
  public readonly service?: ApiObject;
  /** The ServiceMonitor, when requested. */
  public readonly serviceMonitor?: ApiObject;

  constructor(scope: Construct, id: string, props: NodeExporterDaemonProps = {}) {
    const who = subject('NodeExporterDaemon', [scope.node.path, id].filter(Boolean).join('/'));
    if (!props || typeof props !== 'object') fail(who, 'props', props, 'an object (every prop is optional)');
    const port = checkPort(who, 'port', props.port ?? 9100);
    const args = exporterArgs(who, props, port);
    const dbus = [NodeExporterCollector.SYSTEMD, NodeExporterCollector.LOGIND].some(c => (props.enableCollectors ?? []).includes(c));
    const textfile = props.textfileDirectory !== undefined ? normalizeHostPath(who, 'textfileDirectory', props.textfileDirectory) : undefined;
    if (textfile && isForbiddenWritable(textfile)) fail(who, 'textfileDirectory', textfile, 'a directory of its own, not /, /proc or /sys');
    super(scope, id, {
      ...props,
      image: props.image ?? DEFAULT_IMAGE,
      containerName: 'node-exporter',
      args,
      // The exporter binds the node's IP, not every interface of the node (hostNetwork).
      env: { [HOST_IP_ENV]: AgentEnvValue.fromFieldPath('status.hostIP') },
      ports: [{ name: 'metrics', containerPort: port }],
      livenessProbe: AgentProbe.httpGet({ path: '/', portName: 'metrics', initialDelay: Duration.seconds(5), timeout: Duration.seconds(5) }),
      readinessProbe: AgentProbe.httpGet({ path: '/', portName: 'metrics', timeout: Duration.seconds(5) }),
      hostMounts: [
        { hostPath: '/proc', mountPath: '/host/proc', readOnly: true },
        { hostPath: '/sys', mountPath: '/host/sys', readOnly: true },
        { hostPath: '/', mountPath: '/host/root', readOnly: true, propagation: AgentMountPropagation.HOST_TO_CONTAINER },
        ...(textfile ? [{ hostPath: textfile, mountPath: TEXTFILE_MOUNT, readOnly: true, type: HostMountType.DIRECTORY_OR_CREATE }] : []),
        // The systemd and logind collectors ask systemd over the system D-Bus.
        ...(dbus ? [{ hostPath: DBUS_SOCKET, mountPath: DBUS_SOCKET, readOnly: true, type: HostMountType.SOCKET }] : []),
      ],
      hostNetwork: true,
      hostPID: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      resources: mergeResources(props.resources, DEFAULT_RESOURCES),
    });
    this.port = port;
    this.args = args;

    const withService = checkBoolean(who, 'service', props.service ?? true);
    const metadata = (name: string, labels: Record<string, string>) => ({
      name,
      ...(this.namespaceName ? { namespace: this.namespaceName } : {}),
      labels,
    });
    const labels = { ...(props.labels ?? {}), ...this.selectorLabels };
    if (withService) {
      checkServiceName(who, 'name', this.name, 50);
      this.service = new kube.KubeService(this, 'Service', {
        metadata: {
          ...metadata(this.name, labels),
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' },
        },
        spec: {
          clusterIp: 'None',
          selector: { ...this.selectorLabels },
          ports: [{ name: 'metrics', port, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
        },
      });
    }

    if (props.serviceMonitor !== undefined) {
      const sm = props.serviceMonitor;
      if (!sm || typeof sm !== 'object') fail(who, 'serviceMonitor', sm, 'ServiceMonitor options (an object, possibly empty)');
      if (!withService) fail(who, 'serviceMonitor', sm, 'left out when service is false (a ServiceMonitor selects the Service)');
      const interval = renderSeconds(who, 'serviceMonitor.interval', sm.interval ?? Duration.seconds(30), 1);
      const timeout = sm.scrapeTimeout !== undefined ? renderSeconds(who, 'serviceMonitor.scrapeTimeout', sm.scrapeTimeout, 1) : undefined;
      if (timeout !== undefined && timeout > interval) fail(who, 'serviceMonitor.scrapeTimeout', `${timeout}s`, `at most the interval (${interval}s)`);
      const smLabels = sm.labels === undefined ? labels : {
        ...checkStringMap(who, 'serviceMonitor.labels', sm.labels, isLabelKey, isLabelValue,
          'a map of label keys to label values'),
        ...this.selectorLabels,
      };
      this.serviceMonitor = new ApiObject(this, 'ServiceMonitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: metadata(this.name, smLabels),
        spec: {
          jobLabel: 'app.kubernetes.io/name',
          selector: { matchLabels: { ...this.selectorLabels } },
          ...(this.namespaceName ? { namespaceSelector: { matchNames: [this.namespaceName] } } : {}),
          endpoints: [{
            port: 'metrics',
            scheme: 'http',
            path: '/metrics',
            interval: `${interval}s`,
            ...(timeout !== undefined ? { scrapeTimeout: `${timeout}s` } : {}),
            relabelings: [{
              action: 'replace',
              sourceLabels: ['__meta_kubernetes_pod_node_name'],
              targetLabel: 'instance',
            }],
          }],
        },
      });
    }
  }
}

function collectorList(who: string, property: string, value: unknown): NodeExporterCollector[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(who, property, value, 'a list of NodeExporterCollector');
  const known = Object.values(NodeExporterCollector);
  return [...new Set(value.map(v => checkOneOf(who, property, v, known)))];
}

function exporterArgs(who: string, props: NodeExporterDaemonProps, port: number): string[] {
  const enabled = collectorList(who, 'enableCollectors', props.enableCollectors);
  const disabled = collectorList(who, 'disableCollectors', props.disableCollectors);
  const both = enabled.filter(c => disabled.includes(c));
  if (both.length > 0) fail(who, 'disableCollectors', both[0], 'collectors not also listed in enableCollectors');
  if (props.textfileDirectory !== undefined && disabled.includes(NodeExporterCollector.TEXTFILE)) {
    fail(who, 'textfileDirectory', props.textfileDirectory, 'left out when the textfile collector is disabled');
  }
  const args = [
    '--path.procfs=/host/proc',
    '--path.sysfs=/host/sys',
    '--path.rootfs=/host/root',
    '--path.udev.data=/host/root/run/udev/data',
    // Brackets keep an IPv6 node address apart from the port; Go accepts them around IPv4 too.
    `--web.listen-address=[$(${HOST_IP_ENV})]:${port}`,
  ];
  if (!disabled.includes(NodeExporterCollector.FILESYSTEM)) args.push(`--collector.filesystem.mount-points-exclude=${FILESYSTEM_EXCLUDE}`);
  if (!disabled.includes(NodeExporterCollector.NETDEV)) args.push(`--collector.netdev.device-exclude=${NETDEV_EXCLUDE}`);
  if (!disabled.includes(NodeExporterCollector.NETCLASS)) args.push(`--collector.netclass.ignored-devices=${NETDEV_EXCLUDE}`);
  if (props.textfileDirectory !== undefined) args.push(`--collector.textfile.directory=${TEXTFILE_MOUNT}`);
  for (const c of enabled) args.push(`--collector.${c}`);
  for (const c of disabled) args.push(`--no-collector.${c}`);
  return args;
}
