import { ApiObject, Chart, Duration, Lazy, Names, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AgentEnvValue } from './agent-env';
import { IAgentNamespace, IPodSecurityAware, NodeAgentNamespace } from './agent-namespace';
import { AgentApiVerb, AgentPolicyRule } from './agent-policy-rule';
import { AgentPort, AgentPortProtocol } from './agent-port';
import { AgentProbe } from './agent-probe';
import { AgentResources } from './agent-resources';
import { AgentTaintEffect, AgentToleration, AgentTolerationOperator, NodeLabelOperator, NodeLabelRequirement } from './agent-scheduling';
import { AgentMountPropagation, HostMount, HostMountType } from './host-mount';
import { MaxUnavailable } from './max-unavailable';
import { AgentPodSecurityLevel } from './pod-security-level';
import {
  checkPort, checkStringMap, isForbiddenWritable, isLabelKey, isLabelValue, isPrintable, mergeResources, normalizeHostPath, renderCpu,
  renderSeconds, slugOfPath,
} from './private/daemon-checks';
import { fail, subject } from '../internal/errors';
import * as kube from '../internal/kube-objects';
import { markLibraryConstruct } from '../internal/library-marker';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../internal/security-context';
import { checkAbsolutePath, checkBoolean, checkDnsLabel, checkDnsSubdomain, checkInteger, checkNonEmptyString, checkOneOf, checkPinnedImage } from '../internal/validate';
import { renderSize } from '../storage/private/claim-spec';

/** When the kubelet pulls the agent's image. */
export enum AgentImagePullPolicy {
  ALWAYS = 'Always',
  IF_NOT_PRESENT = 'IfNotPresent',
  NEVER = 'Never',
}

/** A ConfigMap mounted (read-only) into the agent. */
export interface AgentConfigMapMount {
  /** Name of the ConfigMap, in the agent's namespace. */
  readonly configMapName: string;
  /** Absolute directory inside the container where its keys appear as files. */
  readonly mountPath: string;
}

