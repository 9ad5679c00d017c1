import { fail } from './errors';

/** Checks shared by every construct; each throws `StatefulError` via `fail`. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label (Service, StatefulSet and most object names that become DNS names). */
export function checkDnsLabel(subjectText: string, property: string, value: unknown, maxLength = 63): string {
  if (typeof value !== 'string' || value.length > maxLength || !DNS1123_LABEL.test(value)) {
    fail(subjectText, property, value, `a DNS-1123 label of at most ${maxLength} characters (lower-case letters, digits and '-', starting and ending with a letter or digit)`);
  }
  return value;
}

/**
 * A DNS-1035 label: the name of a Service (and of whatever names its Services after itself). The
 * API server refuses Service names that start with a digit, which DNS-1123 labels allow.
 */
export function checkServiceName(subjectText: string, property: string, value: unknown, maxLength = 63): string {
  if (typeof value !== 'string' || value.length > maxLength || !DNS1035_LABEL.test(value)) {
    fail(subjectText, property, value, `a DNS-1035 label of at most ${maxLength} characters (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit), as Service names must be`);
  }
  return value;
}

/** A DNS-1123 subdomain (names of ConfigMaps, Secrets, claims, classes). */
export function checkDnsSubdomain(subjectText: string, property: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    fail(subjectText, property, value, 'a DNS-1123 subdomain of at most 253 characters (lower-case letters, digits, \'-\' and \'.\')');
  }
  return value;
}

/** An integer within bounds. */
export function checkInteger(subjectText: string, property: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
    fail(subjectText, property, value, range);
  }
  return value;
}

/** One of a fixed set of strings. */
export function checkOneOf<T extends string>(subjectText: string, property: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(subjectText, property, value, `one of ${allowed.map(a => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/** A non-empty string without control characters. */
export function checkNonEmptyString(subjectText: string, property: string, value: unknown): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value.trim().length === 0 || /[\x00-\x1f]/.test(value)) {
    fail(subjectText, property, value, 'a non-empty string without control characters');
  }
  return value;
}

/** A boolean (guards against `'true'` from untyped callers). */
export function checkBoolean(subjectText: string, property: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(subjectText, property, value, 'true or false');
  return value;
}

/** An absolute POSIX path without '..' segments. */
export function checkAbsolutePath(subjectText: string, property: string, value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').includes('..') || /[\x00-\x1f]/.test(value)) {
    fail(subjectText, property, value, "an absolute path (starting with '/', without '..' segments)");
  }
  return value;
}

/**
 * An image reference pinned to a tag other than `latest` (on its last path segment, so a registry
 * port is not a tag) or to a sha256 digest: a workload that pulls `latest` changes under you.
 */
export function checkPinnedImage(subjectText: string, property: string, value: unknown, accepted: string): string {
  if (typeof value !== 'string' || /\s/.test(value)) fail(subjectText, property, value, accepted);
  const lastSegment = value.split('/').pop() ?? '';
  const tagged = /:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(lastSegment) && !lastSegment.endsWith(':latest');
  const digested = /@sha256:[0-9a-f]{64}$/.test(value);
  if (!tagged && !digested) fail(subjectText, property, value, accepted);
  return value;
}

const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A label (or annotation) key: optional DNS prefix and a name of at most 63 characters. */
export function isLabelKey(key: unknown): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  if (slash > 253) return false;
  return LABEL_NAME.test(key);
}

/** A label value: empty or at most 63 characters of letters, digits, '-', '_' and '.'. */
export function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

