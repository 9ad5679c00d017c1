import { AccessMode } from '../access-mode';
import { ProvisionerCapabilities } from '../provisioner-capabilities';
import { EbsVolumeType, LonghornDataLocality } from '../provisioner-options';

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

const STORAGE_CLASSES = 'https://kubernetes.io/docs/concepts/storage/storage-classes/';

/**
 * The in-tree provisioners (`kubernetes.io/...`), read from StorageClasses of any origin but never
 * built by a factory. Facts from kubernetes.io: the access-mode table of
 * docs/concepts/storage/persistent-volumes/#access-modes, its raw-block list
 * (#raw-block-volume-support), the expansion list and the WaitForFirstConsumer list of
 * docs/concepts/storage/storage-classes/ (#allow-volume-expansion, #volume-binding-mode; AWS EBS,
 * GCE PD and Azure Disk volumes live in one zone, as do Cinder volumes in one availability zone).
 * Snapshots are CSI-only (#volume-snapshot-and-restore-volume-from-snapshot-support). The plugins
 * with CSI migration (GA: aws-ebs, gce-pd, azure-disk, azure-file, cinder, vsphere-volume,
 * portworx-volume) are served by their CSI driver today, so ReadWriteOncePod works on them;
 * the removed ones (glusterfs, rbd, quobyte, scaleio, storageos) keep the table's modes.
 */
const IN_TREE: Record<string, ProvisionerCapabilities> = {
  'kubernetes.io/aws-ebs': {
    filesystemAccessModes: [RWO, RWOP],
    blockAccessModes: [RWO, RWOP],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: true,
    source: `${STORAGE_CLASSES}#aws-ebs`,
  },
  'kubernetes.io/gce-pd': {
    filesystemAccessModes: [RWO, RWOP, ROX],
    blockAccessModes: [RWO, RWOP, ROX],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: true,
    source: `${STORAGE_CLASSES}#gce-pd`,
  },
  'kubernetes.io/azure-disk': {
    filesystemAccessModes: [RWO, RWOP],
    blockAccessModes: [RWO, RWOP],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: true,
    source: `${STORAGE_CLASSES}#azure-disk`,
  },
  'kubernetes.io/azure-file': {
    filesystemAccessModes: [RWO, RWOP, ROX, RWX],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#azure-file`,
  },
  'kubernetes.io/cinder': {
    filesystemAccessModes: [RWO, RWOP],
    blockAccessModes: [RWO, RWOP],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: true,
    source: `${STORAGE_CLASSES}#openstack-cinder`,
  },
  'kubernetes.io/vsphere-volume': {
    filesystemAccessModes: [RWO, RWOP],
    blockAccessModes: [RWO, RWOP],
    volumeExpansion: false,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#vsphere`,
  },
  'kubernetes.io/portworx-volume': {
    filesystemAccessModes: [RWO, RWOP, RWX],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#portworx-volume`,
  },
  'kubernetes.io/glusterfs': {
    filesystemAccessModes: [RWO, ROX, RWX],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#glusterfs`,
  },
  'kubernetes.io/rbd': {
    filesystemAccessModes: [RWO, ROX],
    blockAccessModes: [RWO, ROX],
    volumeExpansion: true,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#ceph-rbd`,
  },
  'kubernetes.io/quobyte': {
    filesystemAccessModes: [RWO, ROX, RWX],
    volumeExpansion: false,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#quobyte`,
  },
  'kubernetes.io/scaleio': {
    filesystemAccessModes: [RWO, ROX],
    volumeExpansion: false,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#scaleio`,
  },
  'kubernetes.io/storageos': {
    filesystemAccessModes: [RWO],
    volumeExpansion: false,
    snapshots: false,
    topologyBound: false,
    source: `${STORAGE_CLASSES}#storageos`,
  },
};

/**
 * What a catalog provisioner can do with these StorageClass parameters: the one place where
 * parameters change capabilities. In-tree provisioners are known too (no factory builds them).
 */
export function capabilitiesFor(name: string, parameters: Record<string, string>): ProvisionerCapabilities | undefined {
  const base = CATALOG[name] ?? IN_TREE[name];
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

/** Names of the in-tree provisioners the catalog knows (read from StorageClasses only). */
export function inTreeNames(): string[] {
  return Object.keys(IN_TREE);
}

/** Capabilities of a provisioner the factories know is in the catalog. */
export function catalogCapabilities(name: string, parameters: Record<string, string>): ProvisionerCapabilities {
  const capabilities = capabilitiesFor(name, parameters);
  if (!capabilities) throw new Error(`cdk8s-stateful internal error: provisioner '${name}' is missing from the catalog`);
  return capabilities;
}

/** Names of every provisioner in the catalog that a factory builds (the in-tree ones are left out). */
export function catalogNames(): string[] {
  return Object.keys(CATALOG);
}