/** Props every node agent accepts (scheduling, placement, rollout and resources). */
export interface NodeAgentOptions {
  /**
   * Name of the DaemonSet, its ServiceAccount and the other objects of the agent.
   * @default - a DNS label derived from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the agent's objects. Pass a {@link NodeAgentNamespace} to have its Pod Security
   * labels follow what the agent needs.
   * @default - the chart's namespace
   */
  readonly namespace?: IAgentNamespace;
  /**
   * Create a Namespace of this name for the agent alone, labelled with the Pod Security level it
   * needs. Refused together with `namespace`.
   * @default - no Namespace is created
   */
  readonly createNamespace?: string;
  /**
   * Labels added to every object of the agent and to its pods.
   * @default - none beyond app.kubernetes.io/name and app.kubernetes.io/instance
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the pod template.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Node labels a node must carry (replaces the default: keep the OS label if you need it).
   * @default { 'kubernetes.io/os': 'linux' }
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Run only on the nodes meeting all these requirements (required node affinity).
   * @default - every node the node selector allows
   */
  readonly nodeAffinity?: NodeLabelRequirement[];
  /**
   * Taints the agent tolerates. An agent that skips tainted nodes leaves holes in what it
   * collects, so the default tolerates everything; pass `[]` to tolerate nothing.
   * @default [{ operator: AgentTolerationOperator.EXISTS }] - every taint
   */
  readonly tolerations?: AgentToleration[];
  /**
   * Priority class of the pods, e.g. `system-node-critical` so that the agent is not evicted
   * before ordinary workloads under node pressure.
   * @default - none (the cluster's default priority)
   */
  readonly priorityClassName?: string;
  /**
   * CPU and memory requests and limits.
   * @default - the agent's defaults (NodeAgentDaemon: requests 100m / 128Mi, limits 500m / 256Mi)
   */
  readonly resources?: AgentResources;
  /**
   * Nodes that may run no ready agent during a rolling update.
   * @default MaxUnavailable.count(1)
   */
  readonly maxUnavailable?: MaxUnavailable;
  /**
   * Image pull policy.
   * @default - Kubernetes' default (IfNotPresent for a tagged image)
   */
  readonly imagePullPolicy?: AgentImagePullPolicy;
  /**
   * Time the agent gets to shut down (flush buffers) before it is killed.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
}

/** Props of {@link NodeAgentDaemon}. */
export interface NodeAgentDaemonProps extends NodeAgentOptions {
  /** Container image, pinned to a tag or digest (`:latest` and untagged images are refused). */
  readonly image: string;
  /**
   * Name of the container (also `app.kubernetes.io/name` of the pods).
   * @default 'agent'
   */
  readonly containerName?: string;
  /**
   * Entrypoint override.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Environment variables; secrets only through `AgentEnvValue.fromSecret`.
   * @default - none
   */
  readonly env?: { [name: string]: AgentEnvValue };
  /**
   * Ports the agent listens on (on the node itself when `hostNetwork` is set).
   * @default - none
   */
  readonly ports?: AgentPort[];
  /**
   * Liveness probe.
   * @default - none
   */
  readonly livenessProbe?: AgentProbe;
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readinessProbe?: AgentProbe;
  /**
   * Directories of the node mounted into the agent, read-only unless `readOnly: false`.
   * @default - none
   */
  readonly hostMounts?: HostMount[];
  /**
   * ConfigMaps mounted read-only into the agent.
   * @default - none
   */
  readonly configMapMounts?: AgentConfigMapMount[];
  /**
   * Use the node's network namespace (the agent sees the node's interfaces and listens on its IP).
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Use the node's PID namespace (the agent sees every process of the node).
   * @default false
   */
  readonly hostPID?: boolean;
  /**
   * User id of the agent's process; 0 (root) drops `runAsNonRoot` and the restricted level.
   * @default 65534 - nobody
   */
  readonly runAsUser?: number;
  /**
   * Group id of the agent's process.
   * @default - the user id
   */
  readonly runAsGroup?: number;
  /**
   * Mount the container's root filesystem read-only.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Linux capabilities added back after dropping ALL (upper-case names without `CAP_`).
   * @default - none
   */
  readonly addCapabilities?: string[];
  /**
   * Kubernetes API access the agent needs. When non-empty, the ServiceAccount token is mounted
   * and a ClusterRole with exactly these rules is bound to it; otherwise no token is mounted.
   * @default - no API access, no token
   */
  readonly apiAccess?: AgentPolicyRule[];
}

/** A host mount with every default resolved (what {@link NodeAgentDaemon.hostPaths} lists). */
interface ResolvedHostMount {
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
  readonly propagation: AgentMountPropagation;
  readonly type: HostMountType;
}

const DEFAULT_RESOURCES = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(500),
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.mebibytes(256),
};
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CAPABILITY = /^[A-Z][A-Z_]{1,30}$/;
/** Capabilities the baseline Pod Security level allows to add back. */
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT'];
/** The scheduling fields of the pod spec, rendered once from the props. */
type RenderedScheduling = Pick<k8s.PodSpec, 'nodeSelector' | 'affinity' | 'tolerations' | 'priorityClassName'>;
/** The probes of the container, rendered once from the props. */
type RenderedProbes = Pick<k8s.Container, 'livenessProbe' | 'readinessProbe'>;

const LEVEL_ORDER = [AgentPodSecurityLevel.RESTRICTED, AgentPodSecurityLevel.BASELINE, AgentPodSecurityLevel.PRIVILEGED];

/**
 * A DaemonSet running one agent pod on every node (the base of the node agents of this
 * library, usable on its own), with the host access it needs stated explicitly and everything
 * else as tight as an agent allows:
 *
 * - host paths are listed in one place ({@link hostPaths}), read-only unless asked otherwise;
 *   writable mounts of `/`, `/proc`, `/sys` (and below) are refused;
 * - non-root (uid 65534) unless asked, read-only root filesystem, no privilege escalation,
 *   ALL capabilities dropped, RuntimeDefault seccomp;
 * - a ServiceAccount whose token is not mounted unless the agent needs the API, then a
 *   ClusterRole with exactly the rules given;
 * - every taint tolerated, Linux nodes only, RollingUpdate with maxUnavailable 1.
 *
 * Its {@link podSecurityLevel} says which Pod Security level its namespace must allow: any host
 * access (hostNetwork, hostPID, host paths, host ports) needs `privileged`.
 */
