/** What a value passed as an IStorageClass is known to be once its shape is checked: its provisioner is not yet trusted. */
export interface StorageClassShape {
  readonly storageClassName: string;
  readonly provisioner?: unknown;
}

/**
 * Whether a value passed as an IStorageClass (by another jsii language or untyped code, which can
 * pass anything) is an object with a string `storageClassName`.
 */
export function isStorageClassShape(value: unknown): value is StorageClassShape {
  return typeof value === 'object' && value !== null && 'storageClassName' in value && typeof value.storageClassName === 'string';
}
