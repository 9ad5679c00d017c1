import { fail } from '../internal/errors';
import { checkDnsSubdomain } from '../internal/validate';

/** Key names inside the credentials Secret. */
export interface CredentialKeys {
  /**
   * Key holding the superuser password (`postgres` / `root`).
   * @default 'superuser-password'
   */
  readonly superuserPasswordKey?: string;
  /**
   * Key holding the replication user's password.
   * @default 'replication-password'
   */
  readonly replicationPasswordKey?: string;
}

/** Passwords for a Secret the construct creates. */
export interface CredentialValues {
  /** The superuser password. */
  readonly superuserPassword: string;
  /** The replication user's password (a different user from the superuser). */
  readonly replicationPassword: string;
}

/**
 * Where the database's passwords come from. Pods only ever read them through `secretKeyRef`:
 * a password never appears as a literal in a pod spec.
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * new StatefulDatabase(chart, 'orders', {
 *   engine: DatabaseEngine.postgres({ version: '16.4' }),
 *   storage: { size: Size.gibibytes(20), storageClass: gp3 },
 *   // A Secret you manage (External Secrets, Sealed Secrets...), with its key names:
 *   credentials: DatabaseCredentials.fromSecret('orders-credentials', {
 *     superuserPasswordKey: 'postgres-password',
 *     replicationPasswordKey: 'replication-password',
 *   }),
 * });
 */
export class DatabaseCredentials {
  /**
   * An existing Secret in the database's namespace.
   * @param secretName name of the Secret
   * @param keys key names inside it
   */
  public static fromSecret(secretName: string, keys: CredentialKeys = {}): DatabaseCredentials {
    const who = 'DatabaseCredentials.fromSecret';
    return new DatabaseCredentials(checkDnsSubdomain(who, 'secretName', secretName), checkKey(who, 'superuserPasswordKey', keys?.superuserPasswordKey),
      checkKey(who, 'replicationPasswordKey', keys?.replicationPasswordKey));
  }

  /**
   * A Secret `<database>-credentials` the construct creates from these values. The values end up
   * in the synthesized Secret manifest: prefer `DatabaseCredentials.fromSecret` with a
   * Secret managed outside the repository (sealed-secrets, external-secrets, SOPS).
   */
  public static fromPasswords(values: CredentialValues): DatabaseCredentials {
    const who = 'DatabaseCredentials.fromPasswords';
    const superuser = checkPassword(who, 'superuserPassword', values?.superuserPassword);
    const replication = checkPassword(who, 'replicationPassword', values.replicationPassword);
    if (superuser === replication) fail(who, 'replicationPassword', '(hidden)', 'different from the superuser password');
    return new DatabaseCredentials(undefined, undefined, undefined, { superuserPassword: superuser, replicationPassword: replication });
  }

  private constructor(
    /** Name of an existing Secret (not set: the construct creates one). */
    public readonly secretName: string | undefined,
    /** Key of the superuser password. */
    public readonly superuserPasswordKey: string = 'superuser-password',
    /** Key of the replication password. */
    public readonly replicationPasswordKey: string = 'replication-password',
    /** Values of a Secret to create. */
    public readonly values?: CredentialValues,
  ) {}
}

function checkKey(who: string, property: string, key: unknown): string | undefined {
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(key)) fail(who, property, key, "a Secret key of letters, digits, '-', '_' and '.'");
  return key;
}

function checkPassword(who: string, property: string, value: unknown): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value.length < 8 || /[\x00-\x1f]/.test(value)) {
    // Never echo a password into an error message.
    fail(who, property, typeof value === 'string' ? `(hidden, ${value.length} characters)` : value, 'a string of at least 8 characters without control characters');
  }
  return value;
}
