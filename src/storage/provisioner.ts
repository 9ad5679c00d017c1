import { AccessMode, VolumeMode } from './access-mode';
import { capabilitiesFor, catalogCapabilities, catalogNames } from './private/provisioner-catalog';
import { ProvisionerCapabilities } from './provisioner-capabilities';
import { AwsEbsOptions, AwsEfsOptions, AzureDiskOptions, AzureFileOptions, AzureFileProtocol, CephFsOptions, CephOptions, CephRbdOptions, EbsVolumeType, GcePdOptions, GcePdType, LonghornDataLocality, LonghornOptions, NfsOptions, OpenEbsHostpathOptions, AzureDiskSku } from './provisioner-options';
import { fail } from '../internal/errors';
import { checkAbsolutePath, checkBoolean, checkInteger, checkNonEmptyString, checkOneOf } from '../internal/validate';

/**
 * A provisioner a StorageClass names, with its typed parameters and what it can do.
 * Use the static factories for known drivers, or `Provisioner.custom` for any other.
 *
 * @example
 * const gp3 = Provisioner.awsEbs({ type: EbsVolumeType.GP3, iops: 6000, throughput: 250 });
 * const efs = Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' });
 * gp3.supports(AccessMode.READ_WRITE_MANY); // false: an EBS volume attaches to one node
 * efs.supports(AccessMode.READ_WRITE_MANY); // true
 * new StorageClass(chart, 'shared', { provisioner: efs });
 */
export class Provisioner {
  /** AWS EBS block storage (`ebs.csi.aws.com`): ReadWriteOnce, zonal, snapshots, expansion. */
  public static awsEbs(options: AwsEbsOptions = {}): Provisioner {
    const who = 'Provisioner.awsEbs';
    options = options ?? {}; // null from untyped callers
    const type = checkOneOf(who, 'type', options.type ?? EbsVolumeType.GP3, Object.values(EbsVolumeType));
    const parameters: Record<string, string> = { type };
    if (options.iops !== undefined) {
      if (![EbsVolumeType.GP3, EbsVolumeType.IO1, EbsVolumeType.IO2].includes(type)) {
        fail(who, 'iops', options.iops, `unset for type '${type}' (only gp3, io1 and io2 take provisioned IOPS)`);
      }
      parameters.iops = String(checkInteger(who, 'iops', options.iops, 100, 256_000));
    }
    if (options.throughput !== undefined) {
      if (type !== EbsVolumeType.GP3) fail(who, 'throughput', options.throughput, `unset for type '${type}' (only gp3 takes a throughput)`);
      // gp3 ceiling: 2000 MiB/s since AWS raised it from 1000 in 2025; the EC2 API stays the final judge.
      parameters.throughput = String(checkInteger(who, 'throughput', options.throughput, 125, 2000));
    }
    parameters.encrypted = String(checkBoolean(who, 'encrypted', options.encrypted ?? true));
    if (options.kmsKeyId !== undefined) {
      if (parameters.encrypted !== 'true') fail(who, 'kmsKeyId', options.kmsKeyId, 'unset when encrypted is false');
      parameters.kmsKeyId = checkNonEmptyString(who, 'kmsKeyId', options.kmsKeyId);
    }
    // docs/parameters.md: csi.storage.k8s.io/fstype is one of xfs, ext3, ext4.
    addFsType(who, parameters, options.fsType, ['ext3', 'ext4', 'xfs']);
    return new Provisioner('ebs.csi.aws.com', parameters, catalogCapabilities('ebs.csi.aws.com', parameters));
  }

