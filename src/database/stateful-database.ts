import { ApiObject, Chart, Duration, Lazy, Size } from 'cdk8s';
import { Cpu, IPodSelector, k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { AntiAffinity } from './anti-affinity';
import { BackupPolicy } from './backup-policy';
import { ClaimRetention } from './claim-retention';
import { DatabaseCredentials } from './database-credentials';
import { DatabaseEngine } from './database-engine';
import { DatabaseMetricsOptions } from './database-metrics';
import { DatabaseResources } from './database-resources';
import { EngineKind } from './engine-kind';
import { PrimaryEviction } from './primary-eviction';
import { databaseScripts } from './private/database-assets';
import { checkDuration } from './private/database-cron';
import { checkDatabaseImage } from './private/database-image';
import { configFileName, DatabasePlan, defaultExporterImage, exporterPort, renderConfig, renderPodTemplate } from './private/database-pod';
import { renderPeer, renderWorkloadPeer } from './private/network-peer';
import { ACK_ANNOTATION } from '../internal/annotations';
import { renderCpu } from '../internal/cpu';
import { fail, subject } from '../internal/errors';
import { sha256 } from '../internal/hash';
import * as kube from '../internal/kube-objects';
import { markLibraryConstruct } from '../internal/library-marker';
import { checkBoolean, checkDnsLabel, checkInteger, checkOneOf, checkServiceName, isLabelKey, isLabelValue } from '../internal/validate';
import { POD_TEMPLATE_KINDS, podTemplatePath, workloadApiObject } from '../internal/workload-object';
import { AccessMode } from '../storage/access-mode';
import { ClaimOptions } from '../storage/claim-options';
import { renderClaimSpec, renderSize, requireFilesystem } from '../storage/private/claim-spec';
import { toKubeClaimSpec } from '../storage/private/storage-claim';

/** Props of `StatefulDatabase`. */
export interface StatefulDatabaseProps {
  /** The engine and its version, e.g. PostgreSQL 16.4 from `DatabaseEngine.postgres`. */
  readonly engine: DatabaseEngine;
  /** The per-replica claim (a volumeClaimTemplate named `data`): size, class, restore source. */
  readonly storage: ClaimOptions;
  /**
   * Name of the StatefulSet and prefix of every object (at most 36 characters so that every
   * derived name stays within Kubernetes limits).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Number of members: 1 = standalone; more = a primary (ordinal 0) and read-only replicas
   * streaming from it. Failover is out of scope: use an operator for that.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Where the passwords come from.
   * @default - an existing Secret `<name>-credentials` with keys `superuser-password` and `replication-password`
   */
  readonly credentials?: DatabaseCredentials;
  /**
   * Name of the replication user (a different user from the superuser).
   * @default 'replicator'
   */
  readonly replicationUser?: string;
  /**
   * A backup policy (more with `addBackup`). Replication is no backup: a `DROP TABLE` reaches
   * every replica within milliseconds.
   * @default - none: the database is not backed up, and neither the construct nor the guards
   * warn about it
   */
  readonly backup?: BackupPolicy;
  /**
   * Engine settings appended to the generated postgresql.conf / my.cnf (`key = value`); a change
   * rolls the pods through the config hash annotation.
   * @default - replication-ready defaults only
   */
  readonly parameters?: Record<string, string>;
  /**
   * Compute resources of the database container.
   * @default - requests 250m CPU / 512Mi memory, limit 1Gi memory
   */
  readonly resources?: DatabaseResources;
  /**
   * Size of `/dev/shm`, a memory-backed emptyDir (it counts against `resources.memoryLimit`):
   * PostgreSQL's parallel queries allocate their shared memory there, and the container
   * runtime's 64 MiB makes large ones fail. At most the memory limit.
   * @default - PostgreSQL: a quarter of the memory limit (256Mi for the default 1Gi); other
   * engines: the runtime's /dev/shm
   */
  readonly sharedMemory?: Size;
  /**
   * How long a member may take to shut down cleanly (`terminationGracePeriodSeconds`) before it
   * is killed: a busy database flushes, checkpoints and lets its standbys catch up. Longer
   * delays every drain by as much for a member that hangs. From 10 seconds to 1 hour.
   * @default Duration.seconds(180)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * Whether node drains may evict the primary (ordinal 0) of a replicated database.
   * @default - PrimaryEviction.BLOCKED with more than one replica; a standalone database gets
   * the one budget that still lets drains through (maxUnavailable 1)
   */
  readonly primaryEviction?: PrimaryEviction;
  /**
   * A replica is Ready (in the read Service) only while it replicates: its stream runs
   * (PostgreSQL `pg_stat_wal_receiver` streaming; MySQL/MariaDB both replication threads) and it
   * lags at most this much behind what it received. From 1 second to 1 day.
   * @default Duration.seconds(30)
   */
  readonly maxReplicaLag?: Duration;
  /**
   * Keep replicas off the same node.
   * @default AntiAffinity.PREFERRED
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * Spread replicas across zones (`topology.kubernetes.io/zone`, maxSkew 1, ScheduleAnyway).
   * @default false
   */
  readonly spreadAcrossZones?: boolean;
  /**
   * Stage an upgrade: only ordinals >= partition take a new pod template.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#partitions
   * @default - no partition: every pod is updated
   */
  readonly partition?: number;
  /**
   * What happens to the claims when the StatefulSet is deleted.
   * @default ClaimRetention.RETAIN
   */
  readonly claimRetentionWhenDeleted?: ClaimRetention;
  /**
   * What happens to the claims of removed ordinals when the StatefulSet is scaled down.
   * @default ClaimRetention.RETAIN
   */
  readonly claimRetentionWhenScaled?: ClaimRetention;
  /**
   * Run a metrics exporter sidecar (`{}` for the defaults).
   * @default - no exporter
   */
  readonly metrics?: DatabaseMetricsOptions;
  /**
   * Emit a NetworkPolicy that admits only the members, the backup jobs and the clients granted
   * with `StatefulDatabase.allowFrom`, `allowFromWorkload` or `allowFromLabels` (calling one of
   * them turns it on too).
   * @default false
   */
  readonly networkPolicy?: boolean;
}

const MAX_NAME = 36;

/**
 * A PostgreSQL, MySQL or MariaDB database as a StatefulSet: one claim per replica, a headless
 * governing Service, a primary and a read Service, credentials from Secrets, streaming/GTID
 * replication, engine probes, the restricted security profile, spreading, a disruption budget,
 * and scheduled backups.
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * const orders = new StatefulDatabase(chart, 'orders', {
 *   engine: DatabaseEngine.postgres({ version: '16.4' }),
 *   replicas: 3,
 *   storage: { size: Size.gibibytes(50), storageClass: gp3 },
 *   backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(100), storageClass: gp3 } }),
 * });
 * // Writes go to orders.primaryServiceName, reads to orders.readServiceName; only pods labelled
 * // app=api may connect (a NetworkPolicy):
 * orders.allowFromLabels({ app: 'api' });
 */
export class StatefulDatabase extends Construct {
  /** Name of the StatefulSet (and prefix of every object). */
  public readonly name: string;
  /** The engine. */
  public readonly engine: DatabaseEngine;
  /** Number of members. */
  public readonly replicas: number;
  /** The port clients connect to. */
  public readonly port: number;
  /** The governing headless Service (`<name>-headless`): pod DNS names `<name>-<i>.<name>-headless`. */
  public readonly headlessServiceName: string;
  /** The Service that selects only the write primary (ordinal 0): `<name>`. */
  public readonly primaryServiceName: string;
  /** The Service over every ready member (reads): `<name>-read`. */
  public readonly readServiceName: string;
  /** The Secret holding the passwords. */
  public readonly secretName: string;
  /** The labels that select this database's pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;

  private readonly plan: DatabasePlan;
  private readonly grants: Array<() => k8s.NetworkPolicyPeer> = [];
  /** The slots of the backup policies added, each held at most once. */
  private readonly backupSlots = new Set<string>();
  /** The backup pods that connect to the database port. */
  private readonly backupClients: k8s.NetworkPolicyPeer[] = [];
  private networkPolicyObject?: k8s.KubeNetworkPolicy;
  private readonly subjectText: string;

  constructor(scope: Construct, id: string, props: StatefulDatabaseProps) {
    super(scope, id);
    markLibraryConstruct(this);
    const who = this.subjectText = subject('StatefulDatabase', this);
    if (!props || typeof props !== 'object') fail(who, 'props', props, 'an object with engine and storage');
    if (!(props.engine instanceof DatabaseEngine)) fail(who, 'engine', props.engine, 'a DatabaseEngine such as DatabaseEngine.postgres({ version: \'16.4\' })');
    const engine = this.engine = props.engine;
    // The name is that of its Services (`<name>`, `<name>-headless`, `<name>-read`): a DNS-1035 label.
    const name = this.name = checkServiceName(who, 'name', props.name ?? id, MAX_NAME);
    const replicas = this.replicas = checkInteger(who, 'replicas', props.replicas ?? 1, 1, 99);
    if (replicas > 1 && !engine.supportsReplication) {
      fail(who, 'replicas', replicas, `1 for a custom engine (${engine.name}): this library only replicates postgres, mysql and mariadb`);
    }
    this.port = engine.port;
    this.headlessServiceName = `${name}-headless`;
    this.primaryServiceName = name;
    this.readServiceName = `${name}-read`;

    // Storage: one ReadWriteOnce(Pod) claim per replica.
    const claimSpec = renderClaimSpec(who, props.storage, [AccessMode.READ_WRITE_ONCE], 'storage.');
    requireFilesystem(who, 'storage.volumeMode', claimSpec);
    for (const mode of claimSpec.accessModes) {
      if (mode !== AccessMode.READ_WRITE_ONCE && mode !== AccessMode.READ_WRITE_ONCE_POD) {
        fail(who, 'storage.accessModes', mode, 'ReadWriteOnce or ReadWriteOncePod (one server per volume)');
      }
    }
    if (props.storage.dataSource && replicas > 1) {
      fail(who, 'replicas', replicas, '1 when storage.dataSource restores data (every replica would start from the copy as a second primary); restore standalone, then add replicas in a new database');
    }

    // Credentials.
    const credentials = props.credentials ?? DatabaseCredentials.fromSecret(`${name}-credentials`);
    if (!(credentials instanceof DatabaseCredentials)) fail(who, 'credentials', credentials, 'DatabaseCredentials.fromSecret(...) or DatabaseCredentials.fromPasswords(...)');
    this.secretName = credentials.secretName ?? `${name}-credentials`;
    const replicationUser = checkDnsLabel(who, 'replicationUser', props.replicationUser ?? 'replicator', 32);
    if (['postgres', 'root'].includes(replicationUser)) fail(who, 'replicationUser', replicationUser, 'a user other than the superuser');

    // Labels.
    this.selectorLabels = {
      'app.kubernetes.io/name': engine.name,
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/component': 'database',
    };
    const labels = { ...this.selectorLabels, 'app.kubernetes.io/managed-by': 'cdk8s-stateful' };

    // Configuration.
    const parameters = checkParameters(who, props.parameters ?? {});
    const configText = renderConfig(engine.kind, parameters, replicas, Math.max(64, Math.floor(props.storage.size.toKibibytes() / 1024 / 4)));
    const scripts = databaseScripts();

    const resources = props.resources ?? {};
    const cpu = renderCpu(who, 'resources.cpu', resources.cpu ?? Cpu.millis(250)).quantity;
    const memory = renderSize(who, 'resources.memory', resources.memory ?? Size.mebibytes(512));
    const memoryLimit = renderSize(who, 'resources.memoryLimit', resources.memoryLimit ?? Size.gibibytes(1));
    if (kib(resources.memoryLimit ?? Size.gibibytes(1)) < kib(resources.memory ?? Size.mebibytes(512))) {
      fail(who, 'resources.memoryLimit', memoryLimit, `at least the memory request (${memory})`);
    }
    const sharedMemory = renderSharedMemory(who, props.sharedMemory, engine.kind === EngineKind.POSTGRES, resources.memoryLimit ?? Size.gibibytes(1));
    const terminationGracePeriodSeconds = checkDuration(who, 'terminationGracePeriod', props.terminationGracePeriod ?? Duration.seconds(180), 10, 3600);
    const primaryEviction = checkOneOf(who, 'primaryEviction', props.primaryEviction ?? (replicas > 1 ? PrimaryEviction.BLOCKED : PrimaryEviction.ALLOWED), Object.values(PrimaryEviction));
    if (primaryEviction === PrimaryEviction.BLOCKED && replicas === 1) {
      fail(who, 'primaryEviction', primaryEviction, 'PrimaryEviction.ALLOWED for a standalone database (a budget that blocks its only pod blocks every drain of its node for good)');
    }

    const maxReplicaLagSeconds = checkDuration(who, 'maxReplicaLag', props.maxReplicaLag ?? Duration.seconds(30), 1, 86_400);
    const antiAffinity = checkOneOf(who, 'antiAffinity', props.antiAffinity ?? AntiAffinity.PREFERRED, Object.values(AntiAffinity));
    const spreadAcrossZones = checkBoolean(who, 'spreadAcrossZones', props.spreadAcrossZones ?? false);
    let metricsImage: string | undefined;
    if (props.metrics !== undefined) {
      if (props.metrics === null || typeof props.metrics !== 'object') fail(who, 'metrics', props.metrics, 'metrics options ({} for the defaults)');
      const defaultImage = defaultExporterImage(engine.kind);
      if (props.metrics.image === undefined && defaultImage === undefined) fail(who, 'metrics.image', undefined, `an exporter image for the custom engine ${engine.name}`);
      metricsImage = checkDatabaseImage(who, 'metrics.image', props.metrics.image ?? defaultImage, defaultImage ?? 'registry.example.com/my-exporter:1.2.3');
    }

    this.plan = {
      name,
      kind: engine.kind,
      engineName: engine.name,
      image: engine.image,
      port: engine.port,
      uid: engine.uid,
      dataPath: engine.dataPath,
      probeCommand: engine.probeCommand,
      replicas,
      headless: this.headlessServiceName,
      secretName: this.secretName,
      superuserKey: credentials.superuserPasswordKey,
      replicationKey: credentials.replicationPasswordKey,
      replicationUser,
      selector: this.selectorLabels,
      podLabels: labels,
      configHash: sha256(configText),
      scripts: scripts.data,
      sharedMemory,
      terminationGracePeriodSeconds,
      maxReplicaLagSeconds,
      requests: { cpu, memory },
      limits: { memory: memoryLimit },
      requiredAntiAffinity: antiAffinity === AntiAffinity.REQUIRED,
      spreadAcrossZones,
      metricsImage,
    };

    const partition = props.partition === undefined ? undefined : checkInteger(who, 'partition', props.partition, 0, replicas);
    const whenDeleted = checkOneOf(who, 'claimRetentionWhenDeleted', props.claimRetentionWhenDeleted ?? ClaimRetention.RETAIN, Object.values(ClaimRetention));
    const whenScaled = checkOneOf(who, 'claimRetentionWhenScaled', props.claimRetentionWhenScaled ?? ClaimRetention.RETAIN, Object.values(ClaimRetention));
    const networkPolicy = checkBoolean(who, 'networkPolicy', props.networkPolicy ?? false);

    // Objects.
    if (credentials.values) {
      new kube.KubeSecret(this, 'Secret', {
        metadata: { name: this.secretName, labels },
        type: 'Opaque',
        stringData: {
          [credentials.superuserPasswordKey]: credentials.values.superuserPassword,
          [credentials.replicationPasswordKey]: credentials.values.replicationPassword,
        },
      });
    }
    new kube.KubeConfigMap(this, 'Config', {
      metadata: { name: `${name}-config`, labels },
      data: { [configFileName(engine.kind)]: configText },
    });
    new kube.KubeConfigMap(this, 'Scripts', {
      metadata: { name: `${name}-scripts`, labels },
      data: { ...scripts.data },
    });

    const port: k8s.ServicePort = { name: 'db', port: engine.port, targetPort: k8s.IntOrString.fromString('db'), protocol: 'TCP' };
    new kube.KubeService(this, 'Headless', {
      metadata: { name: this.headlessServiceName, labels },
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: { ...this.selectorLabels }, ports: [port] },
    });
    new kube.KubeService(this, 'Primary', {
      metadata: { name: this.primaryServiceName, labels: { ...labels, 'stateful.cdk8s.io/role': 'primary' } },
      spec: { type: 'ClusterIP', selector: { ...this.selectorLabels, 'statefulset.kubernetes.io/pod-name': `${name}-0` }, ports: [port] },
    });
    new kube.KubeService(this, 'Read', {
      metadata: { name: this.readServiceName, labels: { ...labels, 'stateful.cdk8s.io/role': 'read' } },
      spec: { type: 'ClusterIP', selector: { ...this.selectorLabels }, ports: [port] },
    });

    this.statefulSet = new kube.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas,
        podManagementPolicy: 'OrderedReady',
        selector: { matchLabels: { ...this.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: partition === undefined ? undefined : { partition } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled },
        template: renderPodTemplate(this.plan),
        volumeClaimTemplates: [{ metadata: { name: 'data', labels: { ...this.selectorLabels } }, spec: toKubeClaimSpec(claimSpec) }],
      },
    });

    this.renderBudgets(primaryEviction, labels);

    if (networkPolicy) this.enableNetworkPolicy();
    if (props.backup !== undefined) this.addBackup(props.backup);
  }

  /** Names of the replicas' claims (`data-<name>-<ordinal>`). */
  public get claimNames(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => `data-${this.name}-${i}`);
  }

  /** Add a backup policy (at most one of each kind). */
  public addBackup(policy: BackupPolicy): void {
    const who = this.subjectText;
    if (!(policy instanceof BackupPolicy)) fail(who, 'backup', policy, 'BackupPolicy.logical(...) or BackupPolicy.volumeSnapshots(...)');
    if (this.backupSlots.has(policy._slot)) fail(who, 'backup', policy._slot, 'at most one backup policy of each kind');
    const binding = policy._bind(this, {
      who,
      name: this.name,
      kind: this.engine.kind,
      engineName: this.engine.name,
      image: this.engine.image,
      uid: this.engine.uid,
      port: this.port,
      primaryService: this.primaryServiceName,
      secretName: this.secretName,
      superuserKey: this.plan.superuserKey,
      claims: this.claimNames,
      labels: (component: string) => ({
        'app.kubernetes.io/name': this.engine.name,
        'app.kubernetes.io/instance': this.name,
        'app.kubernetes.io/component': component,
        'app.kubernetes.io/managed-by': 'cdk8s-stateful',
      }),
    });
    this.backupSlots.add(policy._slot);
    this.backupClients.push(...binding.databaseClients);
  }

  /**
   * Admit the pods of a cdk8s-plus-28 workload (Deployment, StatefulSet, Pod, `Pods.select(...)`)
   * to the database port. Turns the NetworkPolicy on. For a workload of another cdk8s-plus
   * version or a raw ApiObject use `allowFromWorkload`.
   */
  public allowFrom(peer: IPodSelector): void {
    if (typeof (peer as Partial<IPodSelector> | undefined)?.toPodSelectorConfig !== 'function') {
      fail(this.subjectText, 'allowFrom', peer, 'a cdk8s-plus pod selector (a workload, a Pod or Pods.select(...))');
    }
    this.enableNetworkPolicy();
    // Read lazily: the workload's selector may still change after this call.
    this.grants.push(() => renderPeer(peer.toPodSelectorConfig()));
  }

  /**
   * Admit the pods of a workload built by any cdk8s-plus version (cdk8s-plus-28, -33, ...) or by
   * hand (`k8s.KubeDeployment`, an `ApiObject`) to the database port: the labels of its pod
   * template, read when synthesized, in its namespace. Turns the NetworkPolicy on.
   *
   * @param workload a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod construct, or its ApiObject
   */
  public allowFromWorkload(workload: IConstruct): void {
    const who = this.subjectText;
    const obj = workloadApiObject(who, 'allowFromWorkload', workload);
    if (!podTemplatePath(obj.kind)) {
      fail(who, 'allowFromWorkload', `${obj.kind} ${obj.node.path}`, `a workload with a pod template (${POD_TEMPLATE_KINDS.join(', ')})`);
    }
    const chartNamespace = Chart.of(obj).namespace;
    const ownNamespace = Chart.of(this).namespace;
    this.enableNetworkPolicy();
    // Read at synth, from the workload's own object only: its labels may still change.
    this.grants.push(() => renderWorkloadPeer(who, obj, chartNamespace, ownNamespace));
  }

  /** Admit pods carrying these labels (in the database's namespace) to the database port. Turns the NetworkPolicy on. */
  public allowFromLabels(labels: Record<string, string>): void {
    const who = this.subjectText;
    if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) fail(who, 'allowFromLabels', labels, 'a non-empty map of labels');
    for (const [k, v] of Object.entries(labels)) {
      if (!isLabelKey(k)) fail(who, 'allowFromLabels', k, 'a label key');
      if (!isLabelValue(v)) fail(who, `allowFromLabels.${k}`, v, 'a label value');
    }
    const copy = { ...labels };
    this.enableNetworkPolicy();
    this.grants.push(() => ({ podSelector: { matchLabels: copy } }));
  }

  /**
   * The disruption budgets. A pod covered by two budgets cannot be evicted at all (the eviction
   * API refuses it), so with a primary budget the members' budget selects the replicas only.
   */
  private renderBudgets(primaryEviction: PrimaryEviction, labels: Record<string, string>): void {
    const podName = 'statefulset.kubernetes.io/pod-name';
    const primaryPod = `${this.name}-0`;
    if (primaryEviction === PrimaryEviction.ALLOWED) {
      new kube.KubePodDisruptionBudget(this, 'Budget', {
        metadata: { name: this.name, labels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.selectorLabels } } },
      });
      return;
    }
    // The replicas' budget: one replica out at a time. A whole-number minAvailable, because the
    // disruption controller counts it against the pods the budget selects (the replicas), whereas
    // maxUnavailable is counted against the StatefulSet's scale (every member, the primary too):
    // `maxUnavailable: 1` over replicas - 1 selected pods would allow no eviction at all (seen on
    // the real kube-controller-manager, test/cluster/).
    new kube.KubePodDisruptionBudget(this, 'Budget', {
      metadata: { name: this.name, labels },
      spec: {
        minAvailable: k8s.IntOrString.fromNumber(this.replicas - 2),
        selector: { matchLabels: { ...this.selectorLabels }, matchExpressions: [{ key: podName, operator: 'NotIn', values: [primaryPod] }] },
      },
    });
    new kube.KubePodDisruptionBudget(this, 'PrimaryBudget', {
      metadata: {
        name: `${this.name}-primary`,
        labels: { ...labels, 'stateful.cdk8s.io/role': 'primary' },
        // The guards' SG019 (a budget allowing no disruption) is the point of this one.
        annotations: { [ACK_ANNOTATION]: `SG019: ${PRIMARY_BUDGET_REASON}` },
      },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(0),
        // A primary that is not Ready serves no writes: draining it costs nothing.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        selector: { matchLabels: { ...this.selectorLabels, [podName]: primaryPod } },
      },
    });
  }

  private enableNetworkPolicy(): void {
    if (this.networkPolicyObject) return;
    const selector = this.selectorLabels;
    this.networkPolicyObject = new kube.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, labels: { ...selector, 'app.kubernetes.io/managed-by': 'cdk8s-stateful' } },
      spec: Lazy.any({
        produce: (): k8s.NetworkPolicySpec => {
          const dbPort: k8s.NetworkPolicyPort[] = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.port) }];
          const clients = [...this.backupClients, ...this.grants.map(g => g())];
          const ingress: k8s.NetworkPolicyIngressRule[] = [{ from: [{ podSelector: { matchLabels: { ...selector } } }] }];
          if (clients.length > 0) ingress.push({ from: clients, ports: dbPort });
          if (this.plan.metricsImage) ingress.push({ ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(exporterPort(this.engine.kind)) }] });
          return { podSelector: { matchLabels: { ...selector } }, policyTypes: ['Ingress'], ingress };
        },
      }),
    });
  }
}

