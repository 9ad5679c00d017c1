/**
 * The shape every member-per-pod cluster shares (Cassandra, etcd, ZooKeeper, Redis): validated
 * common props, then a StatefulSet with one `data` claim per member, a headless Service that
 * publishes members before they are Ready (peers must find each other to form a quorum), an
 * optional client Service, a ConfigMap whose hash rolls the pods, and one disruption budget.
 * Engine code builds the containers and the configuration; this file owns the rest, once.
 */
import { ApiObject, Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDuration } from './database-cron';
import { renderCpu } from '../../internal/cpu';
import { fail } from '../../internal/errors';
import { sha256 } from '../../internal/hash';
import * as kube from '../../internal/kube-objects';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../internal/security-context';
import { checkBoolean, checkInteger, checkOneOf, checkServiceName } from '../../internal/validate';
import { AccessMode } from '../../storage/access-mode';
import { renderClaimSpec, renderSize, requireFilesystem } from '../../storage/private/claim-spec';
import { toKubeClaimSpec } from '../../storage/private/storage-claim';
import { AntiAffinity } from '../anti-affinity';
import { ClaimRetention } from '../claim-retention';
import { ClusterMemberProps } from '../cluster-member-props';

/** The longest name: `<name>-headless` and `data-<name>-<ordinal>` stay within their limits. */
export const MAX_MEMBER_SET_NAME = 36;

/** Defaults an engine chooses for the common props. */
export interface MemberDefaults {
  readonly cpu?: Cpu;
  readonly memory?: Size;
  readonly memoryLimit?: Size;
  readonly terminationGracePeriod: Duration;
}

/** The common props, validated, with defaults applied. */
export interface ResolvedMembers {
  readonly name: string;
  /** The rendered claim spec of the `data` claim template. */
  readonly claimSpec: Record<string, any>;
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly memory: string };
  /** The memory limit in MiB (for heap and maxmemory sizing). */
  readonly memoryLimitMib: number;
  readonly antiAffinity: AntiAffinity;
  readonly spreadAcrossZones: boolean;
  readonly terminationGracePeriodSeconds: number;
  readonly whenDeleted: ClaimRetention;
  readonly whenScaled: ClaimRetention;
}

/** Validate the props every cluster shares (throws StatefulError naming `who` and the property). */
export function resolveMemberProps(who: string, id: string, props: ClusterMemberProps, defaults: MemberDefaults): ResolvedMembers {
  if (!props || typeof props !== 'object') fail(who, 'props', props, 'an object with storage');
  const name = checkServiceName(who, 'name', props.name ?? id, MAX_MEMBER_SET_NAME);
  if (!props.storage || typeof props.storage !== 'object') fail(who, 'storage', props.storage, 'claim options with size and storageClass');
  const claimSpec = renderClaimSpec(who, props.storage, [AccessMode.READ_WRITE_ONCE], 'storage.');
  requireFilesystem(who, 'storage.volumeMode', claimSpec);
  for (const mode of claimSpec.accessModes) {
    if (mode !== AccessMode.READ_WRITE_ONCE && mode !== AccessMode.READ_WRITE_ONCE_POD) {
      fail(who, 'storage.accessModes', mode, 'ReadWriteOnce or ReadWriteOncePod (one member per volume)');
    }
  }
  if (props.storage.dataSource) {
    fail(who, 'storage.dataSource', props.storage.dataSource, 'no data source: every member would start from the same copy under its own identity');
  }
  const resources = props.resources ?? {};
  if (typeof resources !== 'object' || resources === null) fail(who, 'resources', resources, 'database resources ({} for the defaults)');
  const memorySize = resources.memory ?? defaults.memory ?? Size.mebibytes(512);
  const limitSize = resources.memoryLimit ?? defaults.memoryLimit ?? Size.gibibytes(1);
  const memory = renderSize(who, 'resources.memory', memorySize);
  const memoryLimit = renderSize(who, 'resources.memoryLimit', limitSize);
  if (limitSize.toKibibytes() < memorySize.toKibibytes()) fail(who, 'resources.memoryLimit', memoryLimit, `at least the memory request (${memory})`);
  return {
    name,
    claimSpec,
    requests: { cpu: renderCpu(who, 'resources.cpu', resources.cpu ?? defaults.cpu ?? Cpu.millis(250)).quantity, memory },
    limits: { memory: memoryLimit },
    memoryLimitMib: Math.floor(limitSize.toKibibytes() / 1024),
    antiAffinity: checkOneOf(who, 'antiAffinity', props.antiAffinity ?? AntiAffinity.REQUIRED, Object.values(AntiAffinity)),
    spreadAcrossZones: checkBoolean(who, 'spreadAcrossZones', props.spreadAcrossZones ?? false),
    terminationGracePeriodSeconds: checkDuration(who, 'terminationGracePeriod', props.terminationGracePeriod ?? defaults.terminationGracePeriod, 10, 3600),
    whenDeleted: checkOneOf(who, 'claimRetentionWhenDeleted', props.claimRetentionWhenDeleted ?? ClaimRetention.RETAIN, Object.values(ClaimRetention)),
    whenScaled: checkOneOf(who, 'claimRetentionWhenScaled', props.claimRetentionWhenScaled ?? ClaimRetention.RETAIN, Object.values(ClaimRetention)),
  };
}