  /** AWS EFS file storage (`efs.csi.aws.com`) with one access point per volume: ReadWriteMany. */
  public static awsEfs(options: AwsEfsOptions): Provisioner {
    const who = 'Provisioner.awsEfs';
    if (typeof options?.fileSystemId !== 'string' || !/^fs-[0-9a-f]{8,40}$/.test(options.fileSystemId)) {
      fail(who, 'fileSystemId', options?.fileSystemId, "an EFS file system id such as 'fs-0123456789abcdef0'");
    }
    const parameters: Record<string, string> = {
      provisioningMode: 'efs-ap',
      fileSystemId: options.fileSystemId,
      directoryPerms: options.directoryPerms ?? '700',
    };
    if (!/^[0-7]{3,4}$/.test(parameters.directoryPerms)) fail(who, 'directoryPerms', options.directoryPerms, "an octal mode such as '700' or '0750'");
    if (options.uid !== undefined) parameters.uid = String(checkInteger(who, 'uid', options.uid, 0, 4_294_967_295));
    if (options.gid !== undefined) parameters.gid = String(checkInteger(who, 'gid', options.gid, 0, 4_294_967_295));
    if (options.basePath !== undefined) parameters.basePath = checkAbsolutePath(who, 'basePath', options.basePath);
    return new Provisioner('efs.csi.aws.com', parameters, catalogCapabilities('efs.csi.aws.com', parameters));
  }

  /** Google Compute Engine persistent disks (`pd.csi.storage.gke.io`). */
  public static gcePd(options: GcePdOptions = {}): Provisioner {
    const who = 'Provisioner.gcePd';
    options = options ?? {}; // null from untyped callers
    const parameters: Record<string, string> = {
      type: checkOneOf(who, 'type', options.type ?? GcePdType.BALANCED, Object.values(GcePdType)),
    };
    if (checkBoolean(who, 'regional', options.regional ?? false)) parameters['replication-type'] = 'regional-pd';
    addFsType(who, parameters, options.fsType);
    return new Provisioner('pd.csi.storage.gke.io', parameters, catalogCapabilities('pd.csi.storage.gke.io', parameters));
  }

  /** Azure managed disks (`disk.csi.azure.com`). */
  public static azureDisk(options: AzureDiskOptions = {}): Provisioner {
    const who = 'Provisioner.azureDisk';
    options = options ?? {}; // null from untyped callers
    const parameters: Record<string, string> = {
      skuName: checkOneOf(who, 'skuName', options.skuName ?? AzureDiskSku.STANDARDSSD_LRS, Object.values(AzureDiskSku)),
    };
    addFsType(who, parameters, options.fsType);
    return new Provisioner('disk.csi.azure.com', parameters, catalogCapabilities('disk.csi.azure.com', parameters));
  }

  /** Azure Files shares (`file.csi.azure.com`): ReadWriteMany. */
  public static azureFile(options: AzureFileOptions = {}): Provisioner {
    const who = 'Provisioner.azureFile';
    options = options ?? {}; // null from untyped callers
    const parameters: Record<string, string> = {
      skuName: checkNonEmptyString(who, 'skuName', options.skuName ?? 'Standard_LRS'),
      protocol: checkOneOf(who, 'protocol', options.protocol ?? AzureFileProtocol.SMB, Object.values(AzureFileProtocol)),
    };
    return new Provisioner('file.csi.azure.com', parameters, catalogCapabilities('file.csi.azure.com', parameters));
  }

  /** Longhorn replicated block storage (`driver.longhorn.io`). */
  public static longhorn(options: LonghornOptions = {}): Provisioner {
    const who = 'Provisioner.longhorn';
    options = options ?? {}; // null from untyped callers
    const parameters: Record<string, string> = {
      numberOfReplicas: String(checkInteger(who, 'numberOfReplicas', options.numberOfReplicas ?? 3, 1, 20)),
      staleReplicaTimeout: String(checkInteger(who, 'staleReplicaTimeout', options.staleReplicaTimeout ?? 30, 1)),
      dataLocality: checkOneOf(who, 'dataLocality', options.dataLocality ?? LonghornDataLocality.DISABLED, Object.values(LonghornDataLocality)),
    };
    addFsType(who, parameters, options.fsType);
    return new Provisioner('driver.longhorn.io', parameters, capabilitiesFor('driver.longhorn.io', parameters)!);
  }

