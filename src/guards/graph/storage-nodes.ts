import { asObj, arr, str, stringMap } from './json';
import { ManifestObject } from './manifest-object';
import type { ContainerView, VolumeView, WorkloadNode } from './workload-node';
import { WRITERS_ANNOTATION } from '../../internal/annotations';
import { AccessMode } from '../../storage/access-mode';
import { Provisioner } from '../../storage/provisioner';
import { ProvisionerCapabilities } from '../../storage/provisioner-capabilities';

export { WRITERS_ANNOTATION };
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** A workload mounting a claim through one of its volumes. */
export class ClaimUse {
  constructor(public readonly workload: WorkloadNode, public readonly volume: VolumeView, public readonly claim: ClaimNode | undefined,
    public readonly writers: ContainerView[], public readonly readers: ContainerView[]) {}

  /** Whether no container writes through this use (a volume never mounted counts as read-only). */
  public get readOnly(): boolean {
    return this.volume.readOnly || this.writers.length === 0;
  }
}

export class StorageClassNode {
  public readonly provisionerName: string;
  /** Capabilities of its provisioner, adjusted for its parameters; undefined when the provisioner is unknown. */
  public readonly capabilities: ProvisionerCapabilities | undefined;
  public readonly reclaimPolicy: string;
  public readonly bindingMode: string;
  public readonly isDefault: boolean;
  constructor(public readonly obj: ManifestObject) {
    const raw = obj.raw;
    this.provisionerName = str(raw.provisioner) ?? '';
    this.capabilities = capabilitiesOf(this.provisionerName, stringMap(raw.parameters));
    this.reclaimPolicy = str(raw.reclaimPolicy) ?? 'Delete';
    this.bindingMode = str(raw.volumeBindingMode) ?? 'Immediate';
    this.isDefault = DEFAULT_CLASS_ANNOTATIONS.some(a => obj.annotations[a] === 'true');
  }
  public get name(): string {
    return this.obj.name;
  }
}

/** Catalog capabilities for these parameters, computed where the constructs compute them. */
function capabilitiesOf(name: string, parameters: Record<string, string>): ProvisionerCapabilities | undefined {
  return Provisioner.fromStorageClass(name, parameters)?.capabilities;
}

export class PersistentVolumeNode {
  public readonly local: boolean;
  public readonly hostPath: boolean;
  public readonly requiredNodeAffinity: boolean;
  public readonly reclaimPolicy: string;
  constructor(public readonly obj: ManifestObject) {
    const spec = obj.spec;
    this.local = !!asObj(spec.local);
    this.hostPath = !!asObj(spec.hostPath);
    this.requiredNodeAffinity = arr(asObj(asObj(spec.nodeAffinity)?.required)?.nodeSelectorTerms).length > 0;
    // Statically created volumes default to Retain.
    this.reclaimPolicy = str(spec.persistentVolumeReclaimPolicy) ?? 'Retain';
  }
}

export class ClaimNode {
  public readonly accessModes: string[];
  public readonly volumeMode: string;
  /** `undefined`: the default class; `''`: no class (static binding only). */
  public readonly storageClassName: string | undefined;
  public storageClass: StorageClassNode | undefined;
  public volume: PersistentVolumeNode | undefined;
  public readonly uses: ClaimUse[] = [];
  constructor(
    /** The object findings are reported on: the claim itself, or the StatefulSet owning the template. */
    public readonly subject: ManifestObject,
    public readonly name: string,
    public readonly namespace: string | undefined,
    public readonly spec: Record<string, any>,
    public readonly annotations: Record<string, string>,
    /** For claim templates: the StatefulSet. */
    public readonly owner?: WorkloadNode,
  ) {
    this.accessModes = arr(spec.accessModes).filter(m => typeof m === 'string');
    this.volumeMode = str(spec.volumeMode) ?? 'Filesystem';
    this.storageClassName = typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
  }

  public get isTemplate(): boolean {
    return this.owner !== undefined;
  }
  /** `PersistentVolumeClaim default/data` or `claim template 'data' of StatefulSet default/db`. */
  public get display(): string {
    return this.owner ? `claim template '${this.name}' of ${this.owner.obj.display}` : this.subject.display;
  }
  /** Attaches to one node (or one pod) only: no ReadWriteMany / ReadOnlyMany among its modes. */
  public get singleAttach(): boolean {
    const modes = this.accessModes;
    return modes.length > 0 && !modes.includes(AccessMode.READ_WRITE_MANY) && !modes.includes(AccessMode.READ_ONLY_MANY);
  }
  public get capabilities(): ProvisionerCapabilities | undefined {
    return this.storageClass?.capabilities;
  }
}
