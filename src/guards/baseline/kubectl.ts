import { ManifestObject } from '../graph';

/** `-n <namespace>` for kubectl commands on a namespaced object ('' for cluster-scoped ones). */
export function nsFlag(o: ManifestObject): string {
  return o.namespace ? ` -n ${o.namespace}` : '';
}

/** A list of names for a message: the first three, then how many more. */
export function someNames(names: string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** How to accept a finding on an object the current output no longer has. */
export const REMOVAL_ACK = 'To retire it on purpose, acknowledge the rule on the object as the baseline has it (the annotation '
  + 'stateful.cdk8s.io/acknowledge in the release before the one that removes it), or in the app with Guards.acknowledge(app, ...).';
