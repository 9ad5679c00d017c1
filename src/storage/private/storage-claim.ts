import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { renderClaimSpec } from './claim-spec';
import { checkDnsSubdomain } from '../../internal/validate';
import { AccessMode } from '../access-mode';
import { ClaimOptions } from '../claim-options';

/** Render (checked by renderClaimSpec) and emit a PersistentVolumeClaim as an ApiObject with JSON we control. */
export function createClaim(scope: Construct, who: string, options: ClaimOptions & { readonly name?: string },
  defaultAccessModes: AccessMode[], annotations: Record<string, string> = {}): ApiObject {
  const name = options.name === undefined ? undefined : checkDnsSubdomain(who, 'name', options.name);
  const spec = renderClaimSpec(who, options, defaultAccessModes);
  return new ApiObject(scope, 'Resource', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      ...(name ? { name } : {}),
      ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
    },
    spec,
  });
}
