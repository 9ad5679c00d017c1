import { Size } from 'cdk8s';
import { AccessMode, VolumeMode } from './access-mode';
import { ClaimDataSource } from './claim-data-source';
import { IStorageClass } from './storage-class-ref';

/**
 * The shape of a claim: used for single claims (SharedFileVolume) and for the per-replica claim
 * templates of StatefulSets (StatefulDatabase).
 */
export interface ClaimOptions {
  /** Requested size, e.g. `Size.gibibytes(50)`. */
  readonly size: Size;
  /**
   * The class to provision from.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: IStorageClass;
  /**
   * Access modes.
   * @default - [ReadWriteOnce] (ReadWriteMany for shared file volumes)
   */
  readonly accessModes?: AccessMode[];
  /**
   * Filesystem or raw block.
   * @default VolumeMode.FILESYSTEM
   */
  readonly volumeMode?: VolumeMode;
  /**
   * Create the volume from a snapshot or another claim.
   * @default - an empty volume
   */
  readonly dataSource?: ClaimDataSource;
}
