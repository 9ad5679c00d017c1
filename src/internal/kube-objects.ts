import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * The typed cdk8s-plus-28 L1 classes the constructs emit, with one difference: JSON patches added
 * with `addJsonPatch` (the escape hatch users reach for) are applied to the final JSON.
 *
 * A cdk8s-plus-28 L1 object applies patches first and then re-serializes the result through its
 * typed `toJson_*` functions, which drop every key they do not know: a patch naming a field the
 * Kubernetes way (`hostIPC`, where the L1 prop is `hostIpc`) or a field newer than the 1.28 types
 * would vanish silently. Here the patches wait until the typed JSON exists.
 */
type KubeClass<P> = new (scope: Construct, id: string, props: P) => ApiObject;

function patchesLast<P>(Base: KubeClass<P>): KubeClass<P> {
  return class extends (Base as new (scope: Construct, id: string, props: P) => ApiObject) {
    private readonly latePatches: JsonPatch[] = [];

    public addJsonPatch(...ops: JsonPatch[]): void {
      this.latePatches.push(...ops);
    }

    public toJson(): any {
      const json = super.toJson();
      return this.latePatches.length ? JsonPatch.apply(json, ...this.latePatches) : json;
    }
  };
}

export const KubeClusterRole = patchesLast<k8s.KubeClusterRoleProps>(k8s.KubeClusterRole);
export const KubeClusterRoleBinding = patchesLast<k8s.KubeClusterRoleBindingProps>(k8s.KubeClusterRoleBinding);
export const KubeConfigMap = patchesLast<k8s.KubeConfigMapProps>(k8s.KubeConfigMap);
export const KubeCronJob = patchesLast<k8s.KubeCronJobProps>(k8s.KubeCronJob);
export const KubeDaemonSet = patchesLast<k8s.KubeDaemonSetProps>(k8s.KubeDaemonSet);
export const KubeNamespace = patchesLast<k8s.KubeNamespaceProps>(k8s.KubeNamespace);
export const KubeNetworkPolicy = patchesLast<k8s.KubeNetworkPolicyProps>(k8s.KubeNetworkPolicy);
export const KubePersistentVolume = patchesLast<k8s.KubePersistentVolumeProps>(k8s.KubePersistentVolume);
export const KubePersistentVolumeClaim = patchesLast<k8s.KubePersistentVolumeClaimProps>(k8s.KubePersistentVolumeClaim);
export const KubePodDisruptionBudget = patchesLast<k8s.KubePodDisruptionBudgetProps>(k8s.KubePodDisruptionBudget);
export const KubeRole = patchesLast<k8s.KubeRoleProps>(k8s.KubeRole);
export const KubeRoleBinding = patchesLast<k8s.KubeRoleBindingProps>(k8s.KubeRoleBinding);
export const KubeSecret = patchesLast<k8s.KubeSecretProps>(k8s.KubeSecret);
export const KubeService = patchesLast<k8s.KubeServiceProps>(k8s.KubeService);
export const KubeServiceAccount = patchesLast<k8s.KubeServiceAccountProps>(k8s.KubeServiceAccount);
export const KubeStatefulSet = patchesLast<k8s.KubeStatefulSetProps>(k8s.KubeStatefulSet);
export const KubeStorageClass = patchesLast<k8s.KubeStorageClassProps>(k8s.KubeStorageClass);

/**
 * Kubernetes quantities from their string forms (`250m`, `512Mi`): an L1 object keeps only a
 * k8s.Quantity where the API takes a quantity, and silently drops the string form.
 */
export function quantities(values: Record<string, string>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
}
