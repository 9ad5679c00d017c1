import { enableGuards } from './app-integration';
import { registerLibraryConstructHook } from '../internal/library-marker';

export * from './finding';
export * from './guard-graph';
export * from './guard-pack';
export * from './guard-rule';
export * from './guards';

// Every construct of this library marks itself: its chart gets the guards.
registerLibraryConstructHook(construct => enableGuards(construct, 'auto'));