/** Validate a member count: `odd` for a quorum (one member allowed for development). */
export function checkMemberCount(who: string, value: unknown,
  options: { readonly odd: boolean; readonly min?: number; readonly max?: number; readonly engine: string }): number {
  const members = checkInteger(who, 'replicas', value, options.min ?? 1, options.max ?? 99);
  if (options.odd && members % 2 === 0) {
    fail(who, 'replicas', members, `an odd number for a quorum engine (${options.engine}): ${members} members tolerate no more failures than ${members - 1}, and a split into two halves of ${members / 2} has no majority`);
  }
  return members;
}

/** The failures a majority quorum of `members` survives: (n - 1) / 2, rounded down. */
export function tolerableFailures(members: number): number {
  return Math.floor((members - 1) / 2);
}

/** What the engine code gives the shared renderer. */
export interface MemberSetPlan {
  readonly members: ResolvedMembers;
  /** `app.kubernetes.io/name`, e.g. `etcd`. */
  readonly engineName: string;
  /** `app.kubernetes.io/component`, e.g. `database`, `consensus`, `cache`. */
  readonly component: string;
  readonly replicas: number;
  /**
   * `Parallel` for engines whose members must all start to form a quorum (etcd, ZooKeeper,
   * Cassandra seeds): `OrderedReady` would wait for member 0 to be Ready, which needs a quorum.
   */
  readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** The user (and group) the server runs as; fsGroup makes the claim writable. */
  readonly uid: number;
  /**
   * The server containers (the first is the main one). Each gets the restricted container
   * security context unless it sets one, and the resources of the props unless it sets some.
   */
  readonly containers: k8s.Container[];
  readonly initContainers?: k8s.Container[];
  /** Extra pod volumes (the config map is added as `config` when `configFiles` is set). */
  readonly volumes?: k8s.Volume[];
  /** Ports of the headless Service (peer and client ports, named). */
  readonly headlessPorts: k8s.ServicePort[];
  /** Ports of the client Service `<name>`: unset, no client Service. */
  readonly clientPorts?: k8s.ServicePort[];
  /** Files of the ConfigMap `<name>-config`, mounted as volume `config`; their hash rolls the pods. */
  readonly configFiles?: Record<string, string>;
  /** The disruption budget over the members: at most this many members out at a time. */
  readonly maxUnavailable: number;
  /** Extra pod labels (not in the selector). */
  readonly podLabels?: Record<string, string>;
  /** Extra pod annotations. */
  readonly podAnnotations?: Record<string, string>;
}

/** What the shared renderer made. */
export interface MemberSet {
  readonly statefulSet: ApiObject;
  readonly headlessServiceName: string;
  readonly clientServiceName?: string;
  readonly configMapName?: string;
  readonly selectorLabels: Record<string, string>;
  /** The labels of every object (selector plus managed-by). */
  readonly labels: Record<string, string>;
}

/** The selector labels of a member set (also for engines' extra objects). */
export function memberSelector(engineName: string, name: string, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': engineName, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': component };
}

/** The stable DNS name of member `ordinal`: `<name>-<i>.<name>-headless.<namespace>.svc.<domain>` (without the namespace part). */
export function memberHost(name: string, ordinal: number): string {
  return `${name}-${ordinal}.${name}-headless`;
}

