/**
 * Comparison of manifest values as the API server compares stored objects: deep, with an empty
 * list, an empty mapping, an empty string and null the same as an absent field (the server's
 * semantic equality treats empty and unset lists and maps alike, and drops null fields).
 */

/** Whether a value is absent as far as the comparison goes. */
export function isAbsent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).every(k => isAbsent((value as Record<string, unknown>)[k]));
  return false;
}

/** Deep equality of two manifest values (lists in order, absent fields ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isAbsent(a) && isAbsent(b)) return true;
  if (typeof a !== typeof b || isAbsent(a) || isAbsent(b)) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (!sameValue(x[k], y[k])) return false;
    return true;
  }
  return a === b;
}

/** The keys whose values differ between two mappings (in the order of `a`, then the new ones of `b`). */
export function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>, ignored: ReadonlySet<string> = new Set()): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter(k => !ignored.has(k) && !sameValue(a[k], b[k]));
}

/** A value for a message: JSON, shortened, `(unset)` when absent. */
export function shown(value: unknown): string {
  if (isAbsent(value)) return '(unset)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