export class NodeAgentDaemon extends Construct implements IPodSecurityAware {
  /** Name of the DaemonSet, ServiceAccount and the other objects of the agent. */
  public readonly name: string;
  /** The agent's namespace, when known (the props' or the chart's). */
  public readonly namespaceName?: string;
  /** Container image. */
  public readonly image: string;
  /** Labels selecting the agent's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The construct path (for messages). */
  public readonly nodePath: string;
  /** Whether the agent uses the node's network namespace. */
  public readonly hostNetwork: boolean;
  /** Whether the agent uses the node's PID namespace. */
  public readonly hostPID: boolean;
  /** User id the agent runs as. */
  public readonly runAsUser: number;
  /** Whether the ServiceAccount token is mounted (only when the agent needs the API). */
  public readonly automountServiceAccountToken: boolean;
  /** The emitted DaemonSet. */
  public readonly daemonSet: ApiObject;
  /** The emitted ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The emitted ClusterRole, when the agent needs the API. */
  public readonly clusterRole?: ApiObject;
  /** The emitted ClusterRoleBinding, when the agent needs the API. */
  public readonly clusterRoleBinding?: ApiObject;
  /** The Namespace created for the agent (`createNamespace`). */
  public readonly createdNamespace?: NodeAgentNamespace;

  private readonly who: string;
  private readonly mounts: ResolvedHostMount[] = [];
  private readonly configMounts: AgentConfigMapMount[] = [];
  private readonly ports: AgentPort[];
  private readonly capabilities: string[];
  private readonly podAnnotations: Record<string, string>;
  private readonly labels: Record<string, string>;
  private readonly agentNamespace?: IAgentNamespace;
  private readonly renderedEnv: k8s.EnvVar[];
  private readonly renderedResources: k8s.ResourceRequirements;
  private readonly renderedScheduling: RenderedScheduling;
  private readonly renderedProbes: RenderedProbes;
  private readonly maxUnavailableValue: k8s.IntOrString;
  private readonly runAsGroup: number;
  private readonly readOnlyRootFilesystem: boolean;

