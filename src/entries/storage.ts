/**
 * `cdk8s-stateful/storage`: StorageClass presets, the provisioner catalog, claims, local volumes, snapshots, shared file volumes.
 * Like every entry point of the package, it first loads the hook that gives the guards to each
 * chart holding a construct of this library.
 */
import '../guards/auto-enable';
export * from '../storage';
