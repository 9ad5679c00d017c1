import { AccessMode, VolumeMode } from './access-mode';
import { fail } from '../internal/errors';
import { checkAbsolutePath, checkBoolean, checkInteger, checkNonEmptyString, checkOneOf } from '../internal/validate';

/**
 * What a provisioner (a CSI driver or an in-tree plugin) can do. These are facts about the
 * storage, not wishes: the guards and the constructs judge claims against them.
 */
export interface ProvisionerCapabilities {
  /** Access modes it serves for volumes in Filesystem mode. */
  readonly filesystemAccessModes: AccessMode[];
  /**
   * Access modes it serves for raw Block volumes.
   * @default - none: Block mode is not supported
   */
  readonly blockAccessModes?: AccessMode[];
  /**
   * Whether claims can grow after creation (`allowVolumeExpansion`).
   * @default false
   */
  readonly volumeExpansion?: boolean;
  /**
   * Whether the driver implements CSI snapshots (VolumeSnapshot).
   * @default false
   */
  readonly snapshots?: boolean;
  /**
   * Whether a volume is bound to a node or zone, so that the scheduler must pick the node before
   * the volume is created (`volumeBindingMode: WaitForFirstConsumer`).
   * @default false
   */
  readonly topologyBound?: boolean;
  /**
   * Whether volumes live on ONE node's own disk (local volumes, hostpath pools): binding with
   * Immediate mode is then always wrong, and the data is lost with the node.
   * @default false
   */
  readonly nodeLocal?: boolean;
  /**
   * Where these facts come from (the driver's documentation).
   * @default - not documented
   */
  readonly source?: string;
}

/** Options shared by the block-storage presets. */
export interface BlockProvisionerOptions {
  /**
   * Filesystem the driver formats volumes with (`csi.storage.k8s.io/fstype`).
   * @default - the driver's default (ext4)
   */
  readonly fsType?: string;
}

/** EBS volume types supported by the AWS EBS CSI driver. */
export enum EbsVolumeType {
  GP2 = 'gp2',
  GP3 = 'gp3',
  IO1 = 'io1',
  IO2 = 'io2',
  SC1 = 'sc1',
  ST1 = 'st1',
  STANDARD = 'standard',
}

/** Parameters of `ebs.csi.aws.com`. */
export interface AwsEbsOptions extends BlockProvisionerOptions {
  /**
   * EBS volume type.
   * @default EbsVolumeType.GP3
   */
  readonly type?: EbsVolumeType;
  /**
   * Provisioned IOPS (gp3, io1, io2).
   * @default - the volume type's baseline (3000 for gp3)
   */
  readonly iops?: number;
  /**
   * Throughput in MiB/s (gp3 only).
   * @default - 125 for gp3
   */
  readonly throughput?: number;
  /**
   * Encrypt the volume.
   * @default true
   */
  readonly encrypted?: boolean;
  /**
   * KMS key ARN for encryption.
   * @default - the account's default EBS key
   */
  readonly kmsKeyId?: string;
}

/** Parameters of `efs.csi.aws.com` (dynamic provisioning through access points). */
export interface AwsEfsOptions {
  /** The EFS file system id, e.g. `fs-0123456789abcdef0`. */
  readonly fileSystemId: string;
  /**
   * Permissions of the directory created per access point, e.g. `'700'`.
   * @default '700'
   */
  readonly directoryPerms?: string;
  /**
   * POSIX user id of the access point.
   * @default - allocated from the driver's gid range
   */
  readonly uid?: number;
  /**
   * POSIX group id of the access point.
   * @default - allocated from the driver's gid range
   */
  readonly gid?: number;
  /**
   * Directory under which access point directories are created.
   * @default - the file system root
   */
  readonly basePath?: string;
}

/** GCE persistent disk types. */
export enum GcePdType {
  STANDARD = 'pd-standard',
  BALANCED = 'pd-balanced',
  SSD = 'pd-ssd',
  EXTREME = 'pd-extreme',
}

/** Parameters of `pd.csi.storage.gke.io`. */
export interface GcePdOptions extends BlockProvisionerOptions {
  /**
   * Disk type.
   * @default GcePdType.BALANCED
   */
  readonly type?: GcePdType;
  /**
   * Replicate the disk across two zones (`replication-type: regional-pd`).
   * @default false
   */
  readonly regional?: boolean;
}