  constructor(scope: Construct, id: string, props: NodeAgentDaemonProps) {
    super(scope, id);
    markLibraryConstruct(this);
    const kind = new.target?.name ?? 'NodeAgentDaemon';
    const who = subject(kind, this);
    this.who = who;
    this.nodePath = this.node.path;
    if (!props || typeof props !== 'object') fail(who, 'props', props, 'an object with at least an image');

    this.name = props.name !== undefined ? checkName(who, props.name) : Names.toDnsLabel(this, { maxLen: 50 });
    this.image = checkImage(who, props.image);
    const containerName = checkDnsLabel(who, 'containerName', props.containerName ?? 'agent');
    this.selectorLabels = { 'app.kubernetes.io/name': containerName, 'app.kubernetes.io/instance': this.name };
    this.labels = props.labels === undefined ? {} : checkStringMap(who, 'labels', props.labels, isLabelKey, isLabelValue,
      'a map of label keys to label values (at most 63 letters, digits, \'-\', \'_\' and \'.\')');
    for (const key of Object.keys(this.selectorLabels)) {
      if (key in this.labels) fail(who, `labels['${key}']`, this.labels[key], 'left out (the agent sets its selector labels itself)');
    }
    this.podAnnotations = props.podAnnotations === undefined ? {} : checkStringMap(who, 'podAnnotations', props.podAnnotations, isLabelKey, isPrintable,
      'a map of annotation keys to printable strings');

    // Host access.
    this.hostNetwork = checkBoolean(who, 'hostNetwork', props.hostNetwork ?? false);
    this.hostPID = checkBoolean(who, 'hostPID', props.hostPID ?? false);
    if (props.hostMounts !== undefined && !Array.isArray(props.hostMounts)) fail(who, 'hostMounts', props.hostMounts, 'a list of host mounts');
    for (const mount of props.hostMounts ?? []) this.pushHostMount(mount);
    if (props.configMapMounts !== undefined && !Array.isArray(props.configMapMounts)) fail(who, 'configMapMounts', props.configMapMounts, 'a list of ConfigMap mounts');
    for (const mount of props.configMapMounts ?? []) this.pushConfigMapMount(mount);

    // Process identity and capabilities.
    this.runAsUser = checkInteger(who, 'runAsUser', props.runAsUser ?? 65534, 0, 2147483647);
    this.runAsGroup = checkInteger(who, 'runAsGroup', props.runAsGroup ?? this.runAsUser, 0, 2147483647);
    this.readOnlyRootFilesystem = checkBoolean(who, 'readOnlyRootFilesystem', props.readOnlyRootFilesystem ?? true);
    if (props.addCapabilities !== undefined && !Array.isArray(props.addCapabilities)) fail(who, 'addCapabilities', props.addCapabilities, 'a list of capability names');
    this.capabilities = [...(props.addCapabilities ?? [])];
    for (const cap of this.capabilities) {
      if (typeof cap !== 'string' || !CAPABILITY.test(cap) || cap.startsWith('CAP_') || cap === 'ALL' || cap === 'SYS_ADMIN') {
        fail(who, 'addCapabilities', cap, "a capability name such as 'NET_BIND_SERVICE' (without 'CAP_'; ALL and SYS_ADMIN are refused)");
      }
    }

    // Container interface: ports, env, probes.
    if (props.ports !== undefined && !Array.isArray(props.ports)) fail(who, 'ports', props.ports, 'a list of ports');
    this.ports = (props.ports ?? []).map((p, i) => checkAgentPort(who, `ports[${i}]`, p));
    const names = new Set<string>();
    const numbers = new Set<string>();
    for (const p of this.ports) {
      if (names.has(p.name)) fail(who, 'ports', p.name, 'ports with distinct names');
      const key = `${p.containerPort}/${p.protocol}`;
      if (numbers.has(key)) fail(who, 'ports', key, 'ports with distinct numbers');
      names.add(p.name);
      numbers.add(key);
    }
    this.renderedEnv = renderEnv(who, props.env);
    this.renderedProbes = {
      ...(props.livenessProbe !== undefined ? { livenessProbe: this.renderProbe('livenessProbe', props.livenessProbe) } : {}),
      ...(props.readinessProbe !== undefined ? { readinessProbe: this.renderProbe('readinessProbe', props.readinessProbe) } : {}),
    };
    if (props.command !== undefined) checkStringList(who, 'command', props.command);
    if (props.args !== undefined) checkStringList(who, 'args', props.args);

    // Resources, rollout, scheduling.
    this.renderedResources = renderResources(who, mergeResources(props.resources, DEFAULT_RESOURCES));
    this.maxUnavailableValue = renderMaxUnavailable(who, props.maxUnavailable ?? MaxUnavailable.count(1));
    this.renderedScheduling = renderScheduling(who, props);
    if (props.imagePullPolicy !== undefined) checkOneOf(who, 'imagePullPolicy', props.imagePullPolicy, Object.values(AgentImagePullPolicy));
    const grace = props.terminationGracePeriod !== undefined ? renderSeconds(who, 'terminationGracePeriod', props.terminationGracePeriod, 0) : undefined;

    // API access.
    if (props.apiAccess !== undefined && !Array.isArray(props.apiAccess)) fail(who, 'apiAccess', props.apiAccess, 'a list of policy rules');
    const rules = (props.apiAccess ?? []).map((r, i) => renderRule(who, `apiAccess[${i}]`, r));
    this.automountServiceAccountToken = rules.length > 0;

    // Namespace.
    if (props.namespace !== undefined && props.createNamespace !== undefined) {
      fail(who, 'createNamespace', props.createNamespace, 'left out when namespace is given');
    }
    if (props.createNamespace !== undefined) {
      this.createdNamespace = new NodeAgentNamespace(this, 'Namespace', { name: checkDnsLabel(who, 'createNamespace', props.createNamespace) });
      this.agentNamespace = this.createdNamespace;
    } else if (props.namespace !== undefined) {
      if (!props.namespace || typeof props.namespace.namespaceName !== 'string') {
        fail(who, 'namespace', props.namespace, 'a NodeAgentNamespace or NodeAgentNamespace.fromNamespaceName(name)');
      }
      checkDnsLabel(who, 'namespace', props.namespace.namespaceName);
      this.agentNamespace = props.namespace;
    }
    const chartNamespace = Chart.of(this).namespace;
    // A ClusterRoleBinding must name the ServiceAccount's namespace: pin 'default' rather than guess.
    const explicitNamespace = this.agentNamespace?.namespaceName ?? (rules.length > 0 && !chartNamespace ? 'default' : undefined);
    this.namespaceName = explicitNamespace ?? chartNamespace;
    const metadata = (name: string) => ({
      name,
      ...(explicitNamespace ? { namespace: explicitNamespace } : {}),
      labels: { ...this.labels, ...this.selectorLabels },
    });

    this.serviceAccount = new kube.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(this.name),
      automountServiceAccountToken: this.automountServiceAccountToken,
    });
    if (rules.length > 0) {
      const roleName = explicitNamespace || chartNamespace ? `${this.namespaceName}-${this.name}` : this.name;
      this.clusterRole = new kube.KubeClusterRole(this, 'ClusterRole', {
        metadata: { name: roleName, labels: { ...this.labels, ...this.selectorLabels } },
        rules,
      });
      this.clusterRoleBinding = new kube.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name: roleName, labels: { ...this.labels, ...this.selectorLabels } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespaceName ?? 'default' }],
      });
    }

    const runAs = () => ({ uid: this.runAsUser, gid: this.runAsGroup });
    const podSecurityContext = () => restrictedPodSecurityContext(runAs());
    const containerSecurityContext = () => restrictedContainerSecurityContext({
      readOnlyRootFilesystem: this.readOnlyRootFilesystem, addCapabilities: this.capabilities, repeat: runAs(),
    });

    this.daemonSet = new kube.KubeDaemonSet(this, 'DaemonSet', {
      metadata: metadata(this.name),
      spec: Lazy.any({
        produce: (): k8s.DaemonSetSpec => ({
          selector: { matchLabels: { ...this.selectorLabels } },
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: this.maxUnavailableValue } },
          template: {
            metadata: {
              labels: { ...this.labels, ...this.selectorLabels },
              ...(Object.keys(this.podAnnotations).length ? { annotations: { ...this.podAnnotations } } : {}),
            },
            spec: {
              serviceAccountName: this.name,
              automountServiceAccountToken: this.automountServiceAccountToken,
              ...(this.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
              ...(this.hostPID ? { hostPid: true } : {}),
              ...this.renderedScheduling,
              ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
              securityContext: podSecurityContext(),
              containers: [{
                name: containerName,
                image: this.image,
                ...(props.imagePullPolicy ? { imagePullPolicy: props.imagePullPolicy } : {}),
                ...(props.command ? { command: [...props.command] } : {}),
                ...(props.args ? { args: [...props.args] } : {}),
                ...(this.renderedEnv.length ? { env: this.renderedEnv } : {}),
                ...(this.ports.length ? {
                  ports: this.ports.map(p => ({
                    name: p.name,
                    containerPort: p.containerPort,
                    ...(this.hostNetwork ? { hostPort: p.containerPort } : {}),
                    protocol: p.protocol,
                  })),
                } : {}),
                ...this.renderedProbes,
                resources: this.renderedResources,
                securityContext: containerSecurityContext(),
                ...(this.volumes().length ? { volumeMounts: this.volumes().map(v => v.mount) } : {}),
              }],
              ...(this.volumes().length ? { volumes: this.volumes().map(v => v.volume) } : {}),
            },
          },
        }),
      }),
    });

    if (this.agentNamespace instanceof NodeAgentNamespace) this.agentNamespace.admit(this);
  }

  /**
   * Every host path the agent can touch, with its mount and access: the one list a reviewer
   * needs to read.
   */
  public get hostPaths(): HostMount[] {
    return this.mounts.map(m => ({ ...m }));
  }

  /**
   * The most restrictive Pod Security level the agent can run under: `privileged` with any
   * host access (hostNetwork, hostPID, host paths, host ports) or a capability outside the
   * baseline set; `baseline` when it runs as root or adds a capability other than
   * NET_BIND_SERVICE; otherwise `restricted`.
   */
  public get podSecurityLevel(): AgentPodSecurityLevel {
    if (this.hostNetwork || this.hostPID || this.mounts.length > 0 || this.capabilities.some(c => !BASELINE_CAPABILITIES.includes(c))) {
      return AgentPodSecurityLevel.PRIVILEGED;
    }
    if (this.runAsUser === 0 || this.capabilities.some(c => c !== 'NET_BIND_SERVICE')) return AgentPodSecurityLevel.BASELINE;
    return AgentPodSecurityLevel.RESTRICTED;
  }

  /** Mount one more directory of the node (read-only unless `readOnly: false`). */
  public addHostMount(mount: HostMount): void {
    this.pushHostMount(mount);
    if (this.agentNamespace instanceof NodeAgentNamespace) this.agentNamespace.admit(this);
  }

  /** Add (or replace) an annotation of the pod template, e.g. a checksum of the configuration. */
  public addPodAnnotation(key: string, value: string): void {
    if (typeof key !== 'string' || !isLabelKey(key)) fail(this.who, 'podAnnotations', key, 'an annotation key (optional DNS prefix and a name of at most 63 characters)');
    if (!isPrintable(value)) fail(this.who, `podAnnotations['${key}']`, value, 'a printable string');
    this.podAnnotations[key] = value;
  }

  /** Mount one more ConfigMap (read-only). */
  public addConfigMapMount(mount: AgentConfigMapMount): void {
    this.pushConfigMapMount(mount);
  }

  /** The namespace this agent is placed in, when one was given or created. */
  public get namespace(): IAgentNamespace | undefined {
    return this.agentNamespace;
  }

  /** Whether a level is at least as permissive as this agent needs (helper for callers). */
  public runsUnder(level: AgentPodSecurityLevel): boolean {
    return LEVEL_ORDER.indexOf(level) >= LEVEL_ORDER.indexOf(this.podSecurityLevel);
  }

  private pushHostMount(mount: HostMount): void {
    const who = this.who;
    if (!mount || typeof mount !== 'object') fail(who, 'hostMounts', mount, 'a host mount { hostPath, mountPath, readOnly? }');
    const hostPath = normalizeHostPath(who, 'hostPath', mount.hostPath);
    const mountPath = normalizeHostPath(who, 'mountPath', mount.mountPath);
    const readOnly = checkBoolean(who, `readOnly of host path ${hostPath}`, mount.readOnly ?? true);
    if (!readOnly && isForbiddenWritable(hostPath)) {
      fail(who, `hostMounts (${hostPath})`, 'readOnly: false', 'read-only for /, /proc, /sys and anything under /proc and /sys (a writable mount there changes the node itself)');
    }
    const propagation = checkOneOf(who, `propagation of host path ${hostPath}`, mount.propagation ?? AgentMountPropagation.NONE, Object.values(AgentMountPropagation));
    const type = checkOneOf(who, `type of host path ${hostPath}`, mount.type ?? HostMountType.UNCHECKED, Object.values(HostMountType));
    this.checkMountPathFree(mountPath);
    this.mounts.push({ hostPath, mountPath, readOnly, propagation, type });
  }

  private pushConfigMapMount(mount: AgentConfigMapMount): void {
    const who = this.who;
    if (!mount || typeof mount !== 'object') fail(who, 'configMapMounts', mount, 'a ConfigMap mount { configMapName, mountPath }');
    const configMapName = checkDnsSubdomain(who, 'configMapName', mount.configMapName);
    const mountPath = normalizeHostPath(who, 'mountPath', checkAbsolutePath(who, 'mountPath', mount.mountPath));
    this.checkMountPathFree(mountPath);
    this.configMounts.push({ configMapName, mountPath });
  }

  private checkMountPathFree(mountPath: string): void {
    if (mountPath.includes(':')) fail(this.who, 'mountPath', mountPath, "a path without ':'");
    if (mountPath === '/') fail(this.who, 'mountPath', mountPath, 'a directory other than the container\'s root');
    const taken = [...this.mounts.map(m => m.mountPath), ...this.configMounts.map(m => m.mountPath)];
    if (taken.includes(mountPath)) fail(this.who, 'mountPath', mountPath, 'a path no other mount of the agent uses');
  }

  private volumes(): Array<{ volume: k8s.Volume; mount: k8s.VolumeMount }> {
    const used = new Set<string>();
    const unique = (base: string) => {
      let name = base;
      for (let i = 2; used.has(name); i++) name = `${base.slice(0, 58)}-${i}`;
      used.add(name);
      return name;
    };
    const host = this.mounts.map(m => {
      const name = unique(`host-${slugOfPath(m.hostPath, 50)}`);
      return {
        volume: { name, hostPath: { path: m.hostPath, ...(m.type ? { type: m.type } : {}) } },
        mount: {
          name,
          mountPath: m.mountPath,
          readOnly: m.readOnly,
          ...(m.propagation !== AgentMountPropagation.NONE ? { mountPropagation: m.propagation } : {}),
        },
      };
    });
    const config = this.configMounts.map(m => {
      const name = unique(`config-${slugOfPath(m.configMapName, 50)}`);
      return {
        volume: { name, configMap: { name: m.configMapName } },
        mount: { name, mountPath: m.mountPath, readOnly: true },
      };
    });
    return [...host, ...config];
  }

  private renderProbe(property: string, probe: AgentProbe): k8s.Probe {
    if (!(probe instanceof AgentProbe)) fail(this.who, property, probe, 'an AgentProbe such as AgentProbe.httpGet({ path: \'/\' })');
    return probe._toKube(this.who, property, this.ports);
  }
}

