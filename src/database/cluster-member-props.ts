import { Duration } from 'cdk8s';
import { AntiAffinity } from './anti-affinity';
import { ClaimRetention } from './claim-retention';
import { DatabaseResources } from './database-resources';
import { ClaimOptions } from '../storage/claim-options';

/**
 * What every member-per-pod cluster of this library takes (Cassandra rings, etcd and ZooKeeper
 * ensembles, Redis with Sentinel): a StatefulSet with one claim per member, a headless Service
 * for stable member names, and the restricted Pod Security profile.
 */
export interface ClusterMemberProps {
  /** The per-member data claim (a volumeClaimTemplate named `data`): size and class. */
  readonly storage: ClaimOptions;
  /**
   * Name of the StatefulSet and prefix of every object (at most 36 characters, so that every
   * derived name stays within Kubernetes limits).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Compute resources of the server container.
   * @default - requests 250m CPU / 512Mi memory, limit 1Gi memory (each engine may raise it; see its props)
   */
  readonly resources?: DatabaseResources;
  /**
   * Keep members off the same node. A quorum that loses two members to one node failure is
   * gone, so the default is REQUIRED (a member stays Pending when no other node is free).
   * @default AntiAffinity.REQUIRED
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * Spread members across zones (`topology.kubernetes.io/zone`, maxSkew 1, ScheduleAnyway).
   * @default false
   */
  readonly spreadAcrossZones?: boolean;
  /**
   * How long a member may take to stop cleanly (`terminationGracePeriodSeconds`), from 10
   * seconds to 1 hour.
   * @default - the engine's own default (see its props)
   */
  readonly terminationGracePeriod?: Duration;
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
}
