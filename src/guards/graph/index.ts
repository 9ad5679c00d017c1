// The manifest graph the rules read: objects, workloads, claims, classes, volumes, services, budgets.
export * from './json';
export * from './manifest-object';
export * from './workload-node';
export * from './storage-nodes';
export * from './policy-nodes';
export * from './manifest-graph';
export * from './database-engines';