  /** OpenEBS Local PV hostpath (`openebs.io/local`): a directory on one node, WaitForFirstConsumer. */
  public static openEbsHostpath(options: OpenEbsHostpathOptions = {}): Provisioner {
    const who = 'Provisioner.openEbsHostpath';
    options = options ?? {}; // null from untyped callers
    const basePath = checkAbsolutePath(who, 'basePath', options.basePath ?? '/var/openebs/local');
    const casConfig = `- name: StorageType\n  value: "hostpath"\n- name: BasePath\n  value: "${basePath}"\n`;
    return new Provisioner('openebs.io/local', {}, catalogCapabilities('openebs.io/local', {}), { 'cas.openebs.io/config': casConfig });
  }

  /** Ceph RBD block images (`rbd.csi.ceph.com`). */
  public static cephRbd(options: CephRbdOptions): Provisioner {
    const who = 'Provisioner.cephRbd';
    const parameters: Record<string, string> = {
      clusterID: checkNonEmptyString(who, 'clusterId', options?.clusterId),
      pool: checkNonEmptyString(who, 'pool', options.pool),
      imageFeatures: checkNonEmptyString(who, 'imageFeatures', options.imageFeatures ?? 'layering'),
      ...cephSecrets(who, options, 'csi-rbd-secret'),
    };
    addFsType(who, parameters, options.fsType);
    return new Provisioner('rbd.csi.ceph.com', parameters, catalogCapabilities('rbd.csi.ceph.com', parameters));
  }

  /** CephFS shared file systems (`cephfs.csi.ceph.com`): ReadWriteMany. */
  public static cephFs(options: CephFsOptions): Provisioner {
    const who = 'Provisioner.cephFs';
    const parameters: Record<string, string> = {
      clusterID: checkNonEmptyString(who, 'clusterId', options?.clusterId),
      fsName: checkNonEmptyString(who, 'fsName', options.fsName),
      ...cephSecrets(who, options, 'csi-cephfs-secret'),
    };
    return new Provisioner('cephfs.csi.ceph.com', parameters, catalogCapabilities('cephfs.csi.ceph.com', parameters));
  }

  /** An existing NFS export through csi-driver-nfs (`nfs.csi.k8s.io`): ReadWriteMany. */
  public static nfs(options: NfsOptions): Provisioner {
    const who = 'Provisioner.nfs';
    const parameters: Record<string, string> = {
      server: checkNonEmptyString(who, 'server', options?.server),
      share: checkAbsolutePath(who, 'share', options.share),
    };
    if (options.subDir !== undefined) parameters.subDir = checkNonEmptyString(who, 'subDir', options.subDir);
    return new Provisioner('nfs.csi.k8s.io', parameters, catalogCapabilities('nfs.csi.k8s.io', parameters));
  }

  /** Hand-made local volumes (`kubernetes.io/no-provisioner`): no dynamic provisioning. */
  public static local(): Provisioner {
    return new Provisioner('kubernetes.io/no-provisioner', {}, catalogCapabilities('kubernetes.io/no-provisioner', {}));
  }

  /**
   * Any other provisioner, with the capabilities you vouch for.
   * @param name the provisioner name, e.g. `csi.vsphere.vmware.com`
   * @param capabilities what it can do
   * @param parameters StorageClass parameters
   */
  public static custom(name: string, capabilities: ProvisionerCapabilities, parameters: Record<string, string> = {}): Provisioner {
    const who = 'Provisioner.custom';
    if (typeof name !== 'string' || !/^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?(\/[-a-zA-Z0-9_.]+)?$/.test(name) || name.length > 253) {
      fail(who, 'name', name, "a provisioner name such as 'csi.example.com' or 'example.com/driver'");
    }
    if (!capabilities || !Array.isArray(capabilities.filesystemAccessModes)) {
      fail(who, 'capabilities.filesystemAccessModes', capabilities?.filesystemAccessModes, 'a list of access modes');
    }
    const modes = Object.values(AccessMode);
    for (const list of ['filesystemAccessModes', 'blockAccessModes'] as const) {
      for (const mode of capabilities[list] ?? []) checkOneOf(who, `capabilities.${list}`, mode, modes);
    }
    for (const [key, value] of Object.entries(parameters ?? {})) {
      if (typeof value !== 'string') fail(who, `parameters.${key}`, value, 'a string (StorageClass parameters are strings)');
    }
    return new Provisioner(name, { ...parameters }, { ...capabilities });
  }

