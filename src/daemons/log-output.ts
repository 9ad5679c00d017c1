import { AgentSecretKey } from './agent-env';

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

/** Options of {@link LogOutput.elasticsearch}. */
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

/** Options of {@link LogOutput.loki}. */
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

/** Options of {@link LogOutput.forward}. */
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

/** Kinds of log output. */
export enum LogOutputKind {
  ELASTICSEARCH = 'es',
  LOKI = 'loki',
  FORWARD = 'forward',
  STDOUT = 'stdout',
}

/**
 * Where a {@link LogCollectorDaemon} ships the records. Credentials only come from Secrets: they
 * reach Fluent Bit as environment variables (`secretKeyRef`) referenced in the generated
 * configuration as `${VARIABLE}`, never as literals in the ConfigMap.
 */
export class LogOutput {
  /** Elasticsearch (or OpenSearch with the Elasticsearch API), through the `es` output. */
  public static elasticsearch(options: ElasticsearchLogOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.ELASTICSEARCH, options);
  }

  /** Grafana Loki, through the `loki` output. */
  public static loki(options: LokiLogOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.LOKI, options);
  }

  /** Fluentd or another Fluent Bit, through the `forward` protocol. */
  public static forward(options: ForwardLogOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.FORWARD, options);
  }

  /** The collector's own standard output, as JSON lines (for trying things out). */
  public static stdout(): LogOutput {
    return new LogOutput(LogOutputKind.STDOUT, undefined);
  }

  /** The kind of output. */
  public readonly kind: LogOutputKind;
  /** Elasticsearch options (elasticsearch outputs only). */
  public readonly elasticsearchOptions?: ElasticsearchLogOutputOptions;
  /** Loki options (Loki outputs only). */
  public readonly lokiOptions?: LokiLogOutputOptions;
  /** Forward options (forward outputs only). */
  public readonly forwardOptions?: ForwardLogOutputOptions;

  private constructor(kind: LogOutputKind, options: any) {
    this.kind = kind;
    if (kind === LogOutputKind.ELASTICSEARCH) this.elasticsearchOptions = options;
    if (kind === LogOutputKind.LOKI) this.lokiOptions = options;
    if (kind === LogOutputKind.FORWARD) this.forwardOptions = options;
  }
}
