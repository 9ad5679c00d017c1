import { ApiObject, Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterMemberProps } from './cluster-member-props';
import { CASSANDRA_CQL_PORT, CASSANDRA_LOGBACK_XML, CASSANDRA_STORAGE_PORT, CASSANDRA_UID, cassandraContainer, cassandraYaml, CassandraSettings, heapMib, rackdcProperties, seedHosts } from './private/cassandra-config';
import { imageRepository } from './private/database-image';
import { checkMemberCount, renderMemberSet, resolveMemberProps } from './private/member-set';
import { fail, subject } from '../internal/errors';
import { markLibraryConstruct } from '../internal/library-marker';
import { checkInteger, checkNonEmptyString } from '../internal/validate';

/** Props of `CassandraRing`. */
export interface CassandraRingProps extends ClusterMemberProps {
  /** Cassandra version, 5.0.0 or later, e.g. `5.0.4` (the official `cassandra` image tag: pinned, never `latest`). */
  readonly version: string;
  /**
   * Image repository, for a mirror of the official image (the tag is always `version`).
   * @default 'cassandra'
   */
  readonly repository?: string;
  /**
   * Number of members (1 for development), any count: Cassandra's QUORUM is per replica set
   * (floor(RF / 2) + 1 of the `replicationFactor` copies of each row), not a majority of the
   * members, so 4 or 6 members are as sound as 3 or 5.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * The replication factor the keyspaces of this ring are created with (Cassandra does not set it:
   * `CREATE KEYSPACE ... {'class': 'NetworkTopologyStrategy', '<datacenter>': RF}`). It sizes the
   * disruption budget and the token allocator (`allocate_tokens_for_local_replication_factor`).
   * At most `replicas`.
   * @default - 3, or `replicas` when fewer
   */
  readonly replicationFactor?: number;
  /**
   * `cluster_name`: members of different clusters refuse to gossip with each other. It cannot
   * change once the ring has data.
   * @default - the name
   */
  readonly clusterName?: string;
  /**
   * The datacenter of every member (`dc` of cassandra-rackdc.properties, read by
   * GossipingPropertyFileSnitch). A pod cannot read its node's labels (such as
   * `topology.kubernetes.io/region`) without API access, so it is declared here.
   * @default 'dc1'
   */
  readonly datacenter?: string;
  /**
   * The rack of every member (`rack` of cassandra-rackdc.properties). One StatefulSet has one pod
   * template, so every member has the same rack; a ring per zone (one rack each) is how racks map
   * to zones.
   * @default 'rack1'
   */
  readonly rack?: string;
  /**
   * `num_tokens`: token ranges per member. 16 is Cassandra 4.0+'s default, with the token allocator.
   * @default 16
   */
  readonly numTokens?: number;
}

/**
 * A Cassandra ring as a StatefulSet: peers without a primary, each owning token ranges, seeds
 * (the first min(3, replicas) members) found through the headless Service `<name>-headless`,
 * GossipingPropertyFileSnitch with a declared datacenter and rack, a disruption budget that keeps
 * a QUORUM of the declared replication factor, `nodetool drain` before SIGTERM, a heap sized from
 * the memory limit, and the restricted Pod Security profile (the official image as uid 999).
 *
 * It is a sibling of `StatefulDatabase`, not a `DatabaseEngine`: a ring has no primary to fail
 * over, no replication user to provision and no logical dump to schedule (back it up with
 * `nodetool snapshot` or volume snapshots of every member's claim).
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * const ring = new CassandraRing(chart, 'events', {
 *   version: '5.0.4',
 *   replicas: 3,
 *   replicationFactor: 3,
 *   datacenter: 'eu-west-1',
 *   storage: { size: Size.gibibytes(100), storageClass: gp3 },
 * });
 * // Clients connect to ring.contactPoints (or the Service ring.clientServiceName), port 9042.
 */
export class CassandraRing extends Construct {
  /** Name of the StatefulSet (and prefix of every object). */
  public readonly name: string;
  /** The Cassandra version. */
  public readonly version: string;
  /** The image. */
  public readonly image: string;
  /** Number of members. */
  public readonly replicas: number;
  /** The declared replication factor. */
  public readonly replicationFactor: number;
  /** Replicas a QUORUM of the replication factor needs: floor(RF / 2) + 1. */
  public readonly quorum: number;
  /** Members the disruption budget lets a drain take down at once. */
  public readonly maxUnavailable: number;
  /** `cluster_name`. */
  public readonly clusterName: string;
  /** The datacenter of the members (use it in `NetworkTopologyStrategy`). */
  public readonly datacenter: string;
  /** The rack of the members. */
  public readonly rack: string;
  /** The seeds, by their stable names (`<name>-<i>.<name>-headless`). */
  public readonly seeds: string[];
  /** The Java heap of each member, in MiB (half the memory limit, at most 8 GiB). */
  public readonly heapMib: number;
  /** The CQL port (9042). */
  public readonly cqlPort: number;
  /** What drivers are given: every member by its stable name, comma separated (`<name>-0.<name>-headless,...`). */
  public readonly contactPoints: string;
  /** The governing headless Service (`<name>-headless`). */
  public readonly headlessServiceName: string;
  /** The client Service over the Ready members (`<name>`, CQL). */
  public readonly clientServiceName: string;
  /** The labels that select the members. */
  public readonly selectorLabels: Record<string, string>;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;

