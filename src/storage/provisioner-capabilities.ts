import { AccessMode } from './access-mode';

/**
 * What a provisioner (a CSI driver or an in-tree plugin) can do. These are facts about the
 * storage, not wishes: the guards and the constructs judge claims against them.
 */
export interface ProvisionerCapabilities {
  /** Access modes it serves for volumes in Filesystem mode. */
  readonly filesystemAccessModes: AccessMode[];
  /**
   * Access modes it serves for raw Block volumes.
   * @default - none: Block mode is not supported
   */
  readonly blockAccessModes?: AccessMode[];
  /**
   * Whether claims can grow after creation (`allowVolumeExpansion`).
   * @default false
   */
  readonly volumeExpansion?: boolean;
  /**
   * Whether the driver implements CSI snapshots (VolumeSnapshot).
   * @default false
   */
  readonly snapshots?: boolean;
  /**
   * Whether a volume is bound to a node or zone, so that the scheduler must pick the node before
   * the volume is created (`volumeBindingMode: WaitForFirstConsumer`).
   * @default false
   */
  readonly topologyBound?: boolean;
  /**
   * Whether volumes live on ONE node's own disk (local volumes, hostpath pools): binding with
   * Immediate mode is then always wrong, and the data is lost with the node.
   * @default false
   */
  readonly nodeLocal?: boolean;
  /**
   * Where these facts come from (the driver's documentation).
   * @default - not documented
   */
  readonly source?: string;
}
