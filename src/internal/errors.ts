import { IConstruct } from 'constructs';

/**
 * The error every bad input produces: one sentence naming the resource (construct kind and
 * path), the property, the bad value and what would be accepted (see STYLE.md).
 */
export class StatefulError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatefulError';
    Object.setPrototypeOf(this, StatefulError.prototype);
  }
}

/** `StatefulDatabase 'app/orders'`: how errors name a construct. */
export function subject(kind: string, scope: IConstruct | string): string {
  return `${kind} '${typeof scope === 'string' ? scope : scope.node.path}'`;
}

/** Throw `<subject>: <property> must be <accepted>, got <value>.` */
export function fail(subjectText: string, property: string, value: unknown, accepted: string): never {
  throw new StatefulError(`${subjectText}: ${property} must be ${accepted}, got ${show(value)}.`);
}

/** A value as it should appear in an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