const PRIMARY_BUDGET_REASON = 'StatefulDatabase primaryEviction BLOCKED: without failover an evicted primary is a write outage, so a drain of its node waits for an operator (set primaryEviction ALLOWED to let drains through).';

/** The /dev/shm size limit as a quantity, or undefined for the runtime's. */
function renderSharedMemory(who: string, value: Size | undefined, byDefault: boolean, memoryLimit: Size): string | undefined {
  if (value === undefined && !byDefault) return undefined;
  // A quarter of the limit, in whole MiB.
  const size = value ?? Size.mebibytes(Math.max(1, Math.floor(memoryLimit.toKibibytes() / 4 / 1024)));
  const quantity = renderSize(who, 'sharedMemory', size);
  if (kib(size) > kib(memoryLimit)) fail(who, 'sharedMemory', quantity, `at most the memory limit (${renderSize(who, 'resources.memoryLimit', memoryLimit)}): /dev/shm is memory`);
  return quantity;
}

function kib(size: Size): number {
  return size.toKibibytes();
}

function checkParameters(who: string, parameters: Record<string, string>): Record<string, string> {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) fail(who, 'parameters', parameters, 'a map of setting names to values');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (!/^[a-z_][a-z0-9_.-]{0,62}$/i.test(key)) fail(who, 'parameters', key, 'setting names of letters, digits, \'_\', \'.\' and \'-\'');
    // eslint-disable-next-line no-control-regex
    if (typeof value !== 'string' || value.length > 1024 || /[\x00-\x1f#]/.test(value)) {
      fail(who, `parameters.${key}`, value, 'a single-line string without \'#\' of at most 1024 characters');
    }
    out[key] = value;
  }
  return out;
}
