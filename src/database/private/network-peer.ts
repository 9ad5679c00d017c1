import { ApiObject, App, Chart } from 'cdk8s';
import { Deployment, k8s, LabelSelector, PodSelectorConfig } from 'cdk8s-plus-28';
import { fail } from '../../internal/errors';
import { isLabelKey, isLabelValue } from '../../internal/validate';
import { podTemplateOf } from '../../internal/workload-object';

/** The label every namespace carries with its own name (set by the API server). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * A NetworkPolicy peer admitting the pods a cdk8s-plus selector selects: its labels and
 * expressions, in its namespaces (an empty namespaceSelector means every namespace; names narrow it).
 */
export function renderPeer(config: PodSelectorConfig): k8s.NetworkPolicyPeer {
  const podSelector = renderLabelSelector(config.labelSelector);
  const ns = config.namespaces;
  if (!ns) return { podSelector };
  const namespaceSelector = ns.labelSelector ? renderLabelSelector(ns.labelSelector) : {};
  if (ns.names && ns.names.length > 0) {
    const byName: k8s.LabelSelectorRequirement = { key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...ns.names] };
    return { podSelector, namespaceSelector: { ...namespaceSelector, matchExpressions: [...namespaceSelector.matchExpressions ?? [], byName] } };
  }
  return { podSelector, namespaceSelector };
}

/**
 * The Kubernetes form of a cdk8s-plus LabelSelector. The class keeps its labels and expressions
 * private and renders them only internally; a workload's public `select()` and its
 * `matchLabels` / `matchExpressions` read them back, so a detached Deployment that is never
 * synthesized (it lives in an App of its own) does the reading.
 */
function renderLabelSelector(selector: LabelSelector): k8s.LabelSelector {
  const reader = new Deployment(new Chart(new App(), 'selector-reader'), 'reader', { select: false });
  reader.select(selector);
  const matchLabels = reader.matchLabels;
  const matchExpressions = reader.matchExpressions.map(e => ({ key: e.key, operator: e.operator, values: e.values }));
  return {
    matchLabels: Object.keys(matchLabels).length > 0 ? matchLabels : undefined,
    matchExpressions: matchExpressions.length > 0 ? matchExpressions : undefined,
  };
}

/**
 * A NetworkPolicy peer admitting the pods of a synthesized workload: the labels of its pod
 * template, read from the workload's own object. A workload in another namespace than the
 * database is matched by that namespace's name.
 */
export function renderWorkloadPeer(
  who: string, obj: ApiObject, chartNamespace: string | undefined, ownNamespace: string | undefined,
): k8s.NetworkPolicyPeer {
  const json = obj.toJson();
  const where = `${obj.kind} '${obj.node.path}'`;
  const labels: unknown = podTemplateOf(json)?.metadata?.labels;
  const entries = labels !== null && typeof labels === 'object' ? Object.entries(labels as Record<string, unknown>) : [];
  if (entries.length === 0) {
    fail(who, 'allowFromWorkload', where, 'a workload whose pod template carries labels (an empty selector would admit every pod)');
  }
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!isLabelKey(k) || typeof v !== 'string' || !isLabelValue(v)) fail(who, `allowFromWorkload.${k}`, v, `a label of ${where}`);
    matchLabels[k] = v;
  }
  const namespace: string | undefined = json?.metadata?.namespace ?? chartNamespace;
  if (namespace === undefined || namespace === ownNamespace) return { podSelector: { matchLabels } };
  return {
    podSelector: { matchLabels },
    namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [namespace] }] },
  };
}