/** Azure managed disk SKUs. */
export enum AzureDiskSku {
  STANDARD_LRS = 'Standard_LRS',
  STANDARDSSD_LRS = 'StandardSSD_LRS',
  STANDARDSSD_ZRS = 'StandardSSD_ZRS',
  PREMIUM_LRS = 'Premium_LRS',
  PREMIUM_ZRS = 'Premium_ZRS',
  PREMIUMV2_LRS = 'PremiumV2_LRS',
  ULTRASSD_LRS = 'UltraSSD_LRS',
}

/** Parameters of `disk.csi.azure.com`. */
export interface AzureDiskOptions extends BlockProvisionerOptions {
  /**
   * Disk SKU.
   * @default AzureDiskSku.STANDARDSSD_LRS
   */
  readonly skuName?: AzureDiskSku;
}

/** Protocols of Azure Files. */
export enum AzureFileProtocol {
  SMB = 'smb',
  NFS = 'nfs',
}

/** Parameters of `file.csi.azure.com`. */
export interface AzureFileOptions {
  /**
   * Storage account SKU, e.g. `Standard_LRS`, `Premium_LRS`.
   * @default 'Standard_LRS'
   */
  readonly skuName?: string;
  /**
   * File share protocol.
   * @default AzureFileProtocol.SMB
   */
  readonly protocol?: AzureFileProtocol;
}

/** Longhorn data locality settings. */
export enum LonghornDataLocality {
  DISABLED = 'disabled',
  BEST_EFFORT = 'best-effort',
  STRICT_LOCAL = 'strict-local',
}

/** Parameters of `driver.longhorn.io`. */
export interface LonghornOptions extends BlockProvisionerOptions {
  /**
   * Number of replicas Longhorn keeps of each volume.
   * @default 3
   */
  readonly numberOfReplicas?: number;
  /**
   * Minutes before a failed replica is removed.
   * @default 30
   */
  readonly staleReplicaTimeout?: number;
  /**
   * Whether a replica is kept on the node that runs the pod.
   * @default LonghornDataLocality.DISABLED
   */
  readonly dataLocality?: LonghornDataLocality;
}

/** Options of the OpenEBS Local PV hostpath provisioner (`openebs.io/local`). */
export interface OpenEbsHostpathOptions {
  /**
   * Directory on each node under which volumes are created.
   * @default '/var/openebs/local'
   */
  readonly basePath?: string;
}

/** Parameters shared by the Ceph CSI drivers. */
export interface CephOptions {
  /** The Ceph cluster id known to the ceph-csi config map. */
  readonly clusterId: string;
  /**
   * Namespace of the ceph-csi secrets.
   * @default 'ceph-csi'
   */
  readonly secretNamespace?: string;
  /**
   * Name of the provisioner/node secret holding the Ceph credentials.
   * @default - 'csi-rbd-secret' for RBD, 'csi-cephfs-secret' for CephFS
   */
  readonly secretName?: string;
}

/** Parameters of `rbd.csi.ceph.com`. */
export interface CephRbdOptions extends CephOptions, BlockProvisionerOptions {
  /** The RADOS pool holding the images. */
  readonly pool: string;
  /**
   * RBD image features.
   * @default 'layering'
   */
  readonly imageFeatures?: string;
}

/** Parameters of `cephfs.csi.ceph.com`. */
export interface CephFsOptions extends CephOptions {
  /** The CephFS file system name. */
  readonly fsName: string;
}

/** Parameters of `nfs.csi.k8s.io`. */
export interface NfsOptions {
  /** NFS server host name or address. */
  readonly server: string;
  /** Exported path under which one sub-directory per volume is created. */
  readonly share: string;
  /**
   * NFS mount options are set on the StorageClass (`mountOptions`); this is the sub-directory
   * pattern created per volume.
   * @default - one directory per persistent volume name
   */
  readonly subDir?: string;
}

const RWO = AccessMode.READ_WRITE_ONCE;
const RWOP = AccessMode.READ_WRITE_ONCE_POD;
const ROX = AccessMode.READ_ONLY_MANY;
const RWX = AccessMode.READ_WRITE_MANY;

/**
 * Capabilities of the known provisioners, by provisioner name. A provisioner not listed here is
 * "unknown": nothing is guessed about it.
 */
