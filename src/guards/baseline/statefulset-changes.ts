import { claimSpecView, ClaimSpecView } from './claim-spec';
import { changedKeys, sameValue, shown } from './json-compare';
import { asObj, arr, ManifestObject, str } from '../graph';

/** Spec fields of a StatefulSet the API server lets an update change. */
export const MUTABLE_STATEFULSET_FIELDS: ReadonlySet<string> = new Set([
  'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds',
]);

/** What changed in one claim template, by kind of migration it needs. */
export interface TemplateChange {
  readonly name: string;
  /** Sizes when the size changed. */
  readonly grown?: { readonly from: string; readonly to: string };
  readonly shrunk?: { readonly from: string; readonly to: string };
  /** Storage fields only a migration of the data can change (class, access modes, volume mode, source...). */
  readonly storage: string[];
  /** Metadata and other fields that a re-created StatefulSet takes as they are. */
  readonly other: string[];
}

/** The immutable spec fields a StatefulSet changes between two versions (its selector excepted: SU003). */
export interface StatefulSetChanges {
  /** One phrase per changed field, for the message. */
  readonly phrases: string[];
  readonly templates: TemplateChange[];
  /** Templates added or removed (a template list of another length). */
  readonly templatesAddedOrRemoved: boolean;
  /** Changed spec fields outside the claim templates (serviceName, podManagementPolicy, ...). */
  readonly fields: string[];
}

const CLAIM_FIELDS: Array<[keyof ClaimSpecView, string]> = [
  ['storageClassName', 'storageClassName'], ['accessModes', 'accessModes'], ['volumeMode', 'volumeMode'], ['volumeName', 'volumeName'],
  ['dataSource', 'dataSource'], ['dataSourceRef', 'dataSourceRef'], ['selector', 'selector'], ['otherResources', 'resources (other than requests.storage)'],
  ['volumeAttributesClassName', 'volumeAttributesClassName'], ['rest', 'other fields'],
];

function templateName(t: unknown): string {
  return str(asObj(asObj(t)?.metadata)?.name) ?? '(unnamed)';
}

function compareTemplates(a: unknown, b: unknown, index: number): TemplateChange | undefined {
  const ta = asObj(a) ?? {};
  const tb = asObj(b) ?? {};
  const name = templateName(tb);
  const va = claimSpecView(asObj(ta.spec) ?? {});
  const vb = claimSpecView(asObj(tb.spec) ?? {});
  const storage: string[] = [];
  const other: string[] = [];
  const at = `volumeClaimTemplates[${index}]`;
  if (templateName(ta) !== name) other.push(`${at}.metadata.name ${shown(templateName(ta))} → ${shown(name)}`);
  const ma = asObj(ta.metadata) ?? {};
  const mb = asObj(tb.metadata) ?? {};
  for (const key of changedKeys(ma, mb, new Set(['name', 'creationTimestamp', 'namespace']))) other.push(`${at}.metadata.${key} ${shown(ma[key])} → ${shown(mb[key])}`);
  for (const [field, label] of CLAIM_FIELDS) {
    const x = va[field];
    const y = vb[field];
    // An unset class (the cluster's default) and '' (no class) are different values.
    const same = field === 'storageClassName' ? x === y : sameValue(x, y);
    if (!same) storage.push(`${at} '${name}' ${label} ${shown(x)} → ${shown(y)}`);
  }
  let grown: TemplateChange['grown'];
  let shrunk: TemplateChange['shrunk'];
  if (va.storage !== vb.storage && !(va.storage === undefined && vb.storage === undefined)) {
    const sizes = { from: va.storageText ?? '(unset)', to: vb.storageText ?? '(unset)' };
    if (va.storage !== undefined && vb.storage !== undefined && vb.storage > va.storage) grown = sizes;
    else if (va.storage !== undefined && vb.storage !== undefined) shrunk = sizes;
    else storage.push(`${at} '${name}' resources.requests.storage ${sizes.from} → ${sizes.to}`);
  }
  if (!grown && !shrunk && storage.length === 0 && other.length === 0) return undefined;
  return { name, grown, shrunk, storage, other };
}

/** The immutable fields of a StatefulSet's spec that differ, or undefined when none does. */
export function statefulSetChanges(previous: ManifestObject, current: ManifestObject): StatefulSetChanges | undefined {
  const a = previous.spec;
  const b = current.spec;
  const phrases: string[] = [];
  const fields: string[] = [];
  const ignored = new Set([...MUTABLE_STATEFULSET_FIELDS, 'selector', 'volumeClaimTemplates', 'podManagementPolicy']);
  // The API server defaults podManagementPolicy to OrderedReady: unset and OrderedReady are one value.
  const policy = (s: Record<string, any>) => s.podManagementPolicy ?? 'OrderedReady';
  if (!sameValue(policy(a), policy(b))) {
    fields.push('podManagementPolicy');
    phrases.push(`podManagementPolicy ${shown(policy(a))} → ${shown(policy(b))}`);
  }
  for (const key of changedKeys(a, b, ignored)) {
    fields.push(key);
    phrases.push(`${key} ${shown(a[key])} → ${shown(b[key])}`);
  }
  const ta = arr(a.volumeClaimTemplates);
  const tb = arr(b.volumeClaimTemplates);
  const templates: TemplateChange[] = [];
  const templatesAddedOrRemoved = ta.length !== tb.length;
  if (templatesAddedOrRemoved) {
    phrases.push(`volumeClaimTemplates [${ta.map(templateName).join(', ')}] → [${tb.map(templateName).join(', ')}]`);
  } else {
    tb.forEach((t, i) => {
      const change = compareTemplates(ta[i], t, i);
      if (!change) return;
      templates.push(change);
      if (change.grown) phrases.push(`volumeClaimTemplates[${i}] '${change.name}' storage ${change.grown.from} → ${change.grown.to}`);
      if (change.shrunk) phrases.push(`volumeClaimTemplates[${i}] '${change.name}' storage ${change.shrunk.from} → ${change.shrunk.to}`);
      phrases.push(...change.storage, ...change.other);
    });
  }
  if (phrases.length === 0) return undefined;
  return { phrases, templates, templatesAddedOrRemoved, fields };
}

/** The claims a StatefulSet made from a template: `<template>-<name>-<ordinal>`, for its replicas. */
export function generatedClaimNames(sts: ManifestObject, template: string): string[] {
  const replicas = typeof sts.spec.replicas === 'number' && sts.spec.replicas >= 0 ? Math.floor(sts.spec.replicas) : 1;
  const startRaw = asObj(sts.spec.ordinals)?.start;
  const start = typeof startRaw === 'number' && startRaw >= 0 ? Math.floor(startRaw) : 0;
  return Array.from({ length: Math.min(replicas, 1000) }, (_, i) => `${template}-${sts.name}-${start + i}`);
}
