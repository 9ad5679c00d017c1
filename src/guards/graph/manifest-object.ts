import { asObj, arr, str, stringMap } from './json';
import { GuardResource } from '../finding';

/** One input object and what the app knows about it. */
export interface GraphInput {
  readonly manifest: Record<string, any>;
  /** Path of the construct that synthesized it. */
  readonly constructPath?: string;
  /** Acknowledgements from the construct tree (rule id → reason). */
  readonly acknowledgements?: ReadonlyMap<string, string>;
}

const CLUSTER_SCOPED = new Set([
  'StorageClass', 'PersistentVolume', 'Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'VolumeSnapshotClass', 'VolumeSnapshotContent', 'CSIDriver', 'CSINode', 'PriorityClass', 'IngressClass', 'RuntimeClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'VolumeAttachment',
]);

/** A manifest of the input with its identity. */
export class ManifestObject {
  public readonly kind: string;
  public readonly apiVersion: string;
  public readonly name: string;
  public readonly namespace: string | undefined;
  public readonly spec: Record<string, any>;
  private readonly meta: Record<string, any>;
  private _labels?: Record<string, string>;
  private _annotations?: Record<string, string>;
  constructor(public readonly raw: Record<string, any>, public readonly index: number, defaultNamespace: string,
    public readonly constructPath?: string, public readonly acknowledgements?: ReadonlyMap<string, string>) {
    this.kind = str(raw.kind) ?? '';
    this.apiVersion = str(raw.apiVersion) ?? '';
    const meta = asObj(raw.metadata) ?? {};
    this.name = str(meta.name) ?? '';
    this.namespace = CLUSTER_SCOPED.has(this.kind) ? undefined : (str(meta.namespace) || defaultNamespace);
    this.meta = meta;
    this.spec = asObj(raw.spec) ?? {};
  }

  /** String labels (read on first use). */
  public get labels(): Record<string, string> {
    return this._labels ??= stringMap(this.meta.labels);
  }
  /** String annotations (read on first use). */
  public get annotations(): Record<string, string> {
    return this._annotations ??= stringMap(this.meta.annotations);
  }

  /** `Deployment default/web` or `StorageClass fast`. */
  public get display(): string {
    return `${this.kind} ${this.namespace ? `${this.namespace}/` : ''}${this.name}`;
  }

  public get ref(): GuardResource {
    return { apiVersion: this.apiVersion, kind: this.kind, name: this.name, namespace: this.namespace, constructPath: this.constructPath };
  }

  /** Identity (kind, namespace, name). */
  public get key(): string {
    return `${this.kind}|${this.namespace ?? ''}|${this.name}`;
  }
}

/** A label selector as Kubernetes evaluates it. */
export class Selector {
  /** `undefined`/null selects nothing; `{}` selects everything. */
  public static of(value: unknown): Selector | undefined {
    const o = asObj(value);
    if (!o) return undefined;
    const expressions = arr(o.matchExpressions).map(e => asObj(e)).filter((e): e is Record<string, any> => !!e);
    return new Selector(stringMap(o.matchLabels), expressions);
  }
  private constructor(public readonly matchLabels: Record<string, string>, public readonly matchExpressions: Record<string, any>[]) {}

  public matches(labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries(this.matchLabels)) if (labels[k] !== v) return false;
    for (const e of this.matchExpressions) {
      const key = String(e.key);
      const values = arr(e.values).map(String);
      const has = Object.prototype.hasOwnProperty.call(labels, key);
      switch (e.operator) {
        case 'In': if (!has || !values.includes(labels[key])) return false; break;
        case 'NotIn': if (has && values.includes(labels[key])) return false; break;
        case 'Exists': if (!has) return false; break;
        case 'DoesNotExist': if (has) return false; break;
        default: return false;
      }
    }
    return true;
  }
}
