import { ApiObject, Chart, Lazy, Names, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IAgentNamespace, IPodSecurityAware, NodeAgentNamespace } from './agent-namespace';
import { AgentPort } from './agent-port';
import { AgentProbe } from './agent-probe';
import { AgentMountPropagation, HostMount, HostMountType } from './host-mount';
import { MaxUnavailable } from './max-unavailable';
import { AgentConfigMapMount, AgentImagePullPolicy, NodeAgentDaemonProps } from './node-agent-props';
import { AgentPodSecurityLevel } from './pod-security-level';
import { checkStringMap, isForbiddenWritable, isLabelKey, isLabelValue, isPrintable, mergeResources, normalizeHostPath, renderSeconds, slugOfPath } from './private/daemon-checks';
import { fail, subject } from '../internal/errors';
import * as kube from '../internal/kube-objects';
import { markLibraryConstruct } from '../internal/library-marker';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../internal/security-context';
import { checkAbsolutePath, checkBoolean, checkDnsLabel, checkDnsSubdomain, checkInteger, checkOneOf } from '../internal/validate';
import {
  checkAgentPort, checkImage, checkName, checkStringList, renderEnv, renderMaxUnavailable, renderResources, renderRule,
  renderScheduling, RenderedScheduling,
} from './private/node-agent-rendering';

/** A host mount with every default resolved (what `NodeAgentDaemon.hostPaths` lists). */
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
const CAPABILITY = /^[A-Z][A-Z_]{1,30}$/;
/** Capabilities the baseline Pod Security level allows to add back. */
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT'];
/** The probes of the container, rendered once from the props. */
type RenderedProbes = Pick<k8s.Container, 'livenessProbe' | 'readinessProbe'>;

const LEVEL_ORDER = [AgentPodSecurityLevel.RESTRICTED, AgentPodSecurityLevel.BASELINE, AgentPodSecurityLevel.PRIVILEGED];

/**
 * A DaemonSet running one agent pod on every node (the base of the node agents of this
 * library, usable on its own), with the host access it needs stated explicitly and everything
 * else as tight as an agent allows:
 *
 * - host paths are listed in one place (`hostPaths`), read-only unless asked otherwise;
 *   writable mounts of `/`, `/proc`, `/sys` (and below) are refused;
 * - non-root (uid 65534) unless asked, read-only root filesystem, no privilege escalation,
 *   ALL capabilities dropped, RuntimeDefault seccomp;
 * - a ServiceAccount whose token is not mounted unless the agent needs the API, then a
 *   ClusterRole with exactly the rules given;
 * - every taint tolerated, Linux nodes only, RollingUpdate with maxUnavailable 1.
 *
 * Its `podSecurityLevel` says which Pod Security level its namespace must allow: any host
 * access (hostNetwork, hostPID, host paths, host ports) needs `privileged`.
 *
 * @example
 * const agent = new NodeAgentDaemon(chart, 'inventory', {
 *   image: 'example.com/node-inventory:2.3.1',
 *   hostMounts: [
 *     { hostPath: '/etc/os-release', mountPath: '/host/os-release', type: HostMountType.FILE },
 *     { hostPath: '/var/lib/inventory', mountPath: '/state', readOnly: false, type: HostMountType.DIRECTORY_OR_CREATE },
 *   ],
 *   apiAccess: [{ apiGroups: [''], resources: ['nodes'], verbs: [AgentApiVerb.GET, AgentApiVerb.PATCH] }],
 *   env: { NODE_NAME: AgentEnvValue.fromFieldPath('spec.nodeName') },
 *   createNamespace: 'node-inventory',
 * });
 * // agent.hostPaths lists both mounts; agent.podSecurityLevel is AgentPodSecurityLevel.PRIVILEGED.
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
  /** Priority class of the pods, when one was given. */
  public readonly priorityClassName?: string;
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
    this.priorityClassName = this.renderedScheduling.priorityClassName;
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

