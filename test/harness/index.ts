/**
 * The one helper every test uses: synthesize, parse the YAML back, validate every object
 * against the Kubernetes 1.28 schema (plus the CRD schemas we keep), and hand back the objects.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { SchemaError, validateManifest } from './k8s-schema';

export { validateManifest } from './k8s-schema';
export type { SchemaError } from './k8s-schema';

/** Thrown when a synthesized object breaks the schema; lists every violation. */
export class SchemaViolation extends Error {
  constructor(public readonly violations: Array<SchemaError & { object: string }>) {
    super(`manifest does not match the Kubernetes 1.28 schema:\n${violations.map(v => `  ${v.path}: ${v.message}`).join('\n')}`);
  }
}

/** Validate parsed manifests; throws {@link SchemaViolation} listing every error. */
export function assertValid(objects: any[]): any[] {
  const violations = objects.flatMap(o => validateManifest(o).map(e => ({ ...e, object: `${o?.kind}/${o?.metadata?.name}` })));
  if (violations.length > 0) throw new SchemaViolation(violations);
  return objects;
}

/** Parse a multi-document YAML string (null documents are dropped). */
export function parseYaml(text: string): any[] {
  return YAML.parseAllDocuments(text).map(d => {
    if (d.errors.length > 0) throw new Error(`invalid YAML: ${d.errors[0].message}`);
    return d.toJS();
  }).filter(o => o !== null && o !== undefined);
}

/**
 * Synthesize a chart (running every validation of its app, the guards included), round-trip
 * the output through YAML exactly as `cdk8s synth` writes it, validate every object and
 * return them.
 */
export function synth(chart: Chart): any[] {
  const yaml = Testing.synth(chart).map(o => YAML.stringify(o)).join('---\n');
  return assertValid(parseYaml(yaml));
}

/** Synthesize a whole app to YAML (one document per object), validate and return the objects. */
export function synthApp(app: App): any[] {
  return assertValid(parseYaml(app.synthYaml()));
}

/** The first object of a kind (and optionally a name suffix); fails the test when absent. */
export function find(objects: any[], kind: string, nameIncludes?: string): any {
  const found = objects.find(o => o.kind === kind && (nameIncludes === undefined || String(o.metadata?.name).includes(nameIncludes)));
  if (!found) throw new Error(`no ${kind}${nameIncludes ? ` named *${nameIncludes}*` : ''} among ${objects.map(o => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}

/** Every object of a kind. */
export function all(objects: any[], kind: string): any[] {
  return objects.filter(o => o.kind === kind);
}
