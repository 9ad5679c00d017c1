/**
 * What happens to a StatefulSet's claims when it is deleted or scaled down.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention
 */
export enum ClaimRetention {
  /** Keep the claims (and the data): the safe default. */
  RETAIN = 'Retain',
  /** Delete the claims; with a Delete reclaim policy the data is gone. */
  DELETE = 'Delete',
}
