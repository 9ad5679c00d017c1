import { Provisioner } from './provisioner';

/**
 * A StorageClass, made here or existing in the cluster: what claims need to refer to it and
 * judge it.
 */
export interface IStorageClass {
  /** The name claims put in `storageClassName`. */
  readonly storageClassName: string;
  /**
   * The provisioner behind the class, when known: used to check access modes, expansion and
   * snapshots at synth time.
   * @default - unknown: nothing is checked
   */
  readonly provisioner?: Provisioner;
}
