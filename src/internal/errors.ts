import { IConstruct } from 'constructs';

/**
 * The error every bad input produces: one sentence naming the resource (construct kind and
 * path), the property, the bad value and what would be accepted, with each part also kept as a
 * field for programs that handle it.
 *
 * jsii cannot export a subclass of `Error` to other languages, so, as aws-cdk does with its own
 * errors, the class stays inside the package and `StatefulErrors` answers for every language:
 * `StatefulErrors.isStatefulError(e)` and `StatefulErrors.detailsOf(e)`.
 */
export class StatefulError extends Error {

  /** The resource: construct kind and path (`StatefulDatabase 'app/orders'`), or the API called. */
  public readonly subject: string;
  /** The property path (`storage.size`, `backup.schedule`), empty when the error is about no single property. */
  public readonly property: string;
  /** The bad value as the message shows it. */
  public readonly value: string;
  /** What would have been accepted. */
  public readonly accepted: string;

  constructor(message: string, subjectText = '', property = '', value = '', accepted = '') {
    super(message);
    this.name = 'StatefulError';
    this.subject = subjectText;
    this.property = property;
    this.value = value;
    this.accepted = accepted;
    Object.setPrototypeOf(this, StatefulError.prototype);
  }
}

/** The parts of a StatefulError message, for programs that handle it. */
export interface StatefulErrorDetails {
  /** The whole message. */
  readonly message: string;
  /** The resource: construct kind and path (`StatefulDatabase 'app/orders'`), or the API called. */
  readonly subject: string;
  /** The property path (`storage.size`, `backup.schedule`); empty when no single property is at fault. */
  readonly property: string;
  /** The bad value as the message shows it. */
  readonly value: string;
  /** What would have been accepted. */
  readonly accepted: string;
}

/**
 * Questions about the errors this library throws for bad input, for every jsii language.
 *
 * @example
 * // One line for a build log: what to fix, and what would be accepted.
 * function explain(error: any): string {
 *   if (!StatefulErrors.isStatefulError(error)) {
 *     throw error;
 *   }
 *   const details = StatefulErrors.detailsOf(error)!;
 *   return `${details.subject}: fix ${details.property} (accepted: ${details.accepted})`;
 * }
 */
export class StatefulErrors {
  /**
   * Whether an error was thrown by this library for bad input (a StatefulError), also across
   * copies of the library in one process.
   */
  public static isStatefulError(x: any): boolean {
    return x instanceof StatefulError || (typeof x === 'object' && x !== null && x.name === 'StatefulError' && typeof x.property === 'string');
  }

  /** The construct path, property path, value and what is accepted of a StatefulError; none for any other value. */
  public static detailsOf(x: any): StatefulErrorDetails | undefined {
    if (!StatefulErrors.isStatefulError(x)) return undefined;
    return { message: x.message, subject: x.subject, property: x.property, value: x.value, accepted: x.accepted };
  }

  private constructor() {}
}

/** `StatefulDatabase 'app/orders'`: how errors name a construct. */
export function subject(kind: string, scope: IConstruct | string): string {
  return `${kind} '${typeof scope === 'string' ? scope : scope.node.path}'`;
}

/** Throw `<subject>: <property> must be <accepted>, got <value>.` */
export function fail(subjectText: string, property: string, value: unknown, accepted: string): never {
  const shown = show(value);
  throw new StatefulError(`${subjectText}: ${property} must be ${accepted}, got ${shown}.`, subjectText, property, shown, accepted);
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
