/** A key of a Secret. */
export interface AgentSecretKey {
  /** Name of the Secret, in the agent's namespace. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/**
 * The value of one environment variable of a node agent: a literal for plain settings, a
 * Secret key for anything secret (passwords never appear as literals), or a field of the pod.
 */
export class AgentEnvValue {
  /**
   * A literal value. Refused for variables whose name says they hold a secret (a segment
   * PASSWORD, SECRET, TOKEN, APIKEY, CREDENTIAL..., or a name ending in KEY), unless the value is a
   * flag or a path: the same rule as guard SG009.
   */
  public static fromValue(value: string): AgentEnvValue {
    return new AgentEnvValue(value, undefined, undefined);
  }

  /** A key of a Secret (`valueFrom.secretKeyRef`). */
  public static fromSecret(secret: AgentSecretKey): AgentEnvValue {
    return new AgentEnvValue(undefined, secret, undefined);
  }

  /**
   * A field of the pod (`valueFrom.fieldRef`), e.g. `spec.nodeName` for the node the agent runs on.
   */
  public static fromFieldPath(fieldPath: string): AgentEnvValue {
    return new AgentEnvValue(undefined, undefined, fieldPath);
  }

  /** The literal value, if any. */
  public readonly value?: string;
  /** The Secret key, if any. */
  public readonly secret?: AgentSecretKey;
  /** The pod field path, if any. */
  public readonly fieldPath?: string;

  private constructor(value: string | undefined, secret: AgentSecretKey | undefined, fieldPath: string | undefined) {
    this.value = value;
    this.secret = secret;
    this.fieldPath = fieldPath;
  }
}
