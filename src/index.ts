// Layers, bottom up: storage → database / daemons (constructs) → guards (read synthesized JSON).
export * from './storage';
export * from './database';
export * from './daemons';
export * from './guards';
