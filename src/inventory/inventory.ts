import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { buildInventory } from './build-inventory';
import { InventoryDocument } from './inventory-document';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { renderMermaid } from './render-mermaid';
import { renderText } from './render-text';
import { constructAcknowledgements } from '../guards/acknowledgements';
import { GraphInput } from '../guards/graph';
import { GuardPack } from '../guards/guard-pack';
import { runGuards } from '../guards/runner';
import { fail, subject } from '../internal/errors';
import { checkNonEmptyString } from '../internal/validate';

/** Options of an inventory. */
export interface InventoryOptions {
  /**
   * Namespace of namespaced objects that set none.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Packs of rules of your own, run next to the built-in guards: their findings are attached to
   * the objects too.
   * @default - the built-in rules only
   */
  readonly packs?: GuardPack[];
  /**
   * Title of the Markdown and HTML pages.
   * @default 'Inventory of state'
   */
  readonly title?: string;
}

/**
 * All the state of an app or a set of manifests, readable at a glance: config (ConfigMaps),
 * secrets (Secrets, by name only: never their values), data stores (StatefulSets and the
 * workloads that mount claims or host paths), file stores (shared volumes) and singletons, and for
 * each data store its chain: claim per replica → StorageClass → provisioner → reclaim policy and
 * claim retention policy → backup and snapshot schedules, with the guard findings on each object.
 *
 * It reads synthesized objects (plain JSON) only, like the guards, so an app, a chart and YAML
 * from anywhere (`cdk8s-stateful inventory dist/`) give the same inventory.
 *
 * @example
 * new StatefulDatabase(chart, 'orders', {
 *   engine: DatabaseEngine.postgres({ version: '16.4' }),
 *   replicas: 3,
 *   storage: { size: Size.gibibytes(50) },
 *   backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(100) } }),
 * });
 * const inventory = Inventory.fromChart(chart);
 * // One claim per replica, with its class, provisioner, reclaim and retention policy:
 * const text = inventory.toText();
 * // The same as JSON (docs/inventory.schema.json), Markdown, a Mermaid flowchart or one HTML page:
 * const doc = inventory.toJson();
 * const page = inventory.toHtml();
 */
export class Inventory {
  /**
   * The inventory of plain Kubernetes manifests (parsed YAML or JSON objects), all of one
   * deployment: references between them are resolved.
   * @param manifests the objects
   * @param options default namespace, rules of your own, title
   */
  public static fromManifests(manifests: { [key: string]: any }[], options: InventoryOptions = {}): Inventory {
    const who = 'Inventory.fromManifests';
    if (!Array.isArray(manifests)) fail(who, 'manifests', manifests, 'an array of Kubernetes objects (parsed YAML or JSON)');
    manifests.forEach((m, i) => {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) fail(who, `manifests[${i}]`, m, 'a Kubernetes object (a mapping with apiVersion and kind)');
    });
    return Inventory.of(who, manifests.map(manifest => ({ manifest })), options);
  }

  /**
   * The inventory of every chart of an app, as it synthesizes now (objects read with
   * `ApiObject.toJson()`; acknowledgements of the construct tree apply).
   * @param app the app
   * @param options default namespace, rules of your own, title
   */
  public static fromApp(app: App, options: InventoryOptions = {}): Inventory {
    const who = subject('Inventory.fromApp', app?.node ? app : String(app));
    if (!app?.node) fail(who, 'app', app, 'a cdk8s App');
    return Inventory.of(who, inputsOf(app.node.root), options);
  }

  /**
   * The inventory of one chart (objects read with `ApiObject.toJson()`; acknowledgements of the
   * construct tree apply). References to objects of other charts stay unresolved: use
   * `fromApp` to see them.
   * @param chart the chart
   * @param options default namespace, rules of your own, title
   */
  public static fromChart(chart: Chart, options: InventoryOptions = {}): Inventory {
    const who = subject('Inventory.fromChart', chart?.node ? chart : String(chart));
    if (!chart?.node || !Chart.isChart(chart)) fail(who, 'chart', chart, 'a cdk8s Chart');
    return Inventory.of(who, inputsOf(chart), options);
  }

  private static of(who: string, inputs: GraphInput[], options: InventoryOptions): Inventory {
    const o = options ?? {};
    const defaultNamespace = o.defaultNamespace === undefined ? 'default' : checkNonEmptyString(who, 'defaultNamespace', o.defaultNamespace);
    const title = o.title === undefined ? 'Inventory of state' : checkNonEmptyString(who, 'title', o.title);
    const rules = GuardPack._rulesOf(who, o.packs);
    const report = runGuards(inputs, { defaultNamespace, rules });
    return new Inventory(buildInventory(inputs, report, defaultNamespace), title);
  }

  /** The inventory as data (the JSON form). */
  public readonly document: InventoryDocument;
  /** Title of the Markdown and HTML pages. */
  public readonly title: string;

  private constructor(document: InventoryDocument, title: string) {
    this.document = document;
    this.title = title;
  }

  /** The inventory as text: one section per group, one line per link of each chain. */
  public toText(): string {
    return renderText(this.document);
  }

  /** The inventory as JSON data (a copy), in the schema of docs/inventory.schema.json. */
  public toJson(): InventoryDocument {
    return JSON.parse(JSON.stringify(this.document));
  }

  /** The inventory as Markdown: summary, the chain as a Mermaid block, one table per group. */
  public toMarkdown(): string {
    return renderMarkdown(this.document, this.title);
  }

  /** The chain as Mermaid flowchart source (`flowchart LR`). */
  public toMermaid(): string {
    return renderMermaid(this.document.diagram);
  }

  /** The inventory as one self-contained HTML page (no network): the chain drawn as SVG, findings beside each object. */
  public toHtml(): string {
    return renderHtml(this.document, this.title);
  }
}

/** Every object under `scope`, read as the guards read it. */
function inputsOf(scope: IConstruct): GraphInput[] {
  return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)).map(o => {
    const acknowledgements = constructAcknowledgements(o);
    return { manifest: o.toJson(), constructPath: o.node.path, ...(acknowledgements ? { acknowledgements } : {}) };
  });
}
