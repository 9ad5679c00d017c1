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

/** Whether an env var name names a secret value (see the README's rule table). */
export function isSecretName(name: string): boolean {
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
