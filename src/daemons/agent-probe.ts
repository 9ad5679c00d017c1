import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { AgentPort, AgentPortProtocol } from './agent-port';
import { renderSeconds } from './private/daemon-checks';
import { fail } from '../internal/errors';
import { checkInteger } from '../internal/validate';

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

/**
 * A liveness or readiness probe of a node agent, always aimed at one of its named ports.
 * It renders itself into the container's `k8s.Probe`.
 *
 * @example
 * new NodeAgentDaemon(chart, 'agent', {
 *   image: 'example.com/agent:3.2.0',
 *   ports: [{ name: 'http', containerPort: 8080 }],
 *   livenessProbe: AgentProbe.tcpSocket({ portName: 'http', initialDelay: Duration.seconds(10) }),
 *   readinessProbe: AgentProbe.httpGet({ path: '/ready', portName: 'http' }),
 * });
 */
export class AgentProbe {
  /** An HTTP GET on one of the agent's ports; any 2xx or 3xx answer passes. */
  public static httpGet(options: AgentHttpProbeOptions = {}): AgentProbe {
    return new AgentProbe('httpGet', options, options.path ?? '/');
  }

  /** A TCP connection to one of the agent's ports. */
  public static tcpSocket(options: AgentTcpProbeOptions = {}): AgentProbe {
    return new AgentProbe('tcpSocket', options, undefined);
  }

  /** The Kubernetes handler field (`httpGet` or `tcpSocket`). */
  private readonly handler: 'httpGet' | 'tcpSocket';
  /** The HTTP path (HTTP probes only). */
  private readonly path?: string;
  /** The port name, when given. */
  private readonly portName?: string;
  /** The timing options. */
  private readonly timing: AgentProbeTiming;

  private constructor(handler: 'httpGet' | 'tcpSocket', options: AgentTcpProbeOptions, path: string | undefined) {
    this.handler = handler;
    this.path = path;
    this.portName = options?.portName;
    this.timing = options ?? {};
  }

  /**
   * The probe of a container exposing `ports` (already checked, protocol resolved); errors name
   * `who` and `property` (`livenessProbe`, `readinessProbe`).
   * @internal
   */
  public _toKube(who: string, property: string, ports: AgentPort[]): k8s.Probe {
    if (ports.length === 0) fail(who, property, this.handler, 'given only to an agent with at least one port');
    const portName = this.portName ?? ports[0].name;
    if (!ports.some(p => p.name === portName && p.protocol === AgentPortProtocol.TCP)) {
      fail(who, `${property}.portName`, portName, `the name of one of the agent's TCP ports (${ports.map(p => p.name).join(', ')})`);
    }
    const timing = this.timing ?? {};
    const port = k8s.IntOrString.fromString(portName);
    let handler: Pick<k8s.Probe, 'httpGet' | 'tcpSocket'>;
    if (this.handler === 'httpGet') {
      const path = this.path ?? '/';
      // eslint-disable-next-line no-control-regex
      if (typeof path !== 'string' || !path.startsWith('/') || /[\x00-\x20]/.test(path)) fail(who, `${property}.path`, path, "an HTTP path starting with '/' without spaces");
      handler = { httpGet: { path, port, scheme: 'HTTP' } };
    } else {
      handler = { tcpSocket: { port } };
    }
    return {
      ...handler,
      initialDelaySeconds: timing.initialDelay !== undefined ? renderSeconds(who, `${property}.initialDelay`, timing.initialDelay, 0) : 0,
      periodSeconds: timing.period !== undefined ? renderSeconds(who, `${property}.period`, timing.period, 1) : 10,
      timeoutSeconds: timing.timeout !== undefined ? renderSeconds(who, `${property}.timeout`, timing.timeout, 1) : 1,
      failureThreshold: checkInteger(who, `${property}.failureThreshold`, timing.failureThreshold ?? 3, 1, 1000),
    };
  }
}
