/**
 * The JSON form of an inventory (`Inventory.toJson()`, `cdk8s-stateful inventory --format json`).
 * docs/inventory.schema.json is the same schema as a JSON Schema; a test keeps the two and the
 * output in agreement. Values of Secrets and ConfigMaps never appear: objects are named only.
 */

/** A guard finding attached to the object it names. */
export interface InventoryFinding {
  /** Id of the rule, e.g. `SG001`. */
  readonly ruleId: string;
  /** `error` or `warning`. */
  readonly severity: string;
  /** Title of the rule. */
  readonly title: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Whether an acknowledgement covers it. */
  readonly acknowledged: boolean;
}

/** A ConfigMap or a Secret, by name only (never its values). */
export interface InventoryNamedObject {
  /** Stable id: `<kind>/<namespace>/<name>`. */
  readonly id: string;
  /** `ConfigMap` or `Secret`. */
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /**
   * Namespace.
   * @default - cluster-scoped
   */
  readonly namespace?: string;
  /** Whether the object is in the input (false: only named by the objects that read it). */
  readonly inInput: boolean;
  /** Ids of the objects that read it. */
  readonly usedBy: string[];
  /** Guard findings on it. */
  readonly findings: InventoryFinding[];
}

/** Claim retention of a StatefulSet (`persistentVolumeClaimRetentionPolicy`). */
export interface InventoryClaimRetention {
  /** `Retain` (the Kubernetes default) or `Delete`: what happens to the claims when the StatefulSet is deleted. */
  readonly whenDeleted: string;
  /** `Retain` (the Kubernetes default) or `Delete`: what happens to the claims of removed replicas when it scales down. */
  readonly whenScaled: string;
}

/** One claim in a persistence chain: claim → class → provisioner → reclaim policy. */
export interface InventoryClaim {
  /** Stable id: `PersistentVolumeClaim/<namespace>/<name>`. */
  readonly id: string;
  /** Claim name (for a claim template: `<template>-<statefulset>-<ordinal>`). */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /**
   * The claim template it is created from.
   * @default - a claim of its own (not from a template)
   */
  readonly template?: string;
  /**
   * The replica (ordinal) it belongs to.
   * @default - not a per-replica claim
   */
  readonly replica?: number;
  /** Whether the StatefulSet controller creates it from a claim template (it is not in the input). */
  readonly generated: boolean;
  /** Whether the claim is in the input (false for generated claims and for claims only named by a workload). */
  readonly inInput: boolean;
  /**
   * Requested size (`resources.requests.storage`).
   * @default - not set
   */
  readonly size?: string;
  /** Access modes. */
  readonly accessModes: string[];
  /** `Filesystem` or `Block`. */
  readonly volumeMode: string;
  /**
   * Name of its StorageClass.
   * @default - none: the cluster's default class, or no class (`storageClassName: ""`)
   */
  readonly storageClass?: string;
  /**
   * How the class was found: `named`, `default` (the default class of the input),
   * `cluster-default` (no class named and no default class in the input), `none`
   * (`storageClassName: ""`: static binding only) or `unknown` (the claim is not in the input).
   */
  readonly storageClassSource: string;
  /** Whether its StorageClass is in the input. */
  readonly storageClassInInput: boolean;
  /**
   * The provisioner of its class.
   * @default - unknown: the class is not in the input
   */
  readonly provisioner?: string;
  /** What happens to the disk when the claim is deleted: `Delete`, `Retain`, `Recycle` or `unknown`. */
  readonly reclaimPolicy: string;
  /** Where the reclaim policy comes from: `PersistentVolume`, `StorageClass` or `unknown`. */
  readonly reclaimPolicySource: string;
  /**
   * The PersistentVolume bound to it.
   * @default - none in the input (dynamic provisioning)
   */
  readonly persistentVolume?: string;
  /** Whether several nodes can mount it (ReadWriteMany or ReadOnlyMany): a file store. */
  readonly shared: boolean;
  /** Ids of the workloads mounting it. */
  readonly usedBy: string[];
  /** Guard findings on it. */
  readonly findings: InventoryFinding[];
}

