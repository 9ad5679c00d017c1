/**
 * `cdk8s-stateful/database`: StatefulDatabase, its engines, credentials and backups.
 * Like every entry point of the package, it first loads the hook that gives the guards to each
 * chart holding a construct of this library.
 */
import '../guards/auto-enable';
export * from '../database';