function checkName(who: string, name: unknown): string {
  const value = checkDnsLabel(who, 'name', name, 50);
  if (!/^[a-z]/.test(value)) fail(who, 'name', name, 'a DNS-1035 label (starting with a letter; it also names the Service)');
  return value;
}

function checkImage(who: string, image: unknown): string {
  const value = checkNonEmptyString(who, 'image', image);
  if (/\s/.test(value)) fail(who, 'image', image, 'an image reference without spaces');
  return checkPinnedImage(who, 'image', value, "an image pinned to a tag other than 'latest' or to a digest (a node agent rolls on every node)");
}

function checkStringList(who: string, property: string, value: unknown): string[] {
  if (!Array.isArray(value)) fail(who, property, value, 'a list of strings');
  value.forEach((v, i) => {
    if (!isPrintable(v)) fail(who, `${property}[${i}]`, v, 'a string without control characters');
  });
  return value;
}

function checkAgentPort(who: string, property: string, port: AgentPort): Required<AgentPort> {
  if (!port || typeof port !== 'object') fail(who, property, port, 'a port { name, containerPort }');
  if (typeof port.name !== 'string' || port.name.length > 15 || !PORT_NAME.test(port.name) || port.name.includes('--')) {
    fail(who, `${property}.name`, port.name, "an IANA service name (at most 15 lower-case letters, digits and '-', with a letter)");
  }
  const containerPort = checkPort(who, `${property}.containerPort`, port.containerPort);
  const protocol = checkOneOf(who, `${property}.protocol`, port.protocol ?? AgentPortProtocol.TCP, Object.values(AgentPortProtocol));
  return { name: port.name, containerPort, protocol };
}

