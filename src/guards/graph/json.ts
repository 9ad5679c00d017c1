/** Readers of untyped manifest JSON: the graph never trusts a field's type. */

/** A plain object, or undefined. */
export function asObj(value: unknown): Record<string, any> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, any> : undefined;
}
/** An array, or an empty one. */
export function arr(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;
export function stringMap(value: unknown): Record<string, string> {
  const o = asObj(value);
  if (!o) return EMPTY;
  const out: Record<string, string> = {};
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const v = o[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}
