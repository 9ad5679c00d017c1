/** Operators of a toleration. */
export enum AgentTolerationOperator {
  /** Tolerates taints with the key (any value); without a key, tolerates every taint. */
  EXISTS = 'Exists',
  /** Tolerates taints with the key and value. */
  EQUAL = 'Equal',
}

/** Effects of a taint. */
export enum AgentTaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/**
 * A toleration: which node taints the agent accepts.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export interface AgentToleration {
  /**
   * Taint key.
   * @default - every key (only with the Exists operator)
   */
  readonly key?: string;
  /**
   * Operator.
   * @default AgentTolerationOperator.EXISTS
   */
  readonly operator?: AgentTolerationOperator;
  /**
   * Taint value (Equal operator only).
   * @default - none
   */
  readonly value?: string;
  /**
   * Taint effect.
   * @default - every effect
   */
  readonly effect?: AgentTaintEffect;
}

/** Operators of a node label requirement. */
export enum NodeLabelOperator {
  IN = 'In',
  NOT_IN = 'NotIn',
  EXISTS = 'Exists',
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * One requirement on node labels; the agent runs only on nodes that meet all its requirements
 * (required node affinity).
 */
export interface NodeLabelRequirement {
  /** Label key, e.g. `node.kubernetes.io/instance-type`. */
  readonly key: string;
  /** Operator. */
  readonly operator: NodeLabelOperator;
  /**
   * Values (required for In and NotIn, refused for Exists and DoesNotExist).
   * @default - none
   */
  readonly values?: string[];
}
