import { ApiObject, Names } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AgentPodSecurityLevel } from './pod-security-level';
import { fail, subject } from '../internal/errors';
import * as kube from '../internal/kube-objects';
import { markLibraryConstruct } from '../internal/library-marker';
import { checkDnsLabel, checkOneOf } from '../internal/validate';

/** A namespace node agents can be placed in. */
export interface IAgentNamespace {
  /** The namespace's name. */
  readonly namespaceName: string;
}

/** Anything placed in a `NodeAgentNamespace`: it says which Pod Security level it needs. */
export interface IPodSecurityAware {
  /** The construct path, for error messages. */
  readonly nodePath: string;
  /** The most restrictive Pod Security level the workload can run under. */
  readonly podSecurityLevel: AgentPodSecurityLevel;
  /**
   * Priority class of the workload's pods.
   * @default - none
   */
  readonly priorityClassName?: string;
}

/** Props of `NodeAgentNamespace`. */
export interface NodeAgentNamespaceProps {
  /**
   * Name of the Namespace.
   * @default - a DNS label derived from the construct path
   */
  readonly name?: string;
  /**
   * The Pod Security level to enforce, warn and audit. An agent placed in the namespace that
   * needs a more permissive level is refused.
   * @default - the most permissive level needed by the agents placed in it (restricted when empty)
   */
  readonly level?: AgentPodSecurityLevel;
  /**
   * The Pod Security Standards version the labels pin (`v1.<minor>` or `latest`).
   * @default 'v1.28'
   */
  readonly version?: string;
}

const ORDER = [AgentPodSecurityLevel.RESTRICTED, AgentPodSecurityLevel.BASELINE, AgentPodSecurityLevel.PRIVILEGED];
/**
 * The priority classes Kubernetes creates for its own add-ons. A cluster may limit them to
 * namespaces holding a ResourceQuota scoped to them (GKE does, for every namespace but kube-system).
 */
const CRITICAL_PRIORITY_CLASSES = ['system-node-critical', 'system-cluster-critical'];

/**
 * A Namespace for node agents, labelled with the Pod Security admission level they need.
 *
 * The labels are `pod-security.kubernetes.io/enforce`, `warn` and `audit`, each with its
 * `-version`. Agents given this namespace (`namespace: ns`) register themselves; unless a level
 * is set, the namespace enforces the most permissive level any of them needs, and nothing looser.
 *
 * When an agent in it uses the `system-node-critical` or `system-cluster-critical` priority
 * class, the namespace also gets the ResourceQuota `critical-pods` scoped to those two classes:
 * clusters that keep them for kube-system (GKE) admit such pods only in a namespace with a
 * matching quota. It limits nothing (a billion pods) anywhere else.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#limit-priority-class-consumption-by-default
 * @example
 * const monitoring = new NodeAgentNamespace(chart, 'monitoring', { name: 'monitoring' });
 * new NodeExporterDaemon(chart, 'node-exporter', { namespace: monitoring });
 * // monitoring.level is now AgentPodSecurityLevel.PRIVILEGED (host network, PID and paths).
 */
export class NodeAgentNamespace extends Construct implements IAgentNamespace {
  /** An existing namespace (nothing is emitted; its labels are the cluster admin's business). */
  public static fromNamespaceName(name: string): IAgentNamespace {
    checkDnsLabel(subject('NodeAgentNamespace', name), 'name', name);
    return { namespaceName: name };
  }

  /** The namespace's name. */
  public readonly namespaceName: string;
  /** The Pod Security Standards version pinned by the labels. */
  public readonly version: string;
  /** The emitted Namespace. */
  public readonly apiObject: ApiObject;

  private readonly explicitLevel?: AgentPodSecurityLevel;
  private readonly members: IPodSecurityAware[] = [];
  private quota?: ApiObject;

  constructor(scope: Construct, id: string, props: NodeAgentNamespaceProps = {}) {
    super(scope, id);
    markLibraryConstruct(this);
    const who = subject('NodeAgentNamespace', this);
    this.namespaceName = checkDnsLabel(who, 'name', props.name ?? Names.toDnsLabel(this));
    if (props.level !== undefined) this.explicitLevel = checkOneOf(who, 'level', props.level, ORDER);
    const version = props.version ?? 'v1.28';
    if (typeof version !== 'string' || !/^(latest|v1\.[0-9]{1,3})$/.test(version)) {
      fail(who, 'version', version, "'latest' or a Kubernetes minor version such as 'v1.28'");
    }
    this.version = version;
    this.apiObject = new PodSecurityLabelledNamespace(this, 'Resource', () => this.labels, { metadata: { name: this.namespaceName } });
  }

  /**
   * The ResourceQuota that lets pods of the critical priority classes in, once an agent using
   * one of them is placed here.
   */
  public get criticalPodsQuota(): ApiObject | undefined {
    return this.quota;
  }

  /** The level enforced: the explicit one, or the most permissive one its agents need. */
  public get level(): AgentPodSecurityLevel {
    if (this.explicitLevel) return this.explicitLevel;
    return this.members.reduce<AgentPodSecurityLevel>((acc, m) => ORDER.indexOf(m.podSecurityLevel) > ORDER.indexOf(acc) ? m.podSecurityLevel : acc,
      AgentPodSecurityLevel.RESTRICTED);
  }

  /** The pod-security labels of the namespace. */
  public get labels(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ['enforce', 'warn', 'audit']) {
      labels[`pod-security.kubernetes.io/${mode}`] = this.level;
      labels[`pod-security.kubernetes.io/${mode}-version`] = this.version;
    }
    return labels;
  }

  /**
   * Place a workload in the namespace (agents do it themselves). Throws when the namespace has an
   * explicit level stricter than the workload needs.
   */
  public admit(member: IPodSecurityAware): void {
    if (!this.members.includes(member)) this.members.push(member);
    const priority = member.priorityClassName;
    if (priority !== undefined && CRITICAL_PRIORITY_CLASSES.includes(priority) && this.namespaceName !== 'kube-system' && !this.quota) {
      this.quota = new k8s.KubeResourceQuota(this, 'CriticalPods', {
        metadata: { name: 'critical-pods', namespace: this.namespaceName },
        spec: {
          hard: { pods: k8s.Quantity.fromString('1G') },
          scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [...CRITICAL_PRIORITY_CLASSES] }] },
        },
      });
    }
    const needed = member.podSecurityLevel;
    if (this.explicitLevel && ORDER.indexOf(needed) > ORDER.indexOf(this.explicitLevel)) {
      fail(subject('NodeAgentNamespace', this), 'level', this.explicitLevel,
        `at least as permissive as '${needed}', which agent '${member.nodePath}' needs (host access is forbidden below privileged)`);
    }
  }
}

/**
 * A Namespace whose Pod Security labels are read when it is rendered, so that agents placed in
 * it after its creation are honoured; they win over labels of the same key added through
 * `metadata`.
 */
class PodSecurityLabelledNamespace extends kube.KubeNamespace {
  constructor(scope: Construct, id: string, private readonly podSecurityLabels: () => Record<string, string>, props: k8s.KubeNamespaceProps) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    json.metadata = { ...json.metadata, labels: { ...(json.metadata?.labels ?? {}), ...this.podSecurityLabels() } };
    return json;
  }
}
