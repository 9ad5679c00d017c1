/**
 * Kubernetes resource quantities (`10Gi`, `10240Mi`, `1.5T`, `5e9`) as numbers, so that two
 * spellings of one size compare equal, as the API server compares them.
 */
const SUFFIX: Record<string, number> = {
  '': 1,
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The value of a quantity (a string, or a number as YAML may give it), or undefined when it is not one. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const base = parseFloat(m[1]);
  const suffix = m[2] ?? '';
  const factor = /^[eE]/.test(suffix) ? 10 ** parseInt(suffix.slice(1), 10) : SUFFIX[suffix];
  const result = base * factor;
  return Number.isFinite(result) ? result : undefined;
}
