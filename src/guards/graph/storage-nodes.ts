import { asObj, arr, str, stringMap } from './json';
import { ManifestObject } from './manifest-object';
import type { ContainerView, VolumeView, WorkloadNode } from './workload-node';
import { WRITERS_ANNOTATION } from '../../internal/annotations';
import { AccessMode } from '../../storage/access-mode';
import { Provisioner } from '../../storage/provisioner';
import { ProvisionerCapabilities } from '../../storage/provisioner-capabilities';

export { WRITERS_ANNOTATION };
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
/**
 * The legacy way of naming a claim's class: still honoured by Kubernetes, and it wins over
 * `spec.storageClassName` (kubernetes.io/docs/concepts/storage/persistent-volumes/#class-1).
 */
export const LEGACY_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/**
 * CSI drivers whose volumes are a disk or directory of one node (never shared storage):
 * OpenEBS LocalPV LVM/ZFS/rawfile/device, TopoLVM, csi-driver-host-path, Alibaba open-local,
 * metal-stack csi-driver-lvm.
 */
const NODE_LOCAL_CSI_DRIVERS = new Set([
  'local.csi.openebs.io', 'zfs.csi.openebs.io', 'rawfile.csi.openebs.io', 'device.csi.openebs.io', 'topolvm.io', 'topolvm.cybozu.com',
  'hostpath.csi.k8s.io', 'local.csi.aliyun.com', 'lvm.csi.metal-stack.io',
]);

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
  /**
   * Whether the volume is a disk or directory of one node, not shared storage: a `local` or
   * `hostPath` volume, a node-local CSI driver, or a required node affinity on one node's hostname.
   */
  public readonly perNodeDisk: boolean;
  public readonly reclaimPolicy: string;
  constructor(public readonly obj: ManifestObject) {
    const spec = obj.spec;
    this.local = !!asObj(spec.local);
    this.hostPath = !!asObj(spec.hostPath);
    const terms = arr(asObj(asObj(spec.nodeAffinity)?.required)?.nodeSelectorTerms).map(asObj);
    this.requiredNodeAffinity = terms.length > 0;
    const onOneNode = terms.length > 0 && terms.every(t => arr(t?.matchExpressions).some(e => {
      const x = asObj(e);
      return x?.key === 'kubernetes.io/hostname' && x.operator === 'In' && arr(x.values).length === 1;
    }));
    this.perNodeDisk = this.local || this.hostPath || NODE_LOCAL_CSI_DRIVERS.has(str(asObj(spec.csi)?.driver) ?? '') || onOneNode;
    // Statically created volumes default to Retain.
    this.reclaimPolicy = str(spec.persistentVolumeReclaimPolicy) ?? 'Retain';
  }
}

export class ClaimNode {
  public readonly accessModes: string[];
  public readonly volumeMode: string;
  /**
   * `undefined`: the default class; `''`: no class (static binding only). The legacy annotation
   * `volume.beta.kubernetes.io/storage-class` wins over `spec.storageClassName`, as in Kubernetes.
   */
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
    /** For claim templates and the claims they generate: the StatefulSet. */
    public readonly owner?: WorkloadNode,
    /** For a claim a StatefulSet generates (`<template>-<statefulset>-<ordinal>`): its template. */
    public readonly template?: ClaimNode,
  ) {
    this.accessModes = arr(spec.accessModes).filter(m => typeof m === 'string');
    this.volumeMode = str(spec.volumeMode) ?? 'Filesystem';
    const legacy = annotations[LEGACY_CLASS_ANNOTATION];
    this.storageClassName = legacy !== undefined ? legacy : typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
  }

  public get isTemplate(): boolean {
    return this.owner !== undefined && this.template === undefined;
  }
  /** Whether the StatefulSet's controller creates it from a claim template (it is not in the input). */
  public get isGenerated(): boolean {
    return this.template !== undefined;
  }
  /**
   * `PersistentVolumeClaim default/data`, `claim template 'data' of StatefulSet default/db`, or
   * `claim 'data-db-0' (created from claim template 'data' of StatefulSet default/db)`.
   */
  public get display(): string {
    if (this.template) return `claim '${this.name}' (created from ${this.template.display})`;
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
