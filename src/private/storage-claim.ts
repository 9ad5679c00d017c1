import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { renderClaimSpec } from './claim-spec';
import { fail } from './errors';
import { checkDnsSubdomain } from './validate';
import { AccessMode } from '../storage/access-mode';
import { ClaimDataSource } from '../storage/claim-data-source';
import { ClaimOptions } from '../storage/claim-options';
import { Provisioner } from '../storage/provisioner';

/**
 * Checks on claim options that renderClaimSpec does not make: the class and data source are
 * the right kinds of object, and a snapshot restore goes to a class whose provisioner can
 * restore snapshots.
 */
export function checkClaimOptions(who: string, options: ClaimOptions): void {
  const sc = options.storageClass as any;
  if (sc !== undefined) {
    if (sc === null || typeof sc !== 'object' || typeof sc.storageClassName !== 'string') {
      fail(who, 'storageClass', sc, 'a StorageClass or StorageClass.fromName(...)');
    }
    checkDnsSubdomain(who, 'storageClass.storageClassName', sc.storageClassName);
    if (sc.provisioner !== undefined && !(sc.provisioner instanceof Provisioner)) {
      fail(who, 'storageClass.provisioner', sc.provisioner, 'a Provisioner or undefined');
    }
  }
  const source = options.dataSource as any;
  if (source !== undefined && !(source instanceof ClaimDataSource)) {
    fail(who, 'dataSource', source, 'a ClaimDataSource such as ClaimDataSource.fromSnapshot(name)');
  }
  const provisioner: Provisioner | undefined = sc?.provisioner;
  if (source?.kind === 'VolumeSnapshot' && provisioner && !provisioner.capabilities.snapshots) {
    fail(who, 'dataSource', `VolumeSnapshot/${source.name}`,
      `a claim source that provisioner ${provisioner.name} supports: it cannot restore snapshots, so restore into a class whose provisioner can`);
  }
}

/** Check, render and emit a PersistentVolumeClaim as an ApiObject with JSON we control. */
export function createClaim(scope: Construct, who: string, options: ClaimOptions & { readonly name?: string },
  defaultAccessModes: AccessMode[], annotations: Record<string, string> = {}): ApiObject {
  const name = options.name === undefined ? undefined : checkDnsSubdomain(who, 'name', options.name);
  checkClaimOptions(who, options);
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
