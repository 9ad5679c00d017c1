import { Size, SizeRoundingBehavior } from 'cdk8s';
import { checkPort } from './daemon-checks';
import { fail } from '../../internal/errors';
import { checkBoolean, checkNonEmptyString } from '../../internal/validate';
import type { AgentSecretKey } from '../agent-env';
import { LogOutput, LogOutputKind } from '../log-output';

/** Helpers of the LogCollectorDaemon: the Fluent Bit configuration (YAML format) from typed props. */

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
const LOKI_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;

/** A value that Fluent Bit would not interpolate (`${...}`) and that fits on one line. */
function plain(who: string, property: string, value: unknown): string {
  if (typeof value !== 'string' || !PLAIN.test(value)) {
    fail(who, property, value, "a plain value of letters, digits, '_', '.', ':', '/' and '-' (no '$', spaces or quotes)");
  }
  return value;
}

function host(who: string, property: string, value: unknown): string {
  checkNonEmptyString(who, property, value);
  if (!HOST.test(value as string)) fail(who, property, value, 'a host name or IP address');
  return value as string;
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

function tlsSection(who: string, prefix: string, tls: unknown, verify: unknown, defaultTls: boolean): FluentBitSection {
  const on = checkBoolean(who, `${prefix}.tls`, tls ?? defaultTls);
  const v = checkBoolean(who, `${prefix}.tlsVerify`, verify ?? true);
  return on ? { 'tls': 'on', 'tls.verify': onOff(v) } : { tls: 'off' };
}

function secretRef(who: string, property: string, value: unknown): AgentSecretKey {
  const s = value as AgentSecretKey;
  if (!s || typeof s !== 'object' || typeof s.secretName !== 'string' || typeof s.key !== 'string') {
    fail(who, property, value, 'a Secret key { secretName, key }');
  }
  return s;
}

function credentials(
  who: string, prefix: string, user: unknown, password: unknown, envName: string, section: FluentBitSection, env: SecretEnv[],
): void {
  if (user !== undefined) section.http_user = plain(who, `${prefix}.user`, user);
  if (password !== undefined) {
    if (user === undefined) fail(who, `${prefix}.passwordSecret`, password, 'given together with user');
    env.push({ name: envName, secret: secretRef(who, `${prefix}.passwordSecret`, password) });
    section.http_passwd = `\${${envName}}`;
  }
}

/** The `outputs` entry for one LogOutput. */
export function renderOutput(who: string, output: LogOutput): RenderedOutput {
  if (!(output instanceof LogOutput)) fail(who, 'output', output, 'a LogOutput such as LogOutput.loki({ host })');
  const env: SecretEnv[] = [];
  switch (output.kind) {
    case LogOutputKind.STDOUT:
      return { section: { name: 'stdout', match: 'kube.*', format: 'json_lines' }, env };
    case LogOutputKind.ELASTICSEARCH: {
      const o = output.elasticsearchOptions;
      if (!o || typeof o !== 'object') fail(who, 'output', o, 'Elasticsearch options { host, ... }');
      const section: FluentBitSection = {
        name: 'es',
        match: 'kube.*',
        host: host(who, 'output.host', o.host),
        port: checkPort(who, 'output.port', o.port ?? 9200),
      };
      const logstash = checkBoolean(who, 'output.logstashFormat', o.logstashFormat ?? false);
      if (logstash) {
        section.logstash_format = 'on';
        section.logstash_prefix = plain(who, 'output.logstashPrefix', o.logstashPrefix ?? 'kubernetes');
      } else {
        section.index = plain(who, 'output.index', o.index ?? 'kubernetes-logs');
      }
      credentials(who, 'output', o.user, o.passwordSecret, 'FLUENT_ELASTICSEARCH_PASSWORD', section, env);
      Object.assign(section, { suppress_type_name: 'on', replace_dots: 'on', trace_error: 'on', retry_limit: 5 }, tlsSection(who, 'output', o.tls, o.tlsVerify, true));
      return { section, env };
    }
    case LogOutputKind.LOKI: {
      const o = output.lokiOptions;
      if (!o || typeof o !== 'object') fail(who, 'output', o, 'Loki options { host, ... }');
      const labels = o.labels ?? { job: 'fluent-bit' };
      if (!labels || typeof labels !== 'object' || Array.isArray(labels)) fail(who, 'output.labels', labels, 'a map of Loki label names to values');
      const rendered = Object.entries(labels).map(([k, v]) => {
        if (!LOKI_LABEL.test(k) || k === 'namespace' || k === 'container') {
          fail(who, 'output.labels', k, "a Loki label name ([a-zA-Z_][a-zA-Z0-9_]*) other than 'namespace' and 'container'");
        }
        return `${k}=${plain(who, `output.labels.${k}`, v)}`;
      });
      const section: FluentBitSection = {
        name: 'loki',
        match: 'kube.*',
        host: host(who, 'output.host', o.host),
        port: checkPort(who, 'output.port', o.port ?? 3100),
        uri: '/loki/api/v1/push',
        labels: [...rendered, "namespace=$kubernetes['namespace_name']", "container=$kubernetes['container_name']"].join(', '),
        line_format: 'json',
      };
      if (o.tenantId !== undefined) section.tenant_id = plain(who, 'output.tenantId', o.tenantId);
      credentials(who, 'output', o.user, o.passwordSecret, 'FLUENT_LOKI_PASSWORD', section, env);
      Object.assign(section, { retry_limit: 5 }, tlsSection(who, 'output', o.tls, o.tlsVerify, false));
      return { section, env };
    }
    case LogOutputKind.FORWARD: {
      const o = output.forwardOptions;
      if (!o || typeof o !== 'object') fail(who, 'output', o, 'forward options { host, ... }');
      const section: FluentBitSection = {
        name: 'forward',
        match: 'kube.*',
        host: host(who, 'output.host', o.host),
        port: checkPort(who, 'output.port', o.port ?? 24224),
      };
      const tls = tlsSection(who, 'output', o.tls, o.tlsVerify, false);
      if (o.sharedKeySecret !== undefined) {
        if (tls.tls !== 'on') fail(who, 'output.sharedKeySecret', o.sharedKeySecret, 'given only with tls: true (Secure Forward runs over TLS)');
        env.push({ name: 'FLUENT_FORWARD_SHARED_KEY', secret: secretRef(who, 'output.sharedKeySecret', o.sharedKeySecret) });
        section.shared_key = '${FLUENT_FORWARD_SHARED_KEY}';
      }
      if (o.selfHostname !== undefined) section.self_hostname = host(who, 'output.selfHostname', o.selfHostname);
      Object.assign(section, { retry_limit: 5 }, tls);
      return { section, env };
    }
    default:
      return fail(who, 'output.kind', output.kind, 'one of es, loki, forward, stdout');
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
