import { App, Chart } from 'cdk8s';
import { Deployment, k8s, LabelSelector, PodSelectorConfig } from 'cdk8s-plus-28';

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