/** A hostPath volume a workload mounts. */
export interface InventoryHostPath {
  /** Volume name in the pod template. */
  readonly volume: string;
  /** Path on the node. */
  readonly path: string;
  /** Whether every container mounts it read-only. */
  readonly readOnly: boolean;
}

/** A CronJob that backs up a data store: logical dumps or CSI VolumeSnapshots. */
export interface InventoryBackup {
  /** Stable id: `CronJob/<namespace>/<name>`. */
  readonly id: string;
  /** CronJob name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** `logical` (a dump through the database) or `snapshot` (CSI VolumeSnapshots of the claims). */
  readonly type: string;
  /** Cron schedule (`spec.schedule`). */
  readonly schedule: string;
  /**
   * Time zone of the schedule (`spec.timeZone`).
   * @default - the time zone of the kube-controller-manager
   */
  readonly timeZone?: string;
  /** Whether the CronJob is suspended. */
  readonly suspended: boolean;
  /**
   * How many backups it keeps (`BACKUP_KEEP`).
   * @default - not known
   */
  readonly keep?: number;
  /**
   * The VolumeSnapshotClass of its snapshots (`SNAPSHOT_CLASS`).
   * @default - not a snapshot job, or not known
   */
  readonly snapshotClass?: string;
  /** Ids of the data stores it backs up. */
  readonly targets: string[];
  /** Names of the claims it snapshots (snapshot jobs). */
  readonly snapshotClaims: string[];
  /** Names of the claims it writes its backups to (logical jobs). */
  readonly destinationClaims: string[];
  /** How it was recognized and linked, e.g. `env CLAIMS names data-db-0`. */
  readonly evidence: string[];
  /** Guard findings on it. */
  readonly findings: InventoryFinding[];
}

/** A workload holding state, with its persistence chain. */
export interface InventoryDataStore {
  /** Stable id: `<kind>/<namespace>/<name>`. */
  readonly id: string;
  /** `StatefulSet`, `Deployment`, `DaemonSet`, `ReplicaSet`, `ReplicationController` or `Pod`. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /**
   * Declared replicas.
   * @default - one pod per node (DaemonSet)
   */
  readonly replicas?: number;
  /** Replicas in words: `3 replica(s)`, `one pod per node`. */
  readonly replicasText: string;
  /**
   * The database engine it runs, e.g. `postgres`.
   * @default - no known database
   */
  readonly engine?: string;
  /**
   * Claim retention (StatefulSets).
   * @default - not a StatefulSet
   */
  readonly claimRetention?: InventoryClaimRetention;
  /** Its claims: one per replica and claim template, then the claims it mounts by name. */
  readonly claims: InventoryClaim[];
  /** Its hostPath volumes. */
  readonly hostPaths: InventoryHostPath[];
  /** Ids of the backup CronJobs that back it up. */
  readonly backups: string[];
  /** Ids of the ConfigMaps it reads. */
  readonly configMaps: string[];
  /** Ids of the Secrets it reads. */
  readonly secrets: string[];
  /** Whether it runs one replica holding state (a singleton). */
  readonly singleton: boolean;
  /** Guard findings on it (claim templates' findings are reported on the StatefulSet). */
  readonly findings: InventoryFinding[];
}

/** A claim several pods or nodes share (ReadWriteMany / ReadOnlyMany, or mounted by several workloads). */
export interface InventoryFileStore {
  /** Id of the claim (see `InventoryDocument.storage.claims` and the data stores' claims). */
  readonly claim: string;
  /** Ids of the workloads writing to it. */
  readonly writers: string[];
  /** Ids of the workloads only reading it. */
  readonly readers: string[];
}

