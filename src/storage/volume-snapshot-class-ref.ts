/** A VolumeSnapshotClass, made here or existing in the cluster. */
export interface IVolumeSnapshotClass {
  /** The name VolumeSnapshots put in `volumeSnapshotClassName`. */
  readonly volumeSnapshotClassName: string;
  /**
   * The CSI driver that takes the snapshots, when known.
   * @default - unknown
   */
  readonly driver?: string;
}