function renderEnv(who: string, env: { [name: string]: AgentEnvValue } | undefined): k8s.EnvVar[] {
  if (env === undefined) return [];
  if (!env || typeof env !== 'object' || Array.isArray(env)) fail(who, 'env', env, 'a map of variable names to AgentEnvValue');
  return Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) fail(who, 'env', name, 'variable names of letters, digits, \'_\', \'-\' and \'.\' not starting with a digit');
    if (!(value instanceof AgentEnvValue)) fail(who, `env.${name}`, value, 'an AgentEnvValue (fromValue, fromSecret or fromFieldPath)');
    return value._toKube(who, name);
  });
}

function renderResources(who: string, r: Required<AgentResources>): k8s.ResourceRequirements {
  const cpuRequest = renderCpu(who, 'resources.cpuRequest', r.cpuRequest);
  const cpuLimit = renderCpu(who, 'resources.cpuLimit', r.cpuLimit);
  const memoryRequest = renderSize(who, 'resources.memoryRequest', r.memoryRequest);
  const memoryLimit = renderSize(who, 'resources.memoryLimit', r.memoryLimit);
  if (cpuRequest.millis > cpuLimit.millis) fail(who, 'resources.cpuLimit', cpuLimit.quantity, `at least the CPU request (${cpuRequest.quantity})`);
  if (r.memoryRequest.toKibibytes() > r.memoryLimit.toKibibytes()) fail(who, 'resources.memoryLimit', memoryLimit, `at least the memory request (${memoryRequest})`);
  return {
    requests: { cpu: k8s.Quantity.fromString(cpuRequest.quantity), memory: k8s.Quantity.fromString(memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(cpuLimit.quantity), memory: k8s.Quantity.fromString(memoryLimit) },
  };
}

function renderMaxUnavailable(who: string, value: MaxUnavailable): k8s.IntOrString {
  const accepted = 'MaxUnavailable.count(n) with a whole n of at least 1, or MaxUnavailable.percent(p) with a whole p from 1 to 100';
  if (!(value instanceof MaxUnavailable)) fail(who, 'maxUnavailable', value, accepted);
  if (value.percentage !== undefined) {
    const p = value.percentage;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 100) fail(who, 'maxUnavailable', typeof p === 'number' ? `${p}%` : p, accepted);
    return k8s.IntOrString.fromString(`${p}%`);
  }
  const n = value.nodes;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 2147483647) fail(who, 'maxUnavailable', n, accepted);
  return k8s.IntOrString.fromNumber(n);
}

