import { k8s } from 'cdk8s-plus-28';

/**
 * The security contexts of the restricted Pod Security profile, the one place every pod the
 * library emits takes them from (database pods, backup jobs, exporters, node agents).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** Who a pod runs as. uid 0 (node agents that must read root-owned host files) gives up non-root. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The pod-level context: the identity, RuntimeDefault seccomp, and with `fsGroup` the group that
 * owns mounted volumes (so a claim is writable by the server).
 */
export function restrictedPodSecurityContext(runAs: RunAs, options: { readonly fsGroup?: boolean } = {}): k8s.PodSecurityContext {
  return {
    runAsNonRoot: runAs.uid !== 0,
    runAsUser: runAs.uid,
    runAsGroup: runAs.gid,
    seccompProfile: { type: 'RuntimeDefault' },
    ...(options.fsGroup ? { fsGroup: runAs.gid, fsGroupChangePolicy: 'OnRootMismatch' } : {}),
  };
}

export interface ContainerContextOptions {
  /** Mount the image read-only (writable paths come from emptyDirs). */
  readonly readOnlyRootFilesystem: boolean;
  /** Capabilities added back after dropping ALL (node agents; the caller checks the profile allows them). */
  readonly addCapabilities?: readonly string[];
  /**
   * Repeat the pod's identity and seccomp profile on the container, so the container is judged
   * alone (node agents, whose containers admission policies often inspect one by one).
   */
  readonly repeat?: RunAs;
}

/** The container-level context: no escalation, not privileged, ALL capabilities dropped. */
export function restrictedContainerSecurityContext(options: ContainerContextOptions): k8s.SecurityContext {
  const add = options.addCapabilities ?? [];
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: options.readOnlyRootFilesystem,
    runAsNonRoot: options.repeat ? options.repeat.uid !== 0 : true,
    capabilities: { drop: ['ALL'], ...(add.length ? { add: [...add] } : {}) },
    ...(options.repeat ? { runAsUser: options.repeat.uid, runAsGroup: options.repeat.gid, seccompProfile: { type: 'RuntimeDefault' } } : {}),
  };
}
