import { k8s } from 'cdk8s-plus-28';

// The typed L1 classes (k8s.Kube*) re-serialize their props and keep only typed values: a quantity
// must be a k8s.Quantity there, never its string form, or it is silently dropped.

/** Kubernetes quantities from their string forms (`250m`, `512Mi`). */
export function quantities(values: Record<string, string>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
}
