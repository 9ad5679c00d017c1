/**
 * The Pod Security Standards levels, from most permissive to most restrictive. A namespace is
 * labelled with the level it enforces (`pod-security.kubernetes.io/enforce`).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum AgentPodSecurityLevel {
  /** Unrestricted: needed by anything using host namespaces, host paths or host ports. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations; forbids hostNetwork, hostPID and hostPath volumes. */
  BASELINE = 'baseline',
  /** Current hardening best practice: non-root, no escalation, drop ALL, RuntimeDefault seccomp. */
  RESTRICTED = 'restricted',
}
