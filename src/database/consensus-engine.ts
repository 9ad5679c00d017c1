import { ConsensusInput, ConsensusPlan } from './private/consensus-plan';
import { imageRepository } from './private/database-image';
import { renderEtcd } from './private/etcd-config';
import { renderZooKeeper } from './private/zookeeper-config';
import { fail } from '../internal/errors';
import { checkOneOf } from '../internal/validate';

/**
 * What an etcd member does when its data directory is empty (`--initial-cluster-state`); a
 * member with data ignores it.
 * @see https://etcd.io/docs/v3.6/op-guide/runtime-configuration/#replace-a-failed-machine
 */
export enum EtcdClusterState {
  /** Bootstrap a new cluster from `--initial-cluster` (the first deployment). */
  NEW = 'new',
  /**
   * Join the running cluster as a member added with `etcdctl member add` (replacing a member whose
   * claim was lost, or scaling up). Safe to leave on once the cluster has formed.
   */
  EXISTING = 'existing',
}

/** Options of `ConsensusEngine.etcd`. */
export interface EtcdEngineOptions {
  /** etcd version, 3.6.0 or later, e.g. `3.6.5` (the image tag is `v3.6.5`). */
  readonly version: string;
  /**
   * Image repository, for a mirror of the upstream image (the tag is always `v<version>`).
   * @default 'quay.io/coreos/etcd'
   */
  readonly repository?: string;
  /**
   * `--initial-cluster-state` of members that start with an empty data directory.
   * @default EtcdClusterState.NEW
   */
  readonly initialClusterState?: EtcdClusterState;
}

/** Options of `ConsensusEngine.zookeeper`. */
export interface ZooKeeperEngineOptions {
  /** ZooKeeper version, 3.8.0 or later, e.g. `3.9.3` (the official `zookeeper` image tag). */
  readonly version: string;
  /**
   * Image repository, for a mirror of the official image (the tag is always `version`).
   * @default 'zookeeper'
   */
  readonly repository?: string;
}

/**
 * Which consensus system a `ConsensusCluster` runs: etcd (Raft) or ZooKeeper (Zab), each a
 * majority quorum of an odd number of members, from an image pinned to a version.
 *
 * @example
 * const gp3 = new StorageClass(chart, 'gp3', { provisioner: Provisioner.awsEbs() });
 * new ConsensusCluster(chart, 'config-store', {
 *   engine: ConsensusEngine.etcd({ version: '3.6.5' }),
 *   storage: { size: Size.gibibytes(8), storageClass: gp3 },
 * });
 * new ConsensusCluster(chart, 'coordination', {
 *   engine: ConsensusEngine.zookeeper({ version: '3.9.3' }),
 *   storage: { size: Size.gibibytes(10), storageClass: gp3 },
 * });
 */
export class ConsensusEngine {
  /**
   * etcd from the upstream release image (`quay.io/coreos/etcd:v<version>`, distroless, run as
   * uid 65532), client port 2379, peer port 2380, health and metrics on 2381.
   */
  public static etcd(options: EtcdEngineOptions): ConsensusEngine {
    const who = 'ConsensusEngine.etcd';
    const version = checkVersion(who, options?.version, 6, "an etcd version such as '3.6.5' (3.6.0 or later)");
    const image = `${imageRepository(who, options?.repository, 'quay.io/coreos/etcd')}:v${version}`;
    const state = checkOneOf(who, 'initialClusterState', options.initialClusterState ?? EtcdClusterState.NEW, Object.values(EtcdClusterState));
    return new ConsensusEngine('etcd', version, image, 2379, input => renderEtcd(input, { image, initialClusterState: state }));
  }

  /**
   * ZooKeeper from the official image (`zookeeper:<version>`, uid 1000), client port 2181,
   * quorum port 2888, election port 3888.
   */
  public static zookeeper(options: ZooKeeperEngineOptions): ConsensusEngine {
    const who = 'ConsensusEngine.zookeeper';
    const version = checkVersion(who, options?.version, 8, "a ZooKeeper version such as '3.9.3' (3.8.0 or later)");
    const image = `${imageRepository(who, options?.repository, 'zookeeper')}:${version}`;
    return new ConsensusEngine('zookeeper', version, image, 2181, input => renderZooKeeper(input, { image }));
  }

  private constructor(
    /** The engine name (`etcd`, `zookeeper`), also the `app.kubernetes.io/name` label. */
    public readonly name: string,
    /** The version. */
    public readonly version: string,
    /** The full image reference. */
    public readonly image: string,
    /** The port clients connect to. */
    public readonly clientPort: number,
    private readonly renderer: (input: ConsensusInput) => ConsensusPlan,
  ) {}

  /** @internal */
  public _render(input: ConsensusInput): ConsensusPlan {
    return this.renderer(input);
  }
}

/** `3.<minor>.<patch>`, minor at least `minMinor`: a full version, so the image is pinned. */
function checkVersion(who: string, version: unknown, minMinor: number, accepted: string): string {
  const m = typeof version === 'string' ? /^3\.(\d{1,2})\.(\d{1,2})$/.exec(version) : null;
  if (!m || Number(m[1]) < minMinor) fail(who, 'version', version, accepted);
  return version as string;
}

