import { Duration } from 'cdk8s';
import { fail } from '../../internal/errors';

// Bounds of the five fields of a Kubernetes CronJob schedule (minute hour day-of-month month day-of-week).
const FIELDS: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const ACCEPTED = "a cron schedule of five fields (minute hour day-of-month month day-of-week) such as '0 3 * * *'";

/** Check a five-field cron schedule (numbers, names, `*`, ranges, steps and lists within each field's bounds). */
export function checkCronSchedule(subjectText: string, property: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 200) fail(subjectText, property, value, ACCEPTED);
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 5 || !parts.every((part, i) => checkField(part, FIELDS[i]))) fail(subjectText, property, value, ACCEPTED);
  return parts.join(' ');
}

function checkField(field: string, spec: { min: number; max: number; names?: string[] }): boolean {
  const atom = (text: string): number | undefined => {
    if (/^\d{1,2}$/.test(text)) return Number(text);
    const i = spec.names?.indexOf(text.toLowerCase()) ?? -1;
    return i >= 0 ? i + (spec.min === 1 ? 1 : 0) : undefined;
  };
  return field.split(',').every(item => {
    const [range, step, ...rest] = item.split('/');
    if (rest.length > 0 || range === '') return false;
    if (step !== undefined && (!/^\d{1,2}$/.test(step) || Number(step) < 1)) return false;
    if (range === '*' || range === '?') return true;
    const bounds = range.split('-');
    if (bounds.length > 2) return false;
    const values = bounds.map(atom);
    if (values.some(v => v === undefined || v < spec.min || v > spec.max)) return false;
    return values.length === 1 || (values[0] as number) <= (values[1] as number);
  });
}

/** Whole seconds of a Duration between `minSeconds` and `maxSeconds`. */
export function checkDuration(subjectText: string, property: string, value: unknown, minSeconds: number, maxSeconds: number): number {
  const unit = (n: number) => n % 3600 === 0 ? `${n / 3600} hour(s)` : n % 60 === 0 ? `${n / 60} minute(s)` : `${n} second(s)`;
  const accepted = `a Duration from ${unit(minSeconds)} to ${unit(maxSeconds)} in whole seconds, e.g. Duration.minutes(5)`;
  if (!(value instanceof Duration)) fail(subjectText, property, value, accepted);
  let seconds: number;
  try {
    seconds = value.toSeconds();
  } catch {
    // Not whole seconds: cdk8s refuses the conversion, and may refuse milliseconds too (5e-324 s).
    fail(subjectText, property, describeDuration(value), accepted);
  }
  if (!Number.isInteger(seconds) || seconds < minSeconds || seconds > maxSeconds) fail(subjectText, property, `${seconds}s`, accepted);
  return seconds;
}

function describeDuration(value: Duration): string {
  for (const [convert, unit] of [[() => value.toMilliseconds(), 'ms'], [() => value.toHumanString(), '']] as const) {
    try {
      return `${convert()}${unit}`;
    } catch {
      // try the next form
    }
  }
  return 'a Duration of a fraction of a millisecond';
}
