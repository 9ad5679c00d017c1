/**
 * How a volume may be mounted.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
 */
export enum AccessMode {
  /** Read-write by the pods of ONE node at a time (block storage). */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-write by ONE pod in the whole cluster. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Read-write by many nodes (file storage). */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/**
 * Whether a volume is presented as a mounted filesystem or as a raw block device.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#volume-mode
 */
export enum VolumeMode {
  /** A filesystem mounted into the pod (the Kubernetes default). */
  FILESYSTEM = 'Filesystem',
  /** A raw block device. */
  BLOCK = 'Block',
}
