import { fail } from '../internal/errors';
import { checkDnsSubdomain } from '../internal/validate';

/**
 * Where a new claim's content comes from: a VolumeSnapshot (restore) or another claim (clone).
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#volume-snapshot-and-restore-volume-from-snapshot-support
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * new PersistentClaim(chart, 'restored', {
 *   storageClass: gp3,
 *   size: Size.gibibytes(50),
 *   dataSource: ClaimDataSource.fromSnapshot('orders-data-2026-11-30'),
 * });
 */
export class ClaimDataSource {
  /** Restore from a VolumeSnapshot in the same namespace. */
  public static fromSnapshot(snapshotName: string): ClaimDataSource {
    return new ClaimDataSource('VolumeSnapshot', checkDnsSubdomain('ClaimDataSource.fromSnapshot', 'snapshotName', snapshotName), 'snapshot.storage.k8s.io');
  }

  /** Clone an existing claim in the same namespace (same StorageClass, CSI only). */
  public static fromClaim(claimName: string): ClaimDataSource {
    return new ClaimDataSource('PersistentVolumeClaim', checkDnsSubdomain('ClaimDataSource.fromClaim', 'claimName', claimName));
  }

  private constructor(
    /** Kind of the source object. */
    public readonly kind: string,
    /** Name of the source object. */
    public readonly name: string,
    /** API group of the source object (empty for the core group). */
    public readonly apiGroup?: string,
  ) {
    if (!name) fail('ClaimDataSource', 'name', name, 'a name');
  }
}
