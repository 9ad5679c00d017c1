/**
 * Whether a voluntary disruption (a node drain, a cluster upgrade, an autoscaler scale-down) may
 * evict the primary of a replicated database. Without failover, an evicted primary is a write
 * outage until its pod is back on another node.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export enum PrimaryEviction {
  /**
   * A budget over ordinal 0 alone (`maxUnavailable: 0`) refuses every eviction of the primary:
   * a drain of its node stops and says so until someone acts (moves the writes, or deletes the
   * pod at a chosen time). Managed upgrades that honour budgets wait on it too (some force the
   * eviction after a timeout). The replicas keep their own budget (`maxUnavailable: 1`).
   */
  BLOCKED = 'blocked',
  /**
   * One budget over every member (`maxUnavailable: 1`): drains never wait on the database, and a
   * drain may take the primary (a write outage of one pod restart).
   */
  ALLOWED = 'allowed',
}
