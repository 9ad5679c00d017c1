/**
 * What a consensus engine (etcd, ZooKeeper) gives `ConsensusCluster`: the engine-specific part of
 * a member set plan. The shared part (claims, Services, budget, security) is member-set.ts.
 */
import { k8s } from 'cdk8s-plus-28';
import { ResolvedMembers } from './member-set';

/** The facts the engine renderer needs about the cluster. */
export interface ConsensusInput {
  readonly members: ResolvedMembers;
  readonly replicas: number;
}

/** The engine part of the plan. */
export interface ConsensusPlan {
  /** `app.kubernetes.io/name`. */
  readonly engineName: string;
  readonly uid: number;
  readonly containers: k8s.Container[];
  readonly volumes?: k8s.Volume[];
  readonly headlessPorts: k8s.ServicePort[];
  readonly clientPorts: k8s.ServicePort[];
  readonly configFiles?: Record<string, string>;
  /** The port clients connect to. */
  readonly clientPort: number;
  /** What clients are given: etcd endpoints (`http://a:2379,...`) or a ZooKeeper connect string (`a:2181,...`). */
  readonly connectionString: string;
}

/** A named container port. */
export function port(name: string, containerPort: number): k8s.ContainerPort {
  return { name, containerPort, protocol: 'TCP' };
}

/** A named Service port targeting the container port of the same name. */
export function servicePort(name: string, number: number): k8s.ServicePort {
  return { name, port: number, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP' };
}
