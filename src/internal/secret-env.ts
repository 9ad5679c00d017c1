/**
 * Which environment variables hold a secret: one classifier for the whole library, so that a
 * construct refuses a literal value exactly where the guards (SG009) would report one.
 *
 * Env var names that hold a secret: a segment (split on `_`, `-` or `.`) PASSWORD, PASSWD, PASS,
 * PWD, PASSPHRASE, SECRET, TOKEN, APIKEY, CREDENTIAL(S), or a name ending in KEY (`*_KEY`,
 * `ACCESS_KEY`, `PRIVATE_KEY`...).
 */
const SECRET_SEGMENTS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PASSWORDS', 'SECRETS', 'TOKENS']);
/**
 * Segments that make the variable a setting about a secret rather than the secret: flags such as
 * `MYSQL_ALLOW_EMPTY_PASSWORD` or `MYSQL_RANDOM_ROOT_PASSWORD`, paths (`*_FILE`, `*_PATH`, `*_DIR`),
 * identifiers (`AWS_ACCESS_KEY_ID`), names of a secret (`*_SECRET_NAME`), policies and lengths.
 */
const SETTING_SEGMENTS = new Set([
  'ALLOW', 'RANDOM', 'ONETIME', 'EMPTY', 'SKIP', 'DISABLE', 'DISABLED', 'ENABLE', 'ENABLED', 'REQUIRE', 'REQUIRED', 'EXPIRE', 'EXPIRY',
  'FILE', 'PATH', 'DIR', 'ID', 'NAME', 'REF', 'URL', 'URI', 'HOST', 'PORT', 'USER', 'USERNAME', 'LENGTH', 'MIN', 'MAX', 'POLICY',
  'ROTATION', 'TTL', 'TIMEOUT', 'METHOD', 'TYPE', 'MODE', 'HASH', 'ALGORITHM', 'ALGO', 'HEADER', 'FIELD', 'PREFIX', 'SUFFIX',
]);
const FLAG_VALUES = new Set(['', '0', '1', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);

// Env var names repeat across the workloads of an input (the same chart, the same image): the
// classification is a pure function of the name, kept for the names seen (bounded).
const SECRET_NAME_CACHE = new Map<string, boolean>();
const SECRET_NAME_CACHE_SIZE = 10_000;

/** Whether an env var name names a secret value (see the README's rule table). */
export function isSecretName(name: string): boolean {
  let known = SECRET_NAME_CACHE.get(name);
  if (known === undefined) {
    if (SECRET_NAME_CACHE.size >= SECRET_NAME_CACHE_SIZE) SECRET_NAME_CACHE.clear();
    known = classifySecretName(name);
    SECRET_NAME_CACHE.set(name, known);
  }
  return known;
}

function classifySecretName(name: string): boolean {
  const segments = name.toUpperCase().split(/[_\-.]+/).filter(s => s);
  if (segments.length === 0) return false;
  if (segments.some(s => SETTING_SEGMENTS.has(s))) return false;
  if (segments.some(s => SECRET_SEGMENTS.has(s))) return true;
  const last = segments[segments.length - 1];
  return last === 'KEY' || last.endsWith('PASSWORD') || last.endsWith('APIKEY') || last.endsWith('SECRET') || last.endsWith('TOKEN');
}

/** Whether a literal value is not a secret: empty, a flag, a path, or `$(VAR)` expanding another variable. */
export function isHarmlessValue(value: string): boolean {
  const v = value.trim();
  return FLAG_VALUES.has(v.toLowerCase()) || /^\/\S*$/.test(v) || /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/.test(v);
}

/** Object stores whose "access key" is the public half of a key pair (the user name), not a secret. */
const ACCESS_KEY_FAMILIES = /(^|_)(MINIO|AWS|S3|B2|SPACES|OSS|COS|GCS|R2)_$/;

/**
 * Whether an env var is an access-key identifier (`MINIO_ACCESS_KEY`, `AWS_ACCESS_KEY`,
 * `S3_ACCESS_KEY`): an object store's user name, whose secret is the `*_SECRET_KEY` beside it. Any
 * `<prefix>ACCESS_KEY` counts when the container also sets `<prefix>SECRET_KEY` or
 * `<prefix>SECRET_ACCESS_KEY` (other vendors call the secret itself an access key: Azure storage).
 * `*_ACCESS_KEY_ID` and `*_USER` are not secret names in the first place.
 */
export function isAccessKeyId(name: string, siblings: ReadonlySet<string>): boolean {
  const m = /^(.*?)ACCESS[_-]?KEY$/.exec(name.toUpperCase());
  if (!m || m[1].includes('SECRET')) return false;
  const prefix = m[1];
  return ACCESS_KEY_FAMILIES.test(prefix) || siblings.has(`${prefix}SECRET_KEY`) || siblings.has(`${prefix}SECRET_ACCESS_KEY`);
}

/**
 * Documented settings whose names the classifier misreads. Not secrets: etcd's cluster bootstrap
 * id (`ETCD_INITIAL_CLUSTER_TOKEN`, "an initial cluster token for the etcd cluster during
 * bootstrap") and its token provider (`ETCD_AUTH_TOKEN`: `simple` or `jwt,...`). Secrets despite
 * an identifier-like name: Vault's dev-mode root token (`VAULT_DEV_ROOT_TOKEN_ID` is the token itself).
 */
const NOT_SECRETS = new Set(['ETCD_INITIAL_CLUSTER_TOKEN', 'ETCD_AUTH_TOKEN']);
const SECRETS = new Set(['VAULT_DEV_ROOT_TOKEN_ID']);

/**
 * Whether the env var holds a secret: the name classifier with the documented exceptions above.
 * `siblings` are the (upper-case) names of the other variables of the same container.
 */
export function holdsSecret(name: string, siblings: ReadonlySet<string>): boolean {
  if (!isSecretName(name)) return SECRETS.has(name.toUpperCase());
  const upper = name.toUpperCase();
  return SECRETS.has(upper) || (!NOT_SECRETS.has(upper) && !isAccessKeyId(name, siblings));
}
