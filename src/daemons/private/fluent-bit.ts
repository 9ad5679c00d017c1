import { Size, SizeRoundingBehavior } from 'cdk8s';
import { fail } from '../../internal/errors';
import { checkBoolean, checkNonEmptyString } from '../../internal/validate';
import type { AgentSecretKey } from '../agent-env';

/** Helpers of the LogCollectorDaemon and LogOutput: the Fluent Bit configuration (YAML format) from typed props. */

/** A Fluent Bit section: keys to scalar values. */
export type FluentBitSection = Record<string, string | number | boolean>;

/** An environment variable a section references as `${name}`, filled from a Secret key. */
export interface SecretEnv {
  readonly name: string;
  readonly secret: AgentSecretKey;
}

/** The output section and the secrets it references. */
export interface RenderedOutput {
  readonly section: FluentBitSection;
  readonly env: SecretEnv[];
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/;
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,252}$/;

/** A value that Fluent Bit would not interpolate (`${...}`) and that fits on one line. */
export function plain(who: string, property: string, value: unknown): string {
  if (typeof value !== 'string' || !PLAIN.test(value)) {
    fail(who, property, value, "a plain value of letters, digits, '_', '.', ':', '/' and '-' (no '$', spaces or quotes)");
  }
  return value;
}

export function host(who: string, property: string, value: unknown): string {
  checkNonEmptyString(who, property, value);
  if (!HOST.test(value as string)) fail(who, property, value, 'a host name or IP address');
  return value as string;
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

export function tlsSection(who: string, prefix: string, tls: unknown, verify: unknown, defaultTls: boolean): FluentBitSection {
  const on = checkBoolean(who, `${prefix}.tls`, tls ?? defaultTls);
  const v = checkBoolean(who, `${prefix}.tlsVerify`, verify ?? true);
  return on ? { 'tls': 'on', 'tls.verify': onOff(v) } : { tls: 'off' };
}

export function secretRef(who: string, property: string, value: unknown): AgentSecretKey {
  const s = value as AgentSecretKey;
  if (!s || typeof s !== 'object' || typeof s.secretName !== 'string' || typeof s.key !== 'string') {
    fail(who, property, value, 'a Secret key { secretName, key }');
  }
  return s;
}

export function credentials(
  who: string, prefix: string, user: unknown, password: unknown, envName: string, section: FluentBitSection, env: SecretEnv[],
): void {
  if (user !== undefined) section.http_user = plain(who, `${prefix}.user`, user);
  if (password !== undefined) {
    if (user === undefined) fail(who, `${prefix}.passwordSecret`, password, 'given together with user');
    env.push({ name: envName, secret: secretRef(who, `${prefix}.passwordSecret`, password) });
    section.http_passwd = `\${${envName}}`;
  }
}

/** A Size as a Fluent Bit size (`50M`, `512K`). */
export function fluentBitSize(who: string, property: string, size: unknown): string {
  if (!(size instanceof Size)) fail(who, property, size, 'a cdk8s Size such as Size.mebibytes(50)');
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isFinite(kib) || !Number.isInteger(kib) || kib < 64 || kib > 1024 * 1024 * 16) {
    fail(who, property, `${kib} KiB`, 'a whole number of KiB from 64 KiB to 16 GiB');
  }
  return kib % 1024 === 0 ? `${kib / 1024}M` : `${kib}K`;
}

/** A Fluent Bit glob fragment from a name (only DNS characters survive). */
export function globSafe(value: string | undefined): string {
  return value && /^[a-z0-9-]+$/.test(value) ? value : '*';
}
