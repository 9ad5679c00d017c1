import { Size, SizeRoundingBehavior } from 'cdk8s';
import { fail } from '../../internal/errors';
import { checkDnsSubdomain, checkOneOf } from '../../internal/validate';
import { AccessMode, VolumeMode } from '../access-mode';
import { ClaimDataSource } from '../claim-data-source';
import { ClaimOptions } from '../claim-options';
import { Provisioner } from '../provisioner';
import { isStorageClassShape } from './storage-class-shape';

/** Render a Size as the Kubernetes quantity with the largest whole binary unit. */
export function renderSize(subjectText: string, property: string, size: Size): string {
  if (!(size instanceof Size)) fail(subjectText, property, size, 'a cdk8s Size such as Size.gibibytes(10)');
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isFinite(kib) || kib < 1) fail(subjectText, property, `${kib} KiB`, 'at least 1 KiB');
  if (!Number.isInteger(kib)) fail(subjectText, property, `${kib} KiB`, 'a whole number of KiB');
  // 2^53 KiB is 8 EiB, the most bytes a Kubernetes quantity holds as an integer (int64); beyond it
  // the number would also render in exponent form, which the API server refuses.
  if (kib >= 2 ** 53) fail(subjectText, property, `${kib / 2 ** 40} PiB`, 'at most 8 EiB (8192 PiB)');
  for (const [unit, factor] of [['Ti', 1024 ** 3], ['Gi', 1024 ** 2], ['Mi', 1024]] as const) {
    if (kib % factor === 0) return `${kib / factor}${unit}`;
  }
  return `${kib}Ki`;
}

/**
 * The `spec` of a PersistentVolumeClaim (or claim template) as plain JSON, checked against the
 * provisioner's capabilities when the class knows its provisioner. `at` prefixes the property paths
 * of errors (`storage.` for a database's claims): messages name the prop as the user wrote it.
 */
export function renderClaimSpec(subjectText: string, options: ClaimOptions, defaultAccessModes: AccessMode[], at = ''): Record<string, any> {
  if (!options) fail(subjectText, at ? at.slice(0, -1) : 'storage', options, 'claim options with at least a size');
  checkClaimOptions(subjectText, options, at);
  const accessModes = options.accessModes ?? defaultAccessModes;
  if (!Array.isArray(accessModes) || accessModes.length === 0) fail(subjectText, `${at}accessModes`, accessModes, 'a non-empty list of access modes');
  accessModes.forEach(m => checkOneOf(subjectText, `${at}accessModes`, m, Object.values(AccessMode)));
  if (new Set(accessModes).size !== accessModes.length) fail(subjectText, `${at}accessModes`, accessModes, 'a list without duplicates');
  // The API server refuses ReadWriteOncePod combined with any other mode.
  if (accessModes.includes(AccessMode.READ_WRITE_ONCE_POD) && accessModes.length > 1) {
    fail(subjectText, `${at}accessModes`, accessModes, 'ReadWriteOncePod alone (it cannot be combined with other modes)');
  }
  const volumeMode = checkOneOf(subjectText, `${at}volumeMode`, options.volumeMode ?? VolumeMode.FILESYSTEM, Object.values(VolumeMode));
  const provisioner = options.storageClass?.provisioner;
  if (provisioner) {
    for (const mode of accessModes) {
      if (!provisioner.supports(mode, volumeMode)) {
        const served = provisioner.accessModes(volumeMode);
        fail(subjectText, `${at}accessModes`, mode,
          `one that provisioner ${provisioner.name} serves in ${volumeMode} mode (${served.length ? served.join(', ') : 'none'})`);
      }
    }
  }
  const spec: Record<string, any> = {
    accessModes: [...accessModes],
    resources: { requests: { storage: renderSize(subjectText, `${at}size`, options.size) } },
    volumeMode,
  };
  if (options.storageClass) spec.storageClassName = options.storageClass.storageClassName;
  if (options.dataSource) {
    const source = options.dataSource;
    spec.dataSource = { kind: source.kind, name: source.name, ...(source.apiGroup ? { apiGroup: source.apiGroup } : {}) };
  }
  return spec;
}

/**
 * Throws unless a rendered claim spec is a filesystem: claims the library mounts into its own
 * containers with volumeMounts (a raw Block device would need volumeDevices and a program that
 * writes to a device, which no database image does).
 */
export function requireFilesystem(subjectText: string, property: string, spec: Record<string, any>): void {
  if (spec.volumeMode !== VolumeMode.FILESYSTEM) {
    fail(subjectText, property, spec.volumeMode, 'Filesystem (the claim is mounted as a directory; a Block device has no files to write)');
  }
}

/**
 * The class and data source are the right kinds of object (callers from other jsii languages
 * or untyped code can pass anything), and a snapshot restore goes to a class whose provisioner
 * can restore snapshots.
 */
function checkClaimOptions(who: string, options: ClaimOptions, at: string): void {
  const sc: unknown = options.storageClass;
  let provisioner: Provisioner | undefined;
  if (sc !== undefined) {
    if (!isStorageClassShape(sc)) {
      fail(who, `${at}storageClass`, sc, 'a StorageClass or StorageClass.fromName(...)');
    }
    checkDnsSubdomain(who, `${at}storageClass.storageClassName`, sc.storageClassName);
    if (sc.provisioner !== undefined && !(sc.provisioner instanceof Provisioner)) {
      fail(who, `${at}storageClass.provisioner`, sc.provisioner, 'a Provisioner or undefined');
    }
    provisioner = sc.provisioner;
  }
  const source: unknown = options.dataSource;
  if (source !== undefined && !(source instanceof ClaimDataSource)) {
    fail(who, `${at}dataSource`, source, 'a ClaimDataSource such as ClaimDataSource.fromSnapshot(name)');
  }
  if (source?.kind === 'VolumeSnapshot' && provisioner && !provisioner.capabilities.snapshots) {
    fail(who, `${at}dataSource`, `VolumeSnapshot/${source.name}`,
      `a claim source that provisioner ${provisioner.name} supports: it cannot restore snapshots, so restore into a class whose provisioner can`);
  }
}
