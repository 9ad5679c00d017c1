import { AgentSecretKey } from './agent-env';
import { checkPort } from './private/daemon-checks';
import { credentials, FluentBitSection, host, plain, RenderedOutput, SecretEnv, secretRef, tlsSection } from './private/fluent-bit';
import { fail } from '../internal/errors';
import { checkBoolean } from '../internal/validate';

/** Options shared by the network outputs. */
export interface LogOutputConnectionOptions {
  /** Host name (or IP) of the log store, e.g. `loki-gateway.monitoring.svc`. */
  readonly host: string;
  /**
   * Encrypt the connection with TLS.
   * @default - true for Elasticsearch, false for Loki and forward (in-cluster services)
   */
  readonly tls?: boolean;
  /**
   * Verify the server's certificate (with `tls`).
   * @default true
   */
  readonly tlsVerify?: boolean;
}

/** Options of `LogOutput.elasticsearch`. */
export interface ElasticsearchLogOutputOptions extends LogOutputConnectionOptions {
  /**
   * Port.
   * @default 9200
   */
  readonly port?: number;
  /**
   * Index the records go to (ignored with `logstashFormat`, which writes `<logstashPrefix>-YYYY.MM.DD`).
   * @default 'kubernetes-logs'
   */
  readonly index?: string;
  /**
   * Write to one index per day, `<logstashPrefix>-YYYY.MM.DD`.
   * @default false
   */
  readonly logstashFormat?: boolean;
  /**
   * Prefix of the daily indices (with `logstashFormat`).
   * @default 'kubernetes'
   */
  readonly logstashPrefix?: string;
  /**
   * User for HTTP basic authentication.
   * @default - no authentication
   */
  readonly user?: string;
  /**
   * Secret key holding the password (requires `user`).
   * @default - no password
   */
  readonly passwordSecret?: AgentSecretKey;
}

/** Options of `LogOutput.loki`. */
export interface LokiLogOutputOptions extends LogOutputConnectionOptions {
  /**
   * Port.
   * @default 3100
   */
  readonly port?: number;
  /**
   * Static stream labels added to every record (besides `namespace` and `container`, taken from
   * the Kubernetes metadata). Keep them few: every distinct label set is a Loki stream.
   * @default { job: 'fluent-bit' }
   */
  readonly labels?: { [key: string]: string };
  /**
   * Tenant (`X-Scope-OrgID`) of a multi-tenant Loki.
   * @default - none
   */
  readonly tenantId?: string;
  /**
   * User for HTTP basic authentication.
   * @default - no authentication
   */
  readonly user?: string;
  /**
   * Secret key holding the password (requires `user`).
   * @default - no password
   */
  readonly passwordSecret?: AgentSecretKey;
}

/** Options of `LogOutput.forward`. */
export interface ForwardLogOutputOptions extends LogOutputConnectionOptions {
  /**
   * Port.
   * @default 24224
   */
  readonly port?: number;
  /**
   * Secret key holding the shared key of Secure Forward (requires `tls`).
   * @default - no shared key
   */
  readonly sharedKeySecret?: AgentSecretKey;
  /**
   * Host name this client presents in Secure Forward.
   * @default - the node's host name
   */
  readonly selfHostname?: string;
}

const LOKI_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;

/**
 * Where a `LogCollectorDaemon` ships the records. Credentials only come from Secrets: they
 * reach Fluent Bit as environment variables (`secretKeyRef`) referenced in the generated
 * configuration as `${VARIABLE}`, never as literals in the ConfigMap.
 * It renders itself into the Fluent Bit `outputs` section.
 *
 * @example
 * new LogCollectorDaemon(chart, 'logs', {
 *   createNamespace: 'logging',
 *   output: LogOutput.elasticsearch({
 *     host: 'elasticsearch.logging.svc',
 *     logstashFormat: true,
 *     user: 'fluent-bit',
 *     passwordSecret: { secretName: 'es-credentials', key: 'password' },
 *   }),
 * });
 */
export class LogOutput {
  /** Elasticsearch (or OpenSearch with the Elasticsearch API), through the `es` output. */
  public static elasticsearch(options: ElasticsearchLogOutputOptions): LogOutput {
    return new LogOutput(who => LogOutput.renderElasticsearch(who, options));
  }

  /** Grafana Loki, through the `loki` output. */
  public static loki(options: LokiLogOutputOptions): LogOutput {
    return new LogOutput(who => LogOutput.renderLoki(who, options));
  }

  /** Fluentd or another Fluent Bit, through the `forward` protocol. */
  public static forward(options: ForwardLogOutputOptions): LogOutput {
    return new LogOutput(who => LogOutput.renderForward(who, options));
  }

  /** The collector's own standard output, as JSON lines (for trying things out). */
  public static stdout(): LogOutput {
    return new LogOutput(() => ({ section: { name: 'stdout', match: 'kube.*', format: 'json_lines' }, env: [] }));
  }

  private static renderElasticsearch(who: string, o: ElasticsearchLogOutputOptions): RenderedOutput {
    if (!o || typeof o !== 'object') fail(who, 'output', o, 'Elasticsearch options { host, ... }');
    const env: SecretEnv[] = [];
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

  private static renderLoki(who: string, o: LokiLogOutputOptions): RenderedOutput {
    if (!o || typeof o !== 'object') fail(who, 'output', o, 'Loki options { host, ... }');
    const env: SecretEnv[] = [];
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

  private static renderForward(who: string, o: ForwardLogOutputOptions): RenderedOutput {
    if (!o || typeof o !== 'object') fail(who, 'output', o, 'forward options { host, ... }');
    const env: SecretEnv[] = [];
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

  private constructor(private readonly render: (who: string) => RenderedOutput) {}

  /**
   * The Fluent Bit `outputs` entry and the Secret keys it references as `${VARIABLE}`; errors
   * name `who` and `output.<option>`.
   * @internal
   */
  public _render(who: string): RenderedOutput {
    return this.render(who);
  }
}