  constructor(scope: Construct, id: string, props: CassandraRingProps) {
    super(scope, id);
    markLibraryConstruct(this);
    const who = subject('CassandraRing', this);
    if (!props || typeof props !== 'object') fail(who, 'props', props, 'an object with version and storage');
    const m = typeof props.version === 'string' ? /^(\d{1,2})\.(\d{1,2})\.(\d{1,2})$/.exec(props.version) : null;
    if (!m || Number(m[1]) < 5) fail(who, 'version', props.version, "a Cassandra version such as '5.0.4' (5.0.0 or later, a pinned tag of the official image)");
    this.version = props.version;
    this.image = `${imageRepository(who, props.repository, 'cassandra')}:${this.version}`;
    this.replicas = checkMemberCount(who, props.replicas ?? 3, { odd: false, min: 1, max: 99, engine: 'cassandra' });
    this.replicationFactor = checkInteger(who, 'replicationFactor', props.replicationFactor ?? Math.min(3, this.replicas), 1, 99);
    if (this.replicationFactor > this.replicas) {
      fail(who, 'replicationFactor', this.replicationFactor, `at most replicas (${this.replicas}): each member holds at most one copy of a row`);
    }
    this.quorum = Math.floor(this.replicationFactor / 2) + 1;
    // A QUORUM of each replica set survives RF - quorum members down. RF 1 or 2 survives none,
    // but a budget of 0 blocks every node drain forever: 1, and such a ring is not available
    // through a drain at QUORUM (RF 2 still answers ONE).
    this.maxUnavailable = Math.max(1, this.replicationFactor - this.quorum);
    const members = resolveMemberProps(who, id, props, {
      cpu: Cpu.millis(500),
      memory: Size.gibibytes(2),
      memoryLimit: Size.gibibytes(4),
      // `nodetool drain` flushes every memtable to disk: minutes on a busy member.
      terminationGracePeriod: Duration.seconds(300),
    });
    if (members.memoryLimitMib < 1024) {
      fail(who, 'resources.memoryLimit', members.limits.memory, 'at least 1Gi (a heap of 512 MiB, half the limit, is the smallest that runs Cassandra)');
    }
    this.name = members.name;
    this.clusterName = text(who, 'clusterName', props.clusterName ?? this.name, /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,47}$/, 'letters, digits, space, dot, underscore and dash, at most 48 characters');
    this.datacenter = text(who, 'datacenter', props.datacenter ?? 'dc1', /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/, 'letters, digits, dot, underscore and dash, at most 48 characters');
    this.rack = text(who, 'rack', props.rack ?? 'rack1', /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/, 'letters, digits, dot, underscore and dash, at most 48 characters');
    const numTokens = checkInteger(who, 'numTokens', props.numTokens ?? 16, 1, 256);
    this.seeds = seedHosts(this.name, this.replicas);
    this.heapMib = heapMib(members.memoryLimitMib);
    this.cqlPort = CASSANDRA_CQL_PORT;

    const settings: CassandraSettings = {
      members,
      replicas: this.replicas,
      image: this.image,
      clusterName: this.clusterName,
      datacenter: this.datacenter,
      rack: this.rack,
      numTokens,
      replicationFactor: this.replicationFactor,
    };
    const headless = `${this.name}-headless`;
    const servicePort = (name: string, number: number): k8s.ServicePort => ({ name, port: number, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP' });
    const set = renderMemberSet(this, {
      members,
      engineName: 'cassandra',
      component: 'database',
      replicas: this.replicas,
      // OrderedReady: a member that joins a ring with data bootstraps (streams its ranges), and
      // Cassandra refuses two bootstraps at once ("Other bootstrapping/leaving/moving nodes
      // detected"). A member is Ready once it has joined, which needs no quorum, so member 0 (a
      // seed) comes up alone and the next starts only after it.
      podManagementPolicy: 'OrderedReady',
      uid: CASSANDRA_UID,
      containers: [cassandraContainer(settings, headless)],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
        // gc.log: 10 files of 10 MB (cassandra-env.sh).
        { name: 'logs', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
      ],
      headlessPorts: [servicePort('cql', CASSANDRA_CQL_PORT), servicePort('intra-node', CASSANDRA_STORAGE_PORT)],
      clientPorts: [servicePort('cql', CASSANDRA_CQL_PORT)],
      configFiles: {
        'cassandra.yaml': cassandraYaml(settings),
        'cassandra-rackdc.properties': rackdcProperties(this.datacenter, this.rack),
        'logback.xml': CASSANDRA_LOGBACK_XML,
      },
      maxUnavailable: this.maxUnavailable,
    });
    this.headlessServiceName = set.headlessServiceName;
    this.clientServiceName = set.clientServiceName!;
    this.contactPoints = Array.from({ length: this.replicas }, (_, i) => `${this.name}-${i}.${headless}`).join(',');
    this.selectorLabels = set.selectorLabels;
    this.statefulSet = set.statefulSet;
  }
}

function text(who: string, property: string, value: unknown, pattern: RegExp, accepted: string): string {
  const s = checkNonEmptyString(who, property, value);
  if (!pattern.test(s)) fail(who, property, s, accepted);
  return s;
}

