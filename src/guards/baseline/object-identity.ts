import { ManifestObject } from '../graph';

/** The API group of an `apiVersion`: `apps/v1` → `apps`, `v1` → `` (the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The identity of an object across two versions of an output, as the API server sees it: API
 * group, kind, namespace (the default namespace when unset; none for cluster-scoped kinds) and
 * name. The version of the group does not count: `apps/v1` and `apps/v1beta2` name one object.
 */
export function identityOf(o: ManifestObject): string {
  return `${apiGroup(o.apiVersion)}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
}