/** One source of truth: a workload with one replica holding state, or a Service selecting exactly one pod. */
export interface InventorySingleton {
  /** Id of the workload or Service. */
  readonly id: string;
  /** `workload` or `service`. */
  readonly type: string;
  /** Why it is a singleton. */
  readonly reason: string;
  /**
   * The one pod it selects (services).
   * @default - a workload of one replica
   */
  readonly pod?: string;
  /**
   * Id of the workload of that pod.
   * @default - the singleton is the workload itself, or the workload is not in the input
   */
  readonly workload?: string;
  /** Guard findings on it. */
  readonly findings: InventoryFinding[];
}

/** A StorageClass of the input, or one its claims name. */
export interface InventoryStorageClass {
  /** Stable id: `StorageClass/<name>`. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** Whether it is in the input. */
  readonly inInput: boolean;
  /**
   * Provisioner.
   * @default - unknown (not in the input)
   */
  readonly provisioner?: string;
  /**
   * `Delete` or `Retain`.
   * @default - unknown (not in the input)
   */
  readonly reclaimPolicy?: string;
  /**
   * `Immediate` or `WaitForFirstConsumer`.
   * @default - unknown (not in the input)
   */
  readonly volumeBindingMode?: string;
  /** Whether it is marked the default class. */
  readonly isDefault: boolean;
  /**
   * Filesystem access modes its provisioner serves (the provisioner catalog).
   * @default - unknown provisioner
   */
  readonly accessModes?: string[];
  /**
   * Whether its provisioner implements CSI snapshots.
   * @default - unknown provisioner
   */
  readonly snapshots?: boolean;
  /**
   * Whether its volumes live on one node's own disk.
   * @default - unknown provisioner
   */
  readonly nodeLocal?: boolean;
  /** Guard findings on it. */
  readonly findings: InventoryFinding[];
}

/** A PersistentVolume of the input. */
export interface InventoryPersistentVolume {
  /** Stable id: `PersistentVolume/<name>`. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /**
   * Its StorageClass.
   * @default - none
   */
  readonly storageClass?: string;
  /**
   * Capacity (`spec.capacity.storage`).
   * @default - not set
   */
  readonly capacity?: string;
  /** `Delete`, `Retain` or `Recycle`. */
  readonly reclaimPolicy: string;
  /** Whether it is a disk or directory of one node. */
  readonly perNodeDisk: boolean;
  /**
   * The claim it is reserved for (`claimRef`), as `<namespace>/<name>`.
   * @default - any claim
   */
  readonly claim?: string;
  /** Guard findings on it. */
  readonly findings: InventoryFinding[];
}

/** A VolumeSnapshot or VolumeSnapshotClass of the input (or a class a snapshot names). */
export interface InventorySnapshotObject {
  /** Stable id: `<kind>/<namespace>/<name>` or `<kind>/<name>`. */
  readonly id: string;
  /** `VolumeSnapshot` or `VolumeSnapshotClass`. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
  /**
   * Namespace (VolumeSnapshots).
   * @default - cluster-scoped
   */
  readonly namespace?: string;
  /** Whether it is in the input. */
  readonly inInput: boolean;
  /**
   * The claim a VolumeSnapshot copies.
   * @default - none (a pre-provisioned snapshot, or a class)
   */
  readonly sourceClaim?: string;
  /**
   * The class of a VolumeSnapshot.
   * @default - the default snapshot class, or a class
   */
  readonly snapshotClass?: string;
  /**
   * The CSI driver of a VolumeSnapshotClass.
   * @default - a snapshot, or unknown
   */
  readonly driver?: string;
  /**
   * `Delete` or `Retain` (VolumeSnapshotClass `deletionPolicy`).
   * @default - a snapshot, or unknown
   */
  readonly deletionPolicy?: string;
  /** Guard findings on it. */
  readonly findings: InventoryFinding[];
}

