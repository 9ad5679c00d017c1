/**
 * How many nodes may run no ready agent during a rolling update of the DaemonSet
 * (`spec.updateStrategy.rollingUpdate.maxUnavailable`). Zero is refused: the rollout could
 * never start.
 *
 * @example
 * // On a large cluster, roll a tenth of the nodes at a time.
 * new NodeAgentDaemon(chart, 'agent', {
 *   image: 'example.com/agent:3.2.0',
 *   maxUnavailable: MaxUnavailable.percent(10),
 * });
 */
export class MaxUnavailable {
  /**
   * A number of nodes (at least 1).
   * @param nodes how many nodes may be without a ready agent at once
   */
  public static count(nodes: number): MaxUnavailable {
    return new MaxUnavailable(nodes, undefined);
  }

  /**
   * A percentage of the nodes (a whole number from 1 to 100), rounded up by Kubernetes.
   * @param percent share of the nodes that may be without a ready agent at once
   */
  public static percent(percent: number): MaxUnavailable {
    return new MaxUnavailable(undefined, percent);
  }

  /** The number of nodes, when given as a count. */
  public readonly nodes?: number;
  /** The percentage of nodes, when given as a percentage. */
  public readonly percentage?: number;

  private constructor(nodes: number | undefined, percentage: number | undefined) {
    this.nodes = nodes;
    this.percentage = percentage;
  }
}
