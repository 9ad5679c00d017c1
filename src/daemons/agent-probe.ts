import { Duration } from 'cdk8s';

/** Timing shared by every probe. */
export interface AgentProbeTiming {
  /**
   * Delay before the first probe.
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;
  /**
   * Time between probes.
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;
  /**
   * Time after which one probe counts as failed.
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the probe fails.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** Options of an HTTP GET probe. */
export interface AgentHttpProbeOptions extends AgentProbeTiming {
  /**
   * Path to request.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Name of one of the agent's ports to probe.
   * @default - the agent's first port
   */
  readonly portName?: string;
}

/** Options of a TCP probe. */
export interface AgentTcpProbeOptions extends AgentProbeTiming {
  /**
   * Name of one of the agent's ports to probe.
   * @default - the agent's first port
   */
  readonly portName?: string;
}

/** Kinds of probe. */
export enum AgentProbeKind {
  HTTP_GET = 'httpGet',
  TCP_SOCKET = 'tcpSocket',
}

/** A liveness or readiness probe of a node agent, always aimed at one of its named ports. */
export class AgentProbe {
  /** An HTTP GET on one of the agent's ports; any 2xx or 3xx answer passes. */
  public static httpGet(options: AgentHttpProbeOptions = {}): AgentProbe {
    return new AgentProbe(AgentProbeKind.HTTP_GET, options, options.path ?? '/');
  }

  /** A TCP connection to one of the agent's ports. */
  public static tcpSocket(options: AgentTcpProbeOptions = {}): AgentProbe {
    return new AgentProbe(AgentProbeKind.TCP_SOCKET, options, undefined);
  }

  /** The kind of probe. */
  public readonly kind: AgentProbeKind;
  /** The HTTP path (HTTP probes only). */
  public readonly path?: string;
  /** The port name, when given. */
  public readonly portName?: string;
  /** The timing options. */
  public readonly timing: AgentProbeTiming;

  private constructor(kind: AgentProbeKind, options: AgentTcpProbeOptions, path: string | undefined) {
    this.kind = kind;
    this.path = path;
    this.portName = options?.portName;
    this.timing = options ?? {};
  }
}
