import { identityOf } from './object-identity';
import { GraphInput, ManifestGraph, ManifestObject, WorkloadNode } from '../graph';

/** One object in both outputs: as it was (the baseline) and as it is now. */
export interface ObjectChange {
  readonly previous: ManifestObject;
  readonly current: ManifestObject;
}

/**
 * The previous output (the baseline) against the current one, object by object. Objects are the
 * same when their API group, kind, namespace and name are (see `identityOf`); an identity defined
 * twice in one output is the last definition, as applying it would leave it.
 */
export class BaselineDiff {
  public readonly previous: ManifestGraph;
  private readonly before = new Map<string, ManifestObject>();
  private readonly after = new Map<string, ManifestObject>();
  private readonly workloads = new Map<ManifestObject, WorkloadNode>();

  constructor(public readonly current: ManifestGraph, baseline: GraphInput[]) {
    this.previous = new ManifestGraph(baseline, current.defaultNamespace);
    // An object without a name has no identity to follow (the API server refuses it anyway).
    for (const o of this.previous.objects) if (o.name !== '') this.before.set(identityOf(o), o);
    for (const o of current.objects) if (o.name !== '') this.after.set(identityOf(o), o);
    for (const w of [...this.previous.workloads, ...current.workloads]) this.workloads.set(w.obj, w);
  }

  /** Objects of a kind in both outputs. */
  public changes(kind: string): ObjectChange[] {
    const out: ObjectChange[] = [];
    for (const [id, previous] of this.before) {
      if (previous.kind !== kind) continue;
      const current = this.after.get(id);
      if (current) out.push({ previous, current });
    }
    return out;
  }

  /** Objects of a kind in the baseline that the current output no longer has. */
  public removed(kind: string): ManifestObject[] {
    return [...this.before.entries()].filter(([id, o]) => o.kind === kind && !this.after.has(id)).map(([, o]) => o);
  }

  /** The workload node of an object of either output (undefined for other kinds). */
  public workload(o: ManifestObject): WorkloadNode | undefined {
    return this.workloads.get(o);
  }
}

const DIFFS = new WeakMap<ManifestGraph, BaselineDiff>();

/** Give a run's graph the previous output to compare with (the runner does, when there is one). */
export function attachBaseline(graph: ManifestGraph, baseline: GraphInput[]): void {
  DIFFS.set(graph, new BaselineDiff(graph, baseline));
}

/** The comparison with the previous output, when the run has one. */
export function baselineOf(graph: ManifestGraph): BaselineDiff | undefined {
  return DIFFS.get(graph);
}
