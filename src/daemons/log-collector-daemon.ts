import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { AgentEnvValue } from './agent-env';
import { AgentApiVerb } from './agent-policy-rule';
import { AgentProbe } from './agent-probe';
import { HostMount, HostMountType } from './host-mount';
import { LogOutput } from './log-output';
import { NodeAgentDaemon } from './node-agent-daemon';
import { NodeAgentOptions } from './node-agent-props';
import { isForbiddenWritable, normalizeHostPath, renderSeconds } from './private/daemon-checks';
import { fail, subject } from '../internal/errors';
import { fluentBitSize, globSafe } from './private/fluent-bit';
import { sha256 } from '../internal/hash';
import * as kube from '../internal/kube-objects';
import { checkBoolean, checkOneOf } from '../internal/validate';

/** Log levels of Fluent Bit. */
export enum FluentBitLogLevel {
  OFF = 'off',
  ERROR = 'error',
  WARNING = 'warn',
  INFO = 'info',
  DEBUG = 'debug',
  TRACE = 'trace',
}

/** Props of `LogCollectorDaemon`. */
export interface LogCollectorDaemonProps extends NodeAgentOptions {
  /** Where the records go. */
  readonly output: LogOutput;
  /**
   * Fluent Bit image, pinned. The configuration loads the stock parsers file of the official
   * image (`/fluent-bit/etc/parsers.conf`): an image of your own must ship it at that path.
   * @default 'cr.fluentbit.io/fluent/fluent-bit:5.1.1'
   */
  readonly image?: string;
  /**
   * Directory of the node where Fluent Bit keeps its read positions (a SQLite database per
   * collector), so that a restarted pod resumes where it stopped instead of re-sending or
   * skipping logs. Mounted read-write; created when missing. A per-node host path, never a claim.
   * @default '/var/lib/fluent-bit'
   */
  readonly positionsDirectory?: string;
  /**
   * Also mount `/var/lib/docker/containers` read-only, where the log files of nodes running
   * Docker (cri-dockerd) live behind the `/var/log/pods` symlinks.
   * @default false
   */
  readonly dockerContainerLogs?: boolean;
  /**
   * Fluent Bit's own log level.
   * @default FluentBitLogLevel.INFO
   */
  readonly logLevel?: FluentBitLogLevel;
  /**
   * How often buffered records are flushed to the output.
   * @default Duration.seconds(1)
   */
  readonly flushInterval?: Duration;
  /**
   * Memory the tail input may buffer before it pauses reading (back-pressure from a slow output).
   * @default Size.mebibytes(50)
   */
  readonly memoryBufferLimit?: Size;
}

const DEFAULT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:5.1.1';
/** The parsers (apache, nginx, json, syslog-rfc5424...) the official image ships, named by pod annotations. */
const STOCK_PARSERS_FILE = '/fluent-bit/etc/parsers.conf';
const CONFIG_DIR = '/fluent-bit/config';
const CONFIG_FILE = 'fluent-bit.yaml';
const POSITIONS_MOUNT = '/var/lib/fluent-bit';
const HTTP_PORT = 2020;

/**
 * Fluent Bit on every node, shipping the logs of every container to one typed output.
 *
 * What it reads on the node (all read-only but the positions directory):
 * - `/var/log/containers/*.log`, the kubelet's symlinks named `<pod>_<namespace>_<container>-<id>.log`,
 *   and `/var/log/pods`, where they point; parsed with the built-in `docker` and `cri` multiline parsers;
 * - optionally `/var/lib/docker/containers` (Docker nodes);
 * - `/var/lib/fluent-bit` (read-write), its read positions: a per-node database, never a claim.
 *
 * It enriches records with the Kubernetes filter, which reads pods and namespaces from the API
 * (a ClusterRole with get/list/watch on both, the token mounted), and runs as root: the
 * container log files are owned by root with mode 0640 and the positions directory is created
 * by the kubelet as root. Root here has no capabilities (ALL dropped), no privilege escalation
 * and a read-only root filesystem. Its namespace must allow `privileged` (hostPath volumes).
 *
 * The configuration (Fluent Bit's YAML format) is generated from the props into a ConfigMap; its
 * SHA-256 is the pod-template annotation `checksum/config`, so a change rolls the pods. It loads
 * the image's stock parsers file, so a pod annotated `fluentbit.io/parser: nginx` (or any parser
 * of that file) has its records parsed with it.
 *
 * @example
 * new LogCollectorDaemon(chart, 'logs', {
 *   createNamespace: 'logging',
 *   output: LogOutput.loki({
 *     host: 'loki-gateway.monitoring.svc',
 *     labels: { cluster: 'production' },
 *     user: 'fluent-bit',
 *     passwordSecret: { secretName: 'loki-credentials', key: 'password' },
 *   }),
 * });
 */
export class LogCollectorDaemon extends NodeAgentDaemon {
  /** The generated Fluent Bit configuration (YAML format). */
  public readonly config: string;
  /** SHA-256 of the configuration (the `checksum/config` pod annotation). */
  public readonly configHash: string;
  /** The ConfigMap holding the configuration. */
  public readonly configMap: ApiObject;
  /** The output. */
  public readonly output: LogOutput;