/** Render the StatefulSet, the Services, the ConfigMap and the budget of a member set. */
export function renderMemberSet(scope: Construct, plan: MemberSetPlan): MemberSet {
  const m = plan.members;
  const name = m.name;
  const selectorLabels = memberSelector(plan.engineName, name, plan.component);
  const labels = { ...selectorLabels, 'app.kubernetes.io/managed-by': 'cdk8s-stateful' };

  let configMapName: string | undefined;
  const volumes: k8s.Volume[] = [...(plan.volumes ?? [])];
  const annotations: Record<string, string> = { ...(plan.podAnnotations ?? {}) };
  if (plan.configFiles) {
    configMapName = `${name}-config`;
    new kube.KubeConfigMap(scope, 'Config', { metadata: { name: configMapName, labels }, data: { ...plan.configFiles } });
    volumes.push({ name: 'config', configMap: { name: configMapName } });
    const text = Object.keys(plan.configFiles).sort().map(k => `${k}\0${plan.configFiles![k]}`).join('\0');
    annotations['stateful.cdk8s.io/config-hash'] = sha256(text);
  }

  const headlessServiceName = `${name}-headless`;
  new kube.KubeService(scope, 'Headless', {
    metadata: { name: headlessServiceName, labels },
    // Members find their peers before they are Ready: a quorum forms only once they talk.
    spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: { ...selectorLabels }, ports: plan.headlessPorts },
  });
  let clientServiceName: string | undefined;
  if (plan.clientPorts) {
    clientServiceName = name;
    new kube.KubeService(scope, 'Client', {
      metadata: { name: clientServiceName, labels },
      spec: { type: 'ClusterIP', selector: { ...selectorLabels }, ports: plan.clientPorts },
    });
  }

  const resources: k8s.ResourceRequirements = {
    requests: { cpu: k8s.Quantity.fromString(m.requests.cpu), memory: k8s.Quantity.fromString(m.requests.memory) },
    limits: { memory: k8s.Quantity.fromString(m.limits.memory) },
  };
  const containers = plan.containers.map(c => ({
    ...c,
    resources: c.resources ?? resources,
    securityContext: c.securityContext ?? restrictedContainerSecurityContext({ readOnlyRootFilesystem: true }),
  }));
  const initContainers = (plan.initContainers ?? []).map(c => ({
    ...c,
    resources: c.resources ?? resources,
    securityContext: c.securityContext ?? restrictedContainerSecurityContext({ readOnlyRootFilesystem: true }),
  }));

  const term: k8s.PodAffinityTerm = { labelSelector: { matchLabels: { ...selectorLabels } }, topologyKey: 'kubernetes.io/hostname' };
  const spec: k8s.PodSpec = {
    affinity: {
      podAntiAffinity: m.antiAffinity === AntiAffinity.REQUIRED
        ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
        : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
    },
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: restrictedPodSecurityContext({ uid: plan.uid, gid: plan.uid }, { fsGroup: true }),
    terminationGracePeriodSeconds: m.terminationGracePeriodSeconds,
    containers,
    initContainers: initContainers.length > 0 ? initContainers : undefined,
    volumes: volumes.length > 0 ? volumes : undefined,
    topologySpreadConstraints: m.spreadAcrossZones ? [{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...selectorLabels } },
    }] : undefined,
  };

  const statefulSet = new kube.KubeStatefulSet(scope, 'StatefulSet', {
    metadata: { name, labels },
    spec: {
      serviceName: headlessServiceName,
      replicas: plan.replicas,
      podManagementPolicy: plan.podManagementPolicy,
      selector: { matchLabels: { ...selectorLabels } },
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: m.whenDeleted, whenScaled: m.whenScaled },
      template: {
        metadata: { labels: { ...labels, ...(plan.podLabels ?? {}) }, annotations: Object.keys(annotations).length ? annotations : undefined },
        spec,
      },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: { ...selectorLabels } }, spec: toKubeClaimSpec(m.claimSpec) }],
    },
  });

  new kube.KubePodDisruptionBudget(scope, 'Budget', {
    metadata: { name, labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(plan.maxUnavailable), selector: { matchLabels: { ...selectorLabels } } },
  });

  return { statefulSet, headlessServiceName, clientServiceName, configMapName, selectorLabels, labels };
}
