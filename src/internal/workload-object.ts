import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * Where each workload kind keeps its pod template (the object with `metadata` and `spec`), as a
 * path of keys from the object's root; a Pod is its own template.
 */
const POD_TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The kinds that carry a pod template, for error messages. */
export const POD_TEMPLATE_KINDS = Object.keys(POD_TEMPLATE_PATHS);

/**
 * The ApiObject of a workload construct of any cdk8s-plus version or none: the construct itself
 * when it is an ApiObject (`k8s.KubeDeployment`, `ApiObject`), else its default child (a
 * cdk8s-plus Deployment's `Resource`). Works through cdk8s only, so it does not matter which
 * cdk8s-plus (or none) built the workload.
 */
export function workloadApiObject(who: string, property: string, workload: unknown): ApiObject {
  if (ApiObject.isApiObject(workload)) return workload;
  const c = workload as Partial<IConstruct> | undefined;
  if (c !== null && typeof c === 'object' && c.node && typeof c.node === 'object' && 'defaultChild' in c.node) {
    try {
      return ApiObject.of(c as IConstruct);
    } catch {
      // Not a workload: reported below.
    }
  }
  const shown = c !== null && typeof c === 'object' && c.node && typeof c.node === 'object' && typeof c.node.path === 'string'
    ? `construct ${c.node.path} (no ApiObject as its default child)` : workload;
  return fail(who, property, shown,
    'a workload construct: a Deployment, StatefulSet, DaemonSet or Job of any cdk8s-plus version, or an ApiObject such as k8s.KubeDeployment');
}

/** The path to the pod template of an object of this kind, or undefined for a kind without one. */
export function podTemplatePath(kind: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : undefined;
}

/** The pod template inside a synthesized object (created empty along the path when `create`). */
export function podTemplateOf(json: any, create = false): any {
  const path = podTemplatePath(String(json?.kind));
  if (!path) return undefined;
  let at = json;
  for (const key of path) {
    if (at[key] === undefined || at[key] === null) {
      if (!create) return undefined;
      at[key] = {};
    }
    at = at[key];
  }
  return at;
}

const transforms = new WeakMap<ApiObject, Array<(json: any) => void>>();

/**
 * Change an ApiObject's JSON as it is synthesized, after the object (and whatever library built
 * it) has rendered itself: a cdk8s-plus workload re-serializes its own spec through its typed
 * classes, so an edit made any earlier may be dropped. Each transform receives a fresh copy and
 * runs on every `toJson()`, so it sees containers and replicas added after the call.
 */
export function transformAtSynth(obj: ApiObject, transform: (json: any) => void): void {
  let list = transforms.get(obj);
  if (!list) {
    const own = obj.toJson.bind(obj);
    const registered: Array<(json: any) => void> = [];
    obj.toJson = () => {
      const json = JSON.parse(JSON.stringify(own()));
      for (const t of registered) t(json);
      return json;
    };
    transforms.set(obj, registered);
    list = registered;
  }
  list.push(transform);
}
