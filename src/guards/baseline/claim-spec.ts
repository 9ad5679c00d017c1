import { quantityValue } from './quantity';
import { asObj, str } from '../graph';

/**
 * A claim's spec (a PersistentVolumeClaim's or a StatefulSet claim template's) in the form the
 * API server compares: the defaulted `volumeMode`, sizes as numbers, `dataSource` and
 * `dataSourceRef` mirrored into each other, `storageClassName` unset told apart from `""`.
 */
export interface ClaimSpecView {
  readonly storage: number | undefined;
  /** The size as written, for messages. */
  readonly storageText: string | undefined;
  readonly accessModes: unknown;
  /** `undefined`: unset (the default class); `''`: no class. */
  readonly storageClassName: string | undefined;
  readonly volumeMode: unknown;
  readonly volumeName: unknown;
  readonly dataSource: unknown;
  readonly dataSourceRef: unknown;
  readonly selector: unknown;
  /** `resources` but `requests.storage`, quantities as numbers. */
  readonly otherResources: unknown;
  readonly volumeAttributesClassName: unknown;
  /** Fields this view does not model, as written. */
  readonly rest: Record<string, unknown>;
}

const MODELLED = new Set(['resources', 'accessModes', 'storageClassName', 'volumeMode', 'volumeName', 'dataSource', 'dataSourceRef',
  'selector', 'volumeAttributesClassName']);

function quantities(value: unknown): Record<string, unknown> {
  const o = asObj(value) ?? {};
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, quantityValue(v) ?? v]));
}

/** Read a claim spec (any shape: wrong types become absent or stay as written). */
export function claimSpecView(spec: Record<string, any>): ClaimSpecView {
  const resources = asObj(spec.resources) ?? {};
  const requests = asObj(resources.requests) ?? {};
  const storageRaw: unknown = requests.storage;
  const { storage: _s, ...otherRequests } = requests;
  const ref = asObj(spec.dataSourceRef);
  const source = asObj(spec.dataSource);
  // The API server fills one from the other (dataSourceRef may also name a namespace).
  const refAsSource = ref && ref.namespace === undefined ? { apiGroup: ref.apiGroup, kind: ref.kind, name: ref.name } : undefined;
  return {
    storage: quantityValue(storageRaw),
    storageText: typeof storageRaw === 'string' || typeof storageRaw === 'number' ? String(storageRaw) : undefined,
    accessModes: spec.accessModes,
    storageClassName: str(spec.storageClassName),
    volumeMode: spec.volumeMode ?? 'Filesystem',
    volumeName: spec.volumeName,
    dataSource: source ?? refAsSource,
    dataSourceRef: ref ?? source,
    selector: spec.selector,
    otherResources: { ...resources, requests: quantities(otherRequests), limits: quantities(resources.limits) },
    volumeAttributesClassName: spec.volumeAttributesClassName,
    rest: Object.fromEntries(Object.entries(spec).filter(([k]) => !MODELLED.has(k))),
  };
}