  constructor(scope: Construct, id: string, props: LogCollectorDaemonProps) {
    const who = subject('LogCollectorDaemon', [scope.node.path, id].filter(Boolean).join('/'));
    if (!props || typeof props !== 'object') fail(who, 'props', props, 'an object with at least an output');
    if (!(props.output instanceof LogOutput)) fail(who, 'output', props.output, 'a LogOutput such as LogOutput.loki({ host })');
    const output = props.output._render(who);
    const positions = normalizeHostPath(who, 'positionsDirectory', props.positionsDirectory ?? '/var/lib/fluent-bit');
    if (isForbiddenWritable(positions) || positions === '/var/log' || positions.startsWith('/var/log/')) {
      fail(who, 'positionsDirectory', positions, 'a directory of its own (not /, /proc, /sys or under /var/log)');
    }
    const docker = checkBoolean(who, 'dockerContainerLogs', props.dockerContainerLogs ?? false);
    const mounts: HostMount[] = [
      { hostPath: '/var/log/containers', mountPath: '/var/log/containers', readOnly: true },
      { hostPath: '/var/log/pods', mountPath: '/var/log/pods', readOnly: true },
      ...(docker ? [{ hostPath: '/var/lib/docker/containers', mountPath: '/var/lib/docker/containers', readOnly: true }] : []),
      { hostPath: positions, mountPath: POSITIONS_MOUNT, readOnly: false, type: HostMountType.DIRECTORY_OR_CREATE },
    ];
    const env: { [name: string]: AgentEnvValue } = {};
    for (const e of output.env) env[e.name] = AgentEnvValue.fromSecret(e.secret);

    super(scope, id, {
      ...props,
      image: props.image ?? DEFAULT_IMAGE,
      containerName: 'fluent-bit',
      command: ['/fluent-bit/bin/fluent-bit'],
      args: [`--config=${CONFIG_DIR}/${CONFIG_FILE}`],
      env,
      ports: [{ name: 'http', containerPort: HTTP_PORT }],
      livenessProbe: AgentProbe.httpGet({ path: '/', portName: 'http', initialDelay: Duration.seconds(10) }),
      readinessProbe: AgentProbe.httpGet({ path: '/api/v1/health', portName: 'http' }),
      hostMounts: mounts,
      runAsUser: 0,
      runAsGroup: 0,
      apiAccess: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: [AgentApiVerb.GET, AgentApiVerb.LIST, AgentApiVerb.WATCH] }],
    });
    this.output = props.output;

    const logLevel = checkOneOf(who, 'logLevel', props.logLevel ?? FluentBitLogLevel.INFO, Object.values(FluentBitLogLevel));
    const flush = renderSeconds(who, 'flushInterval', props.flushInterval ?? Duration.seconds(1), 1);
    const memBufLimit = fluentBitSize(who, 'memoryBufferLimit', props.memoryBufferLimit ?? Size.mebibytes(50));
    const dbName = [this.namespaceName, this.name].filter(Boolean).join('.');
    const config = {
      service: {
        flush: flush,
        log_level: logLevel,
        // Pod annotations (k8s-logging.parser) may name any parser of the stock file.
        parsers_file: STOCK_PARSERS_FILE,
        http_server: 'on',
        http_listen: '0.0.0.0',
        http_port: HTTP_PORT,
        health_check: 'on',
      },
      pipeline: {
        inputs: [{
          'name': 'tail',
          'tag': 'kube.*',
          'path': '/var/log/containers/*.log',
          // The collector's own output would be read back in a loop (stdout output): skip its logs.
          'exclude_path': `/var/log/containers/${this.name}-*_${globSafe(this.namespaceName)}_fluent-bit-*.log`,
          'multiline.parser': 'docker, cri',
          'db': `${POSITIONS_MOUNT}/${dbName}.db`,
          'db.locking': true,
          'mem_buf_limit': memBufLimit,
          'skip_long_lines': 'on',
          'refresh_interval': 10,
        }],
        filters: [{
          'name': 'kubernetes',
          'match': 'kube.*',
          'kube_url': 'https://kubernetes.default.svc:443',
          'kube_ca_file': '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
          'kube_token_file': '/var/run/secrets/kubernetes.io/serviceaccount/token',
          'kube_tag_prefix': 'kube.var.log.containers.',
          'merge_log': 'on',
          'keep_log': 'off',
          'k8s-logging.parser': 'on',
          'k8s-logging.exclude': 'on',
          'labels': 'on',
          'annotations': 'off',
        }],
        outputs: [output.section],
      },
    };
    this.config = YAML.stringify(config, { lineWidth: 0 });
    this.configHash = sha256(this.config);

    const configMapName = `${this.name}-config`;
    this.configMap = new kube.KubeConfigMap(this, 'ConfigMap', {
      metadata: {
        name: configMapName,
        ...(this.namespaceName ? { namespace: this.namespaceName } : {}),
        labels: { ...(props.labels ?? {}), ...this.selectorLabels },
      },
      data: { [CONFIG_FILE]: this.config },
    });
    this.addConfigMapMount({ configMapName, mountPath: CONFIG_DIR });
    this.addPodAnnotation('checksum/config', this.configHash);
  }
}
