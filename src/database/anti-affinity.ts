/**
 * How strictly the replicas of one database are kept off the same node.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
 */
export enum AntiAffinity {
  /** Spread when possible; schedule anyway on a crowded cluster. */
  PREFERRED = 'preferred',
  /** Never put two replicas on one node (a replica stays Pending when no node is free). */
  REQUIRED = 'required',
}
