import { Duration } from 'cdk8s';
import { AgentEnvValue } from './agent-env';
import { IAgentNamespace } from './agent-namespace';
import { AgentPolicyRule } from './agent-policy-rule';
import { AgentPort } from './agent-port';
import { AgentProbe } from './agent-probe';
import { AgentResources } from './agent-resources';
import { AgentToleration, NodeLabelRequirement } from './agent-scheduling';
import { HostMount } from './host-mount';
import { MaxUnavailable } from './max-unavailable';

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
   * Namespace of the agent's objects. Pass a `NodeAgentNamespace` to have its Pod Security
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
   * @default - every taint (one toleration with the operator Exists)
   */
  readonly tolerations?: AgentToleration[];
  /**
   * Priority class of the pods, e.g. `system-node-critical` so that the agent is not evicted
   * before ordinary workloads under node pressure.
   *
   * Kubernetes admits `system-node-critical` and `system-cluster-critical` in any namespace, but a
   * cluster may keep them for kube-system: GKE refuses them elsewhere ("insufficient quota to
   * match these scopes") unless the namespace holds a ResourceQuota scoped to those classes. A
   * `NodeAgentNamespace` creates that quota itself; in kube-system none is needed; in any other
   * namespace on such a cluster, create it yourself or leave the priority class out.
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

/** Props of `NodeAgentDaemon`. */
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
