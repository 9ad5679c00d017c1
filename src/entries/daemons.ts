/**
 * `cdk8s-stateful/daemons`: node agents: NodeAgentDaemon, NodeExporterDaemon, LogCollectorDaemon.
 * Like every entry point of the package, it first loads the hook that gives the guards to each
 * chart holding a construct of this library.
 */
import '../guards/auto-enable';
export * from '../daemons';
