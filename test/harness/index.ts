/**
 * The one helper every test uses: synthesize, parse the YAML back exactly as `cdk8s synth` writes
 * it, record the objects for the real kube-apiserver (dry-run with strict field validation and
 * Pod Security admission at the end of the test file, see api-server.ts) and hand them back.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { CheckOptions, recordForApiServer } from './api-server';

export { applyForReal, updateVerdict, verdicts, PodSecurityLevel, serverVersion } from './api-server';
export type { CheckOptions } from './api-server';

/**
 * The container security context of the restricted Pod Security profile, for the workloads tests
 * build around the library's constructs (cdk8s-plus sets non-root and no escalation by default,
 * but neither drops capabilities nor sets a seccomp profile).
 */
export const RESTRICTED: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: 1000,
  group: 1000,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** The same, as plain JSON for raw pod specs. */
export const RESTRICTED_JSON = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Marks one input (the objects of one app) for the API server check at the end of the test file
 * and returns the objects unchanged.
 */
export function checkedByApiServer(objects: any[], options: CheckOptions = {}): any[] {
  recordForApiServer(objects, options);
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
 * the output through YAML exactly as `cdk8s synth` writes it, record every object for the API
 * server and return them.
 */
export function synth(chart: Chart, options: CheckOptions = {}): any[] {
  const yaml = Testing.synth(chart).map(o => YAML.stringify(o)).join('---\n');
  return checkedByApiServer(parseYaml(yaml), options);
}

/** Synthesize a whole app to YAML (one document per object), record for the API server and return the objects. */
export function synthApp(app: App, options: CheckOptions = {}): any[] {
  return checkedByApiServer(parseYaml(app.synthYaml()), options);
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
