// Node agents: the shared DaemonSet base and the agents built on it.
export * from './pod-security-level';
export * from './host-mount';
export * from './max-unavailable';
export * from './agent-env';
export * from './agent-port';
export * from './agent-probe';
export * from './agent-resources';
export * from './agent-scheduling';
export * from './agent-policy-rule';
export * from './agent-namespace';
export * from './node-agent-props';
export * from './node-agent-daemon';
export * from './node-exporter-collector';
export * from './node-exporter-daemon';
export * from './log-output';
export * from './log-collector-daemon';
