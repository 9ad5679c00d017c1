export * from './finding';
export * from './guard-graph';
export * from './guard-pack';
export * from './guard-rule';
export * from './guards';
