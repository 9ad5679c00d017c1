import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';

/**
 * Compute resources of a node agent. Each agent documents its defaults; a field left out keeps
 * the agent's default, and a limit left out is raised to the request when the request exceeds it.
 */
export interface AgentResources {
  /**
   * CPU the scheduler reserves on every node.
   * @default - the agent's default (100m for NodeAgentDaemon)
   */
  readonly cpuRequest?: Cpu;
  /**
   * CPU above which the agent is throttled.
   * @default - the agent's default (500m for NodeAgentDaemon)
   */
  readonly cpuLimit?: Cpu;
  /**
   * Memory the scheduler reserves on every node.
   * @default - the agent's default (128Mi for NodeAgentDaemon)
   */
  readonly memoryRequest?: Size;
  /**
   * Memory above which the agent is killed.
   * @default - the agent's default (256Mi for NodeAgentDaemon)
   */
  readonly memoryLimit?: Size;
}