/** The storage objects. */
export interface InventoryStorage {
  /** StorageClasses of the input and those the claims name. */
  readonly storageClasses: InventoryStorageClass[];
  /** PersistentVolumes of the input. */
  readonly persistentVolumes: InventoryPersistentVolume[];
  /** Claims of the input no data store mounts (backup targets, restores, spare claims). */
  readonly claims: InventoryClaim[];
  /** VolumeSnapshots of the input. */
  readonly volumeSnapshots: InventorySnapshotObject[];
  /** VolumeSnapshotClasses of the input and those snapshots and snapshot jobs name. */
  readonly volumeSnapshotClasses: InventorySnapshotObject[];
}

/** A box of the chain diagram. */
export interface InventoryDiagramNode {
  /** Diagram id (`n0`, `n1`...): safe in any syntax. */
  readonly id: string;
  /** Id of the inventory object it draws. */
  readonly object: string;
  /** `workload`, `claim`, `volume`, `class`, `provisioner`, `backup`, `service`, `snapshot` or `snapshotClass`. */
  readonly type: string;
  /** Lines of text: the first names the object. */
  readonly lines: string[];
  /** Column of the layout, left to right. */
  readonly column: number;
  /** Number of unacknowledged findings on the object. */
  readonly findings: number;
}

/** An arrow of the chain diagram. */
export interface InventoryDiagramEdge {
  /** Diagram id of the source box. */
  readonly from: string;
  /** Diagram id of the target box. */
  readonly to: string;
  /** What the arrow means: `mounts`, `class`, `provisioner`, `bound`, `backs up`, `snapshots`... */
  readonly label: string;
}

/** The persistence chain as boxes and arrows (drawn by the Mermaid and HTML formats). */
export interface InventoryDiagram {
  /** Boxes. */
  readonly nodes: InventoryDiagramNode[];
  /** Arrows. */
  readonly edges: InventoryDiagramEdge[];
}

/** Counts of the inventory. */
export interface InventorySummary {
  /** ConfigMaps. */
  readonly config: number;
  /** Secrets. */
  readonly secrets: number;
  /** Workloads holding state. */
  readonly dataStores: number;
  /** Shared claims. */
  readonly fileStores: number;
  /** Singletons. */
  readonly singletons: number;
  /** Backup CronJobs. */
  readonly backups: number;
  /** Claims in all (per replica, generated ones included). */
  readonly claims: number;
  /** Unacknowledged errors. */
  readonly errors: number;
  /** Unacknowledged warnings. */
  readonly warnings: number;
  /** Acknowledged findings. */
  readonly acknowledged: number;
}

/** All the state of a set of manifests. */
export interface InventoryDocument {
  /** Version of this schema (`1`). */
  readonly schemaVersion: string;
  /** Counts. */
  readonly summary: InventorySummary;
  /** ConfigMaps, by name only. */
  readonly config: InventoryNamedObject[];
  /** Secrets, by name only: never their values. */
  readonly secrets: InventoryNamedObject[];
  /** Workloads holding state, each with its persistence chain. */
  readonly dataStores: InventoryDataStore[];
  /** Shared (ReadWriteMany / ReadOnlyMany, or multi-workload) claims. */
  readonly fileStores: InventoryFileStore[];
  /** One-replica data stores and Services selecting one pod. */
  readonly singletons: InventorySingleton[];
  /** CronJobs that back up. */
  readonly backups: InventoryBackup[];
  /** StorageClasses, PersistentVolumes, other claims, VolumeSnapshots and their classes. */
  readonly storage: InventoryStorage;
  /** Findings on objects that hold no state (they are not in the inventory otherwise). */
  readonly otherFindings: InventoryOtherFinding[];
  /** The chain as a diagram. */
  readonly diagram: InventoryDiagram;
}

/** A finding on an object the inventory does not list. */
export interface InventoryOtherFinding {
  /** `<kind>/<namespace>/<name>` of the object it names. */
  readonly object: string;
  /** The finding. */
  readonly finding: InventoryFinding;
}