const CATALOG: Record<string, ProvisionerCapabilities> = {
  // https://github.com/kubernetes-sigs/aws-ebs-csi-driver: docs/parameters.md (types, iops,
  // throughput, encryption, WaitForFirstConsumer recommended: volumes live in one AZ),
  // docs/multi-attach.md ("only supports multi-attach for IO2 volumes in Block mode", see awsEbs()),
  // pkg/driver/controller.go capabilities (CREATE_DELETE_SNAPSHOT, EXPAND_VOLUME). Verified against the 2026-08 source.
  'ebs.csi.aws.com': {
    filesystemAccessModes: [RWO, RWOP],
    blockAccessModes: [RWO, RWOP],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: true,
    source: 'https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md',
  },
  // https://github.com/kubernetes-sigs/aws-efs-csi-driver: docs/README.md "Features" (the controller
  // implements only CreateVolume/DeleteVolume: no ControllerExpandVolume, no CreateSnapshot);
  // pkg/driver/node.go `volumeCapAccessModes` accepts only SINGLE_NODE_WRITER and
  // MULTI_NODE_MULTI_WRITER, so ReadOnlyMany (MULTI_NODE_READER_ONLY) is rejected while
  // ReadWriteOncePod works (external-provisioner maps it to SINGLE_NODE_WRITER for drivers without
  // SINGLE_NODE_MULTI_WRITER). No Block mode; an elastic file system is not zonal. Verified against the 2026-08 source.
  'efs.csi.aws.com': {
    filesystemAccessModes: [RWO, RWOP, RWX],
    volumeExpansion: false,
    snapshots: false,
    topologyBound: false,
    source: 'https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/README.md#features',
  },
  // https://github.com/kubernetes-sigs/gcp-compute-persistent-disk-csi-driver: README feature table
  // (Snapshots GA, Resize), pkg/gce-pd-csi-driver/gce-pd-driver.go (SINGLE_NODE_WRITER,
  // MULTI_NODE_READER_ONLY; MULTI_NODE_MULTI_WRITER only for Hyperdisk multi-writer, which the
  // pd-* types of gcePd() are not). Zonal (or two-zone regional) disks. Verified against the 2026-08 source.
  'pd.csi.storage.gke.io': {
    filesystemAccessModes: [RWO, RWOP, ROX],
    blockAccessModes: [RWO, RWOP, ROX],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: true,
    source: 'https://github.com/kubernetes-sigs/gcp-compute-persistent-disk-csi-driver/blob/master/README.md',
  },
  // https://github.com/kubernetes-sigs/azuredisk-csi-driver: docs/driver-parameters.md and
  // pkg/azuredisk/azuredisk.go (CREATE_DELETE_SNAPSHOT, EXPAND_VOLUME); pkg/azureutils rejects the
  // multi-node modes in Filesystem mode and allows them in Block mode only with shared disks
  // (maxShares > 1, not modelled by azureDisk()). Zonal managed disks. Verified against the 2026-08 source.
  'disk.csi.azure.com': {
    filesystemAccessModes: [RWO, RWOP],
    blockAccessModes: [RWO, RWOP],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: true,
    source: 'https://github.com/kubernetes-sigs/azuredisk-csi-driver/blob/master/docs/driver-parameters.md',
  },
  // https://github.com/kubernetes-sigs/azurefile-csi-driver: README "Features" (Volume Snapshot and
  // Restore), pkg/azurefile/azurefile.go (all access modes, CREATE_DELETE_SNAPSHOT, EXPAND_VOLUME,
  // CLONE_VOLUME). SMB/NFS shares, not zonal. Verified against the 2026-08 source.
  'file.csi.azure.com': {
    filesystemAccessModes: [RWO, RWOP, ROX, RWX],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: false,
    source: 'https://github.com/kubernetes-sigs/azurefile-csi-driver/blob/master/docs/driver-parameters.md',
  },
  // https://longhorn.io/docs/latest/snapshots-and-backups/csi-snapshot-support/ (CSI snapshots since
  // v1.1.0), .../nodes-and-volumes/volumes/rwx-volumes/ (RWX in Filesystem mode through a
  // share-manager NFS export), volume expansion supported; replicas spread over nodes, so not
  // topology-bound (unless dataLocality strict-local, see longhorn()).
  'driver.longhorn.io': {
    filesystemAccessModes: [RWO, RWOP, RWX],
    blockAccessModes: [RWO, RWOP],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: false,
    source: 'https://longhorn.io/docs/latest/snapshots-and-backups/csi-snapshot-support/',
  },
  // https://openebs.io/docs/user-guides/local-storage-user-guide/local-pv-hostpath/hostpath-overview:
  // a directory on one node, WaitForFirstConsumer, no snapshots, no expansion. It is an external
  // provisioner, not a CSI driver: its PVs are in-tree local/hostPath volumes, and Kubernetes
  // serves ReadWriteOncePod only for CSI volumes (kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes).
  'openebs.io/local': {
    filesystemAccessModes: [RWO],
    volumeExpansion: false,
    snapshots: false,
    topologyBound: true,
    nodeLocal: true,
    source: 'https://openebs.io/docs/user-guides/local-storage-user-guide/local-pv-hostpath/hostpath-overview',
  },
  // https://github.com/ceph/ceph-csi/blob/devel/docs/rbd/deploy.md: RBD images. internal/rbd/driver/driver.go
  // declares SINGLE_NODE_WRITER, SINGLE_NODE_(SINGLE|MULTI)_WRITER and MULTI_NODE_MULTI_WRITER ("we only
  // support the multi-writer option when using block"; ReadOnlyMany is left for "follow-up features"),
  // CREATE_DELETE_SNAPSHOT, CLONE_VOLUME, EXPAND_VOLUME. Not zonal. Verified against the 2024-10 source.
  'rbd.csi.ceph.com': {
    filesystemAccessModes: [RWO, RWOP],
    blockAccessModes: [RWO, RWOP, RWX],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: false,
    source: 'https://github.com/ceph/ceph-csi/blob/devel/docs/rbd/deploy.md',
  },
  // https://github.com/ceph/ceph-csi/blob/devel/docs/cephfs/deploy.md: shared file system, RWX;
  // internal/cephfs/driver.go (snapshots, expansion, all writer modes), docs/cephfs-snapshot-backed-volumes.md
  // (ReadOnlyMany volumes). No raw Block. Verified against the 2024-10 source.
  'cephfs.csi.ceph.com': {
    filesystemAccessModes: [RWO, RWOP, ROX, RWX],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: false,
    source: 'https://github.com/ceph/ceph-csi/blob/devel/docs/cephfs/deploy.md',
  },
  // https://github.com/kubernetes-csi/csi-driver-nfs: one sub-directory of an existing export per
  // volume; pkg/nfs/nfs.go declares CREATE_DELETE_SNAPSHOT (since v4.3.0: a tar archive of the
  // directory, see deploy/example/snapshot), EXPAND_VOLUME (since v4.10.0: nominal, NFS enforces no
  // quota) and SINGLE_NODE_MULTI_WRITER (so all four access modes); no raw Block. Verified against the 2026-08 source.
  'nfs.csi.k8s.io': {
    filesystemAccessModes: [RWO, RWOP, ROX, RWX],
    volumeExpansion: true,
    snapshots: true,
    topologyBound: false,
    source: 'https://github.com/kubernetes-csi/csi-driver-nfs/blob/master/pkg/nfs/nfs.go',
  },
  // https://kubernetes.io/docs/concepts/storage/storage-classes/#local and .../volumes/#local: hand-made
  // local disks, no dynamic provisioning, WaitForFirstConsumer required, node affinity required.
  // .../persistent-volumes/#access-modes: ReadWriteOncePod and snapshots are for CSI volumes only,
  // and `local` is not among the volume types that take mount options; Block is supported.
  'kubernetes.io/no-provisioner': {
    filesystemAccessModes: [RWO],
    blockAccessModes: [RWO],
    volumeExpansion: false,
    snapshots: false,
    topologyBound: true,
    nodeLocal: true,
    source: 'https://kubernetes.io/docs/concepts/storage/storage-classes/#local',
  },
};