  /**
   * The catalog entry for a provisioner name, without parameters; none for a provisioner
   * this library does not know (callers must treat it as unknown, never guess).
   */
  public static fromName(name: string): Provisioner | undefined {
    const caps = capabilitiesFor(name, {});
    return caps ? new Provisioner(name, {}, caps) : undefined;
  }

  /**
   * A catalog provisioner as a StorageClass of any origin describes it: its capabilities adjusted
   * for the parameters exactly as the factories adjust them (EBS io2 multi-attach, Longhorn
   * strict-local). None for a provisioner the catalog does not know. The guards read classes
   * through this, so a construct and a guard never disagree on what a class can do.
   */
  public static fromStorageClass(name: string, parameters: Record<string, string> = {}): Provisioner | undefined {
    const caps = capabilitiesFor(name, parameters);
    return caps ? new Provisioner(name, { ...parameters }, caps) : undefined;
  }

  /** Names of every provisioner in the catalog. */
  public static knownNames(): string[] {
    return catalogNames();
  }

  /** @param name provisioner name @param parameters StorageClass parameters @param capabilities what it can do @param annotations StorageClass annotations it needs */
  private constructor(
    /** The provisioner name a StorageClass carries, e.g. `ebs.csi.aws.com`. */
    public readonly name: string,
    /** StorageClass `parameters` (always strings). */
    public readonly parameters: Record<string, string>,
    /** What the storage can do. */
    public readonly capabilities: ProvisionerCapabilities,
    /** Annotations the StorageClass needs (e.g. OpenEBS `cas.openebs.io/config`). */
    public readonly annotations: Record<string, string> = {},
  ) {}

  /** Access modes served in a volume mode. */
  public accessModes(volumeMode: VolumeMode = VolumeMode.FILESYSTEM): AccessMode[] {
    return volumeMode === VolumeMode.BLOCK ? [...(this.capabilities.blockAccessModes ?? [])] : [...this.capabilities.filesystemAccessModes];
  }

  /** Whether it serves an access mode in a volume mode. */
  public supports(accessMode: AccessMode, volumeMode: VolumeMode = VolumeMode.FILESYSTEM): boolean {
    return this.accessModes(volumeMode).includes(accessMode);
  }
}

function addFsType(who: string, parameters: Record<string, string>, fsType: string | undefined, allowed: string[] = ['ext2', 'ext3', 'ext4', 'xfs', 'btrfs']): void {
  if (fsType !== undefined) {
    parameters['csi.storage.k8s.io/fstype'] = checkOneOf(who, 'fsType', fsType, allowed);
  }
}

function cephSecrets(who: string, options: CephOptions, defaultName: string): Record<string, string> {
  const ns = checkNonEmptyString(who, 'secretNamespace', options.secretNamespace ?? 'ceph-csi');
  const name = checkNonEmptyString(who, 'secretName', options.secretName ?? defaultName);
  return {
    'csi.storage.k8s.io/provisioner-secret-name': name,
    'csi.storage.k8s.io/provisioner-secret-namespace': ns,
    'csi.storage.k8s.io/controller-expand-secret-name': name,
    'csi.storage.k8s.io/controller-expand-secret-namespace': ns,
    'csi.storage.k8s.io/node-stage-secret-name': name,
    'csi.storage.k8s.io/node-stage-secret-namespace': ns,
  };
}
