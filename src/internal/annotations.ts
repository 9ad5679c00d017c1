/** Annotation keys this library writes and reads: one definition each. */

/** On a ReadWriteMany claim: `single` | `coordinated` (how its writers share it). */
export const WRITERS_ANNOTATION = 'stateful.cdk8s.io/writers';

/**
 * Acknowledges guard findings on an object. Two forms:
 * `"SG001: reason; SG005: another reason"` or a JSON object `{"SG001": "reason"}`.
 */
export const ACK_ANNOTATION = 'stateful.cdk8s.io/acknowledge';
