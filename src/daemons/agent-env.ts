import { k8s } from 'cdk8s-plus-28';
import { isPrintable } from './private/daemon-checks';
import { fail } from '../internal/errors';
import { holdsSecret, isHarmlessValue } from '../internal/secret-env';
import { checkDnsSubdomain } from '../internal/validate';

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
 * It renders itself into the container's `k8s.EnvVar`.
 *
 * @example
 * new NodeAgentDaemon(chart, 'shipper', {
 *   image: 'example.com/shipper:1.0.2',
 *   env: {
 *     LOG_LEVEL: AgentEnvValue.fromValue('info'),
 *     NODE_NAME: AgentEnvValue.fromFieldPath('spec.nodeName'),
 *     API_TOKEN: AgentEnvValue.fromSecret({ secretName: 'shipper', key: 'token' }),
 *   },
 * });
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

  private readonly value?: string;
  private readonly secret?: AgentSecretKey;
  private readonly fieldPath?: string;

  private constructor(value: string | undefined, secret: AgentSecretKey | undefined, fieldPath: string | undefined) {
    this.value = value;
    this.secret = secret;
    this.fieldPath = fieldPath;
  }

  /**
   * The container's environment variable `name`; errors name `who` and `env.<name>`.
   * @internal
   */
  public _toKube(who: string, name: string): k8s.EnvVar {
    if (this.secret) {
      const secretName = checkDnsSubdomain(who, `env.${name}.secretName`, this.secret.secretName);
      const key = this.secret.key;
      if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(key)) fail(who, `env.${name}.key`, key, "a Secret key (letters, digits, '-', '_' and '.')");
      return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
    }
    if (this.fieldPath !== undefined) {
      if (typeof this.fieldPath !== 'string' || !/^[a-zA-Z][a-zA-Z0-9.\[\]'/_-]*$/.test(this.fieldPath)) {
        fail(who, `env.${name}.fieldPath`, this.fieldPath, "a pod field path such as 'spec.nodeName'");
      }
      return { name, valueFrom: { fieldRef: { fieldPath: this.fieldPath } } };
    }
    // One classifier with SG009 (siblings unknown here: a MINIO_ACCESS_KEY-style identifier still passes).
    if (holdsSecret(name, new Set()) && !isHarmlessValue(this.value ?? '')) fail(who, `env.${name}`, '<literal value>', 'AgentEnvValue.fromSecret(...) for a variable that holds a secret');
    if (!isPrintable(this.value)) fail(who, `env.${name}`, this.value, 'a string without control characters');
    return { name, value: this.value };
  }
}