function renderScheduling(who: string, props: NodeAgentOptions): RenderedScheduling {
  const nodeSelector = props.nodeSelector === undefined ? { 'kubernetes.io/os': 'linux' }
    : checkStringMap(who, 'nodeSelector', props.nodeSelector, isLabelKey, isLabelValue, 'a map of node label keys to label values');
  let affinity: k8s.Affinity | undefined;

  if (props.nodeAffinity !== undefined) {
    if (!Array.isArray(props.nodeAffinity) || props.nodeAffinity.length === 0) fail(who, 'nodeAffinity', props.nodeAffinity, 'a non-empty list of node label requirements');
    const matchExpressions = props.nodeAffinity.map((req, i): k8s.NodeSelectorRequirement => {
      const where = `nodeAffinity[${i}]`;
      if (!req || typeof req !== 'object') fail(who, where, req, 'a requirement { key, operator, values? }');
      if (typeof req.key !== 'string' || !isLabelKey(req.key)) fail(who, `${where}.key`, req.key, 'a node label key');
      const operator = checkOneOf(who, `${where}.operator`, req.operator, Object.values(NodeLabelOperator));
      const needsValues = operator === NodeLabelOperator.IN || operator === NodeLabelOperator.NOT_IN;
      if (needsValues) {
        if (!Array.isArray(req.values) || req.values.length === 0 || !req.values.every(isLabelValue)) {
          fail(who, `${where}.values`, req.values, `a non-empty list of label values for ${operator}`);
        }
        return { key: req.key, operator, values: [...req.values] };
      }
      if (req.values !== undefined) fail(who, `${where}.values`, req.values, `left out for ${operator}`);
      return { key: req.key, operator };
    });
    affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } };
  }

  const tolerations = props.tolerations ?? [{ operator: AgentTolerationOperator.EXISTS }];
  if (!Array.isArray(tolerations)) fail(who, 'tolerations', tolerations, 'a list of tolerations');
  const renderedTolerations = tolerations.map((t, i): k8s.Toleration => {
    const where = `tolerations[${i}]`;
    if (!t || typeof t !== 'object') fail(who, where, t, 'a toleration { key?, operator?, value?, effect? }');
    const operator = checkOneOf(who, `${where}.operator`, t.operator ?? AgentTolerationOperator.EXISTS, Object.values(AgentTolerationOperator));
    if (t.key !== undefined && (typeof t.key !== 'string' || !isLabelKey(t.key))) fail(who, `${where}.key`, t.key, 'a taint key');
    if (operator === AgentTolerationOperator.EQUAL) {
      if (t.key === undefined) fail(who, `${where}.key`, t.key, 'a taint key for the Equal operator');
      if (t.value === undefined || !isLabelValue(t.value)) fail(who, `${where}.value`, t.value, 'a taint value for the Equal operator');
    } else if (t.value !== undefined) {
      fail(who, `${where}.value`, t.value, 'left out for the Exists operator');
    }
    const effect = t.effect === undefined ? undefined : checkOneOf(who, `${where}.effect`, t.effect, Object.values(AgentTaintEffect));
    return {
      ...(t.key !== undefined ? { key: t.key } : {}),
      operator,
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(effect ? { effect } : {}),
    };
  });
  return {
    nodeSelector,
    ...(affinity ? { affinity } : {}),
    ...(renderedTolerations.length ? { tolerations: renderedTolerations } : {}),
    ...(props.priorityClassName !== undefined ? { priorityClassName: checkDnsSubdomain(who, 'priorityClassName', props.priorityClassName) } : {}),
  };
}

