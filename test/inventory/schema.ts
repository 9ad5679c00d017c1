/** A tiny JSON Schema checker for docs/inventory.schema.json (the keywords it uses only; no dependency). */
import * as fs from 'fs';
import * as path from 'path';

export const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'inventory.schema.json'), 'utf8'));

/** Every violation of `schema` by `value`, as `path: problem`. */
export function validate(value: unknown, schema: any = SCHEMA, at = '$', root: any = SCHEMA): string[] {
  if (schema.$ref) return validate(value, root.$defs[schema.$ref.replace('#/$defs/', '')], at, root);
  const errors: string[] = [];
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (schema.type && schema.type !== type) return [`${at}: expected ${schema.type}, got ${type}`];
  if (schema.const !== undefined && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (schema.pattern && !new RegExp(schema.pattern).test(String(value))) errors.push(`${at}: does not match ${schema.pattern}`);
  if (type === 'array' && schema.items) (value as unknown[]).forEach((v, i) => errors.push(...validate(v, schema.items, `${at}[${i}]`, root)));
  if (type === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in o)) errors.push(`${at}: missing ${key}`);
    for (const [key, v] of Object.entries(o)) {
      const sub = schema.properties?.[key];
      if (sub) errors.push(...validate(v, sub, `${at}.${key}`, root));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected ${key}`);
    }
  }
  return errors;
}
