import { asObj, stringMap } from './json';
import { ManifestObject, Selector } from './manifest-object';
import type { WorkloadNode } from './workload-node';

export class ServiceNode {
  public readonly headless: boolean;
  public readonly selector: Record<string, string> | undefined;
  constructor(public readonly obj: ManifestObject) {
    this.headless = obj.spec.clusterIP === 'None';
    this.selector = asObj(obj.spec.selector) ? stringMap(obj.spec.selector) : undefined;
  }
}

export class PdbNode {
  public readonly selector: Selector | undefined;
  /** The workloads of the input whose pods it selects (DaemonSets, Jobs and bare Pods are not linked). */
  public readonly workloads: WorkloadNode[] = [];
  constructor(public readonly obj: ManifestObject) {
    this.selector = Selector.of(obj.spec.selector);
  }
  public get minAvailable(): number | string | undefined {
    return this.obj.spec.minAvailable;
  }
  public get maxUnavailable(): number | string | undefined {
    return this.obj.spec.maxUnavailable;
  }
}
