import { enableGuards } from './app-integration';
import { registerLibraryConstructHook } from '../internal/library-marker';

/**
 * Loaded for its effect by every entry point of the package (`cdk8s-stateful` and each subpath
 * export): from then on every construct of this library marks itself, and its chart gets the
 * guards. The package's `exports` map admits no other way in, so no import skips this.
 */
registerLibraryConstructHook(construct => enableGuards(construct, 'auto'));
