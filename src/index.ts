// Layers, bottom up: storage → database / daemons (constructs) → guards (read synthesized JSON).
export * from './storage';
export * from './database';
export * from './daemons';
export * from './guards';
export * from './inventory';
// Charts holding a construct of this library get the guards (every entry point loads this).
import './guards/auto-enable';
// The errors every construct throws for bad input: StatefulErrors.isStatefulError / detailsOf.
export { StatefulErrors } from './internal/errors';
export type { StatefulErrorDetails } from './internal/errors';
