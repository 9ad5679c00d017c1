/**
 * How mounts made on the host after the pod started reach the container.
 *
 * `Bidirectional` is deliberately absent: it needs a privileged container, which no agent of
 * this library runs.
 *
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#mount-propagation
 */
export enum AgentMountPropagation {
  /** The container sees the host directory as it was when the container started (the default). */
  NONE = 'None',
  /** Mounts made later on the host (new volumes, new filesystems) appear in the container. */
  HOST_TO_CONTAINER = 'HostToContainer',
}

/**
 * What the kubelet checks (or creates) on the node before mounting a host path.
 *
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
 */
export enum HostMountType {
  /** No check: mount whatever is there (the Kubernetes default). */
  UNCHECKED = '',
  /** A directory that must already exist. */
  DIRECTORY = 'Directory',
  /** A directory, created (mode 0755, owned by the kubelet's user) when missing. */
  DIRECTORY_OR_CREATE = 'DirectoryOrCreate',
  /** A file that must already exist. */
  FILE = 'File',
  /** A UNIX socket that must already exist. */
  SOCKET = 'Socket',
}

/** One directory (or file) of the node mounted into a node agent. */
export interface HostMount {
  /** Absolute path on the node, e.g. `/proc`. */
  readonly hostPath: string;
  /** Absolute path inside the container, e.g. `/host/proc`. */
  readonly mountPath: string;
  /**
   * Mount read-only. Writable mounts of `/`, and of `/proc`, `/sys` or anything under them,
   * are refused.
   * @default true
   */
  readonly readOnly?: boolean;
  /**
   * Mount propagation from the host into the container.
   * @default AgentMountPropagation.NONE
   */
  readonly propagation?: AgentMountPropagation;
  /**
   * What the kubelet checks on the node before mounting.
   * @default HostMountType.UNCHECKED
   */
  readonly type?: HostMountType;
}