/**
 * What a catalog provisioner can do with these StorageClass parameters: the one place where
 * parameters change capabilities.
 */
function capabilitiesFor(name: string, parameters: Record<string, string>): ProvisionerCapabilities | undefined {
  const base = CATALOG[name];
  if (!base) return undefined;
  // docs/multi-attach.md: "the EBS CSI driver only supports multi-attach for IO2 volumes in Block mode".
  if (name === 'ebs.csi.aws.com' && parameters.type === EbsVolumeType.IO2) {
    return { ...base, blockAccessModes: [RWO, RWOP, RWX] };
  }
  // strict-local keeps the only replica on the pod's node: the volume becomes node-bound.
  if (name === 'driver.longhorn.io' && parameters.dataLocality === LonghornDataLocality.STRICT_LOCAL) {
    return { ...base, filesystemAccessModes: [RWO, RWOP], topologyBound: true };
  }
  return base;
}

/**
 * A provisioner a StorageClass names, with its typed parameters and what it can do.
 * Use the static factories for known drivers, or {@link Provisioner.custom} for any other.
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
    return new Provisioner('ebs.csi.aws.com', parameters, capabilitiesFor('ebs.csi.aws.com', parameters)!);
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
    return new Provisioner('efs.csi.aws.com', parameters, CATALOG['efs.csi.aws.com']);
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
    return new Provisioner('pd.csi.storage.gke.io', parameters, CATALOG['pd.csi.storage.gke.io']);
  }

  /** Azure managed disks (`disk.csi.azure.com`). */
  public static azureDisk(options: AzureDiskOptions = {}): Provisioner {
    const who = 'Provisioner.azureDisk';
    options = options ?? {}; // null from untyped callers
    const parameters: Record<string, string> = {
      skuName: checkOneOf(who, 'skuName', options.skuName ?? AzureDiskSku.STANDARDSSD_LRS, Object.values(AzureDiskSku)),
    };
    addFsType(who, parameters, options.fsType);
    return new Provisioner('disk.csi.azure.com', parameters, CATALOG['disk.csi.azure.com']);
  }

  /** Azure Files shares (`file.csi.azure.com`): ReadWriteMany. */
  public static azureFile(options: AzureFileOptions = {}): Provisioner {
    const who = 'Provisioner.azureFile';
    options = options ?? {}; // null from untyped callers
    const parameters: Record<string, string> = {
      skuName: checkNonEmptyString(who, 'skuName', options.skuName ?? 'Standard_LRS'),
      protocol: checkOneOf(who, 'protocol', options.protocol ?? AzureFileProtocol.SMB, Object.values(AzureFileProtocol)),
    };
    return new Provisioner('file.csi.azure.com', parameters, CATALOG['file.csi.azure.com']);
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
    return new Provisioner('openebs.io/local', {}, CATALOG['openebs.io/local'], { 'cas.openebs.io/config': casConfig });
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
    return new Provisioner('rbd.csi.ceph.com', parameters, CATALOG['rbd.csi.ceph.com']);
  }

  /** CephFS shared file systems (`cephfs.csi.ceph.com`): ReadWriteMany. */
  public static cephFs(options: CephFsOptions): Provisioner {
    const who = 'Provisioner.cephFs';
    const parameters: Record<string, string> = {
      clusterID: checkNonEmptyString(who, 'clusterId', options?.clusterId),
      fsName: checkNonEmptyString(who, 'fsName', options.fsName),
      ...cephSecrets(who, options, 'csi-cephfs-secret'),
    };
    return new Provisioner('cephfs.csi.ceph.com', parameters, CATALOG['cephfs.csi.ceph.com']);
  }

  /** An existing NFS export through csi-driver-nfs (`nfs.csi.k8s.io`): ReadWriteMany. */
  public static nfs(options: NfsOptions): Provisioner {
    const who = 'Provisioner.nfs';
    const parameters: Record<string, string> = {
      server: checkNonEmptyString(who, 'server', options?.server),
      share: checkAbsolutePath(who, 'share', options.share),
    };
    if (options.subDir !== undefined) parameters.subDir = checkNonEmptyString(who, 'subDir', options.subDir);
    return new Provisioner('nfs.csi.k8s.io', parameters, CATALOG['nfs.csi.k8s.io']);
  }

  /** Hand-made local volumes (`kubernetes.io/no-provisioner`): no dynamic provisioning. */
  public static local(): Provisioner {
    return new Provisioner('kubernetes.io/no-provisioner', {}, CATALOG['kubernetes.io/no-provisioner']);
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
   * The catalog entry for a provisioner name, without parameters; undefined for a provisioner
   * this library does not know (callers must treat it as unknown, never guess).
   */
  public static fromName(name: string): Provisioner | undefined {
    const caps = CATALOG[name];
    return caps ? new Provisioner(name, {}, caps) : undefined;
  }

  /**
   * A catalog provisioner as a StorageClass of any origin describes it: its capabilities adjusted
   * for the parameters exactly as the factories adjust them (EBS io2 multi-attach, Longhorn
   * strict-local). undefined for a provisioner the catalog does not know. The guards read classes
   * through this, so a construct and a guard never disagree on what a class can do.
   */
  public static fromStorageClass(name: string, parameters: Record<string, string> = {}): Provisioner | undefined {
    const caps = capabilitiesFor(name, parameters);
    return caps ? new Provisioner(name, { ...parameters }, caps) : undefined;
  }

  /** Names of every provisioner in the catalog. */
  public static knownNames(): string[] {
    return Object.keys(CATALOG);
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
