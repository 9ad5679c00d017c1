import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterMemberProps } from './cluster-member-props';
import { ConsensusEngine } from './consensus-engine';
import { checkMemberCount, renderMemberSet, resolveMemberProps, tolerableFailures } from './private/member-set';
import { fail, subject } from '../internal/errors';
import { markLibraryConstruct } from '../internal/library-marker';

/** Props of `ConsensusCluster`. */
export interface ConsensusClusterProps extends ClusterMemberProps {
  /** The engine and its version, e.g. `ConsensusEngine.etcd({ version: '3.6.5' })`. */
  readonly engine: ConsensusEngine;
  /**
   * Number of members: an odd number, so that a majority survives (n - 1) / 2 failures; 1 for
   * development only (no failure tolerated). Membership is fixed when the cluster first forms:
   * changing it later follows the engine's procedure (see the README).
   * @default 3
   */
  readonly replicas?: number;
}

/**
 * An etcd or ZooKeeper ensemble as a StatefulSet: an odd number of members whose identities come
 * from their ordinals (etcd member `<name>-<i>`, ZooKeeper `myid` = i + 1), peers found through
 * the headless Service `<name>-headless` (published before they are Ready), a client Service
 * `<name>`, `Parallel` pod management, a disruption budget of exactly the failures the quorum
 * survives, data and write-ahead log on the member's claim, health probes, and the restricted
 * Pod Security profile.
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * const store = new ConsensusCluster(chart, 'config-store', {
 *   engine: ConsensusEngine.etcd({ version: '3.6.5' }),
 *   replicas: 3,
 *   storage: { size: Size.gibibytes(8), storageClass: gp3 },
 * });
 * // Clients connect to store.connectionString (or the Service store.clientServiceName).
 */
export class ConsensusCluster extends Construct {
  /** Name of the StatefulSet (and prefix of every object). */
  public readonly name: string;
  /** The engine. */
  public readonly engine: ConsensusEngine;
  /** Number of members. */
  public readonly replicas: number;
  /** How many members may fail (or be evicted) while the cluster keeps a quorum: (n - 1) / 2. */
  public readonly tolerableFailures: number;
  /** The port clients connect to (etcd 2379, ZooKeeper 2181). */
  public readonly clientPort: number;
  /** The governing headless Service (`<name>-headless`): member DNS names `<name>-<i>.<name>-headless`. */
  public readonly headlessServiceName: string;
  /** The client Service over the Ready members (`<name>`). */
  public readonly clientServiceName: string;
  /**
   * What clients are configured with: every member by its stable name (etcd endpoints
   * `http://<name>-0.<name>-headless:2379,...`; ZooKeeper connect string `<name>-0.<name>-headless:2181,...`).
   */
  public readonly connectionString: string;
  /** The labels that select the members. */
  public readonly selectorLabels: Record<string, string>;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;

  constructor(scope: Construct, id: string, props: ConsensusClusterProps) {
    super(scope, id);
    markLibraryConstruct(this);
    const who = subject('ConsensusCluster', this);
    if (!props || typeof props !== 'object') fail(who, 'props', props, 'an object with engine and storage');
    if (!(props.engine instanceof ConsensusEngine)) {
      fail(who, 'engine', props.engine, "a ConsensusEngine such as ConsensusEngine.etcd({ version: '3.6.5' })");
    }
    this.engine = props.engine;
    this.replicas = checkMemberCount(who, props.replicas ?? 3, { odd: true, min: 1, max: 9, engine: this.engine.name });
    this.tolerableFailures = tolerableFailures(this.replicas);
    const members = resolveMemberProps(who, id, props, {
      cpu: undefined,
      memory: Size.mebibytes(512),
      memoryLimit: Size.gibibytes(1),
      // A member that leaves cleanly (etcd hands over leadership, ZooKeeper closes sessions)
      // is back in seconds; 60 s lets a busy one finish its fsync.
      terminationGracePeriod: Duration.seconds(60),
    });
    this.name = members.name;
    const plan = this.engine._render({ members, replicas: this.replicas });
    const set = renderMemberSet(this, {
      members,
      engineName: plan.engineName,
      component: 'consensus',
      replicas: this.replicas,
      // Parallel: every member must be running for a quorum to form, and a member is Ready only
      // with a quorum, so OrderedReady would wait forever for member 0 (only scaling is affected:
      // rolling updates still replace one member at a time, each waiting for Ready).
      podManagementPolicy: 'Parallel',
      uid: plan.uid,
      containers: plan.containers,
      volumes: plan.volumes,
      headlessPorts: plan.headlessPorts,
      clientPorts: plan.clientPorts,
      configFiles: plan.configFiles,
      // Exactly the failures the quorum survives; one member tolerates none, but a budget of 0
      // would block every node drain forever, so a development member may be evicted.
      maxUnavailable: this.replicas === 1 ? 1 : this.tolerableFailures,
    });
    this.clientPort = plan.clientPort;
    this.headlessServiceName = set.headlessServiceName;
    this.clientServiceName = set.clientServiceName!;
    this.connectionString = plan.connectionString;
    this.selectorLabels = set.selectorLabels;
    this.statefulSet = set.statefulSet;
  }
}
