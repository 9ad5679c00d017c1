/** Annotation keys this library writes and reads: one definition each. */

/** On a ReadWriteMany claim: `single` | `coordinated` (how its writers share it). */
export const WRITERS_ANNOTATION = 'stateful.cdk8s.io/writers';
