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