function renderRule(who: string, where: string, rule: AgentPolicyRule): k8s.PolicyRule {
  if (!rule || typeof rule !== 'object') fail(who, where, rule, 'a rule { apiGroups?, resources, verbs }');
  const apiGroups = rule.apiGroups ?? [''];
  if (!Array.isArray(apiGroups) || apiGroups.length === 0 || !apiGroups.every(g => typeof g === 'string' && (g === '' || /^[a-z0-9.-]{1,253}$/.test(g)))) {
    fail(who, `${where}.apiGroups`, apiGroups, "a non-empty list of API groups ('' for core; no wildcards)");
  }
  if (!Array.isArray(rule.resources) || rule.resources.length === 0 || !rule.resources.every(r => typeof r === 'string' && /^[a-z][a-z0-9]*(\/[a-z]+)?$/.test(r))) {
    fail(who, `${where}.resources`, rule.resources, "a non-empty list of resource names such as 'pods' (no wildcards)");
  }
  if (!Array.isArray(rule.verbs) || rule.verbs.length === 0) fail(who, `${where}.verbs`, rule.verbs, 'a non-empty list of AgentApiVerb');
  rule.verbs.forEach(v => checkOneOf(who, `${where}.verbs`, v, Object.values(AgentApiVerb)));
  return { apiGroups: [...apiGroups], resources: [...rule.resources], verbs: [...new Set(rule.verbs)] };
}
