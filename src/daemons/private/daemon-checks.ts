import { Duration } from 'cdk8s';
import { renderCpu } from '../../internal/cpu';
import { fail } from '../../internal/errors';
import { checkAbsolutePath, checkInteger } from '../../internal/validate';
import type { AgentResources } from '../agent-resources';

/** Helpers of the daemons layer (not part of the API). */

/**
 * Normalize an absolute host path: collapse repeated slashes, drop `.` segments and a trailing
 * slash, so that `/proc/`, `//proc` and `/proc/.` are all judged as `/proc`.
 */
export function normalizeHostPath(subjectText: string, property: string, value: unknown): string {
  const path = checkAbsolutePath(subjectText, property, value);
  const segments = path.split('/').filter(s => s !== '' && s !== '.');
  return `/${segments.join('/')}`;
}

/** Host paths that may only ever be mounted read-only: the node's root and kernel interfaces. */
const READ_ONLY_ROOTS = ['/proc', '/sys'];

/**
 * Whether a writable mount of this (normalized) host path is forbidden: `/` itself, and `/proc`,
 * `/sys` and everything under them (writing there changes the running kernel of the node).
 */
export function isForbiddenWritable(hostPath: string): boolean {
  if (hostPath === '/') return true;
  return READ_ONLY_ROOTS.some(root => hostPath === root || hostPath.startsWith(`${root}/`));
}

/** A DNS-1123 label derived from a path: `/var/log/pods` → `var-log-pods`, `/` → `root`. */
export function slugOfPath(path: string, maxLength: number): string {
  const slug = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const cut = (slug || 'root').slice(0, maxLength).replace(/-+$/g, '');
  return cut || 'root';
}

/** A whole number of seconds from a Duration (probes, grace periods). */
export function renderSeconds(subjectText: string, property: string, value: unknown, min: number): number {
  if (!(value instanceof Duration)) fail(subjectText, property, value, 'a cdk8s Duration such as Duration.seconds(10)');
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isFinite(seconds) || !Number.isInteger(seconds) || seconds < min || seconds > 2147483647) {
    fail(subjectText, property, `${seconds} seconds`, `a whole number of seconds of at least ${min}`);
  }
  return seconds;
}

/** A TCP/UDP port number. */
export function checkPort(subjectText: string, property: string, value: unknown): number {
  return checkInteger(subjectText, property, value, 1, 65535);
}


/** A plain record of strings, checked key by key with the given checkers. */
export function checkStringMap(
  subjectText: string,
  property: string,
  value: unknown,
  checkKey: (key: string) => boolean,
  checkValue: (v: unknown) => boolean,
  accepted: string,
): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(subjectText, property, value, accepted);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!checkKey(k) || !checkValue(v)) fail(subjectText, `${property}['${k}']`, v, accepted);
  }
  return { ...(value as Record<string, string>) };
}

// Label keys and values are Kubernetes facts shared by every layer: internal/validate.ts.
export { isLabelKey, isLabelValue } from '../../internal/validate';

/** A string without control characters (annotation values may be anything printable). */
export function isPrintable(value: unknown): boolean {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && !/[\x00-\x08\x0b-\x1f\x7f]/.test(value);
}

/**
 * Fill the fields of `resources` the user left out from an agent's defaults; a defaulted limit is
 * raised to an explicit request above it. (Shared with the agents built on this base.)
 */
export function mergeResources(resources: AgentResources | undefined, defaults: Required<AgentResources>): Required<AgentResources> {
  const given: AgentResources = resources ?? {};
  const cpuRequest = given.cpuRequest ?? defaults.cpuRequest;
  const memoryRequest = given.memoryRequest ?? defaults.memoryRequest;
  let cpuLimit = given.cpuLimit ?? defaults.cpuLimit;
  let memoryLimit = given.memoryLimit ?? defaults.memoryLimit;
  try {
    if (!given.cpuLimit && given.cpuRequest && renderCpu('', '', cpuRequest).millis > renderCpu('', '', cpuLimit).millis) cpuLimit = cpuRequest;
    if (!given.memoryLimit && given.memoryRequest && memoryRequest.toKibibytes() > memoryLimit.toKibibytes()) memoryLimit = memoryRequest;
  } catch {
    // a bad request is reported by the constructor, with the construct's path
  }
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

