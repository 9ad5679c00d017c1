/** Transport protocols of a container port. */
export enum AgentPortProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
}

/** A port the agent listens on. */
export interface AgentPort {
  /** Port name (an IANA service name: at most 15 lower-case letters, digits and '-'), e.g. `metrics`. */
  readonly name: string;
  /** Port number in the container (and on the node when the agent uses the host network). */
  readonly containerPort: number;
  /**
   * Protocol.
   * @default AgentPortProtocol.TCP
   */
  readonly protocol?: AgentPortProtocol;
}
