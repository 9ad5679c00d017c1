/**
 * `cdk8s-stateful/guards`: the guards: Guards.enable / check / acknowledge, rule packs, reports.
 * Like every entry point of the package, it first loads the hook that gives the guards to each
 * chart holding a construct of this library.
 */
import '../guards/auto-enable';
export * from '../guards';
