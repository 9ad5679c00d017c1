import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderClaimSpec } from './claim-spec';
import * as kube from '../../internal/kube-objects';
import { checkDnsSubdomain } from '../../internal/validate';
import { AccessMode } from '../access-mode';
import { ClaimOptions } from '../claim-options';

/** Render (checked by renderClaimSpec) and emit a PersistentVolumeClaim as a typed L1 object. */
export function createClaim(scope: Construct, who: string, options: ClaimOptions & { readonly name?: string },
  defaultAccessModes: AccessMode[], annotations: Record<string, string> = {}): k8s.KubePersistentVolumeClaim {
  const name = options.name === undefined ? undefined : checkDnsSubdomain(who, 'name', options.name);
  return new kube.KubePersistentVolumeClaim(scope, 'Resource', {
    metadata: {
      ...(name ? { name } : {}),
      ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
    },
    spec: toKubeClaimSpec(renderClaimSpec(who, options, defaultAccessModes)),
  });
}

/**
 * The typed form of a spec made by renderClaimSpec (the plain JSON StatefulSet claim templates
 * embed), field by field: an L1 object silently drops what it does not know, such as a quantity
 * as a string.
 */
export function toKubeClaimSpec(spec: Record<string, any>): k8s.PersistentVolumeClaimSpec {
  const source = spec.dataSource;
  return {
    accessModes: [...spec.accessModes],
    resources: { requests: { storage: k8s.Quantity.fromString(spec.resources.requests.storage) } },
    volumeMode: spec.volumeMode,
    ...(spec.storageClassName !== undefined ? { storageClassName: spec.storageClassName } : {}),
    ...(source ? { dataSource: { kind: source.kind, name: source.name, ...(source.apiGroup ? { apiGroup: source.apiGroup } : {}) } } : {}),
  };
}
