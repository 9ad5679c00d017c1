/** Verbs of a Kubernetes API rule. */
export enum AgentApiVerb {
  GET = 'get',
  LIST = 'list',
  WATCH = 'watch',
  CREATE = 'create',
  UPDATE = 'update',
  PATCH = 'patch',
  DELETE = 'delete',
  DELETE_COLLECTION = 'deletecollection',
}

/**
 * One rule of the ClusterRole given to a node agent that needs the Kubernetes API. Wildcards
 * (`*`) are refused: list what the agent reads.
 */
export interface AgentPolicyRule {
  /**
   * API groups (`''` is the core group).
   * @default [''] - the core group
   */
  readonly apiGroups?: string[];
  /** Resources, e.g. `pods`, `namespaces`. */
  readonly resources: string[];
  /** Verbs. */
  readonly verbs: AgentApiVerb[];
}
