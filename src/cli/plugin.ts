/**
 * The guards as a cdk8s-cli validation plugin (`validations:` in cdk8s.yaml): after `cdk8s synth`,
 * they read every manifest the app wrote, whatever language the app is written in and whatever
 * made the objects (plain YAML includes, charts without a construct of this library, Helm).
 * `cdk8s-stateful/cdk8s-plugin`; internal to the npm package: not part of the jsii API.
 *
 * The contract is cdk8s-cli's `Validation` (src/plugins/validation.ts of cdk8s-team/cdk8s-cli):
 * cdk8s-cli constructs the class with the entry's `properties`, calls `validate(context)`, and
 * reads the report, which must be submitted. The types below are the parts of it this plugin
 * uses, declared here so the package needs no cdk8s-cli at run time.
 */
import * as nodeFs from 'fs';
import { SourceIndex, SourceLocation } from './render';
import { ACK_ANNOTATION } from '../guards/acknowledgements';
import { dropControlled, InputError, LoadedManifest, parseManifests } from '../guards/files/manifest-files';
import { GuardFinding, GuardSeverity } from '../guards/finding';
import { Guards } from '../guards/guards';
import { fail } from '../internal/errors';

/** A resource violating a rule (cdk8s-cli `ValidationViolatingResource`). */
export interface ValidationViolatingResource {
  /** `metadata.name`: cdk8s-cli looks its construct path up by it. */
  readonly resourceName: string;
  readonly locations: string[];
  readonly manifestPath: string;
}

/** One violation (cdk8s-cli `ValidationViolation`). */
export interface ValidationViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: ValidationViolatingResource[];
}

/** What `validate` is given (the parts of cdk8s-cli's `ValidationContext` used here). */
export interface ValidationContext {
  /** Paths of the manifests the app synthesized. */
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: ValidationViolation): void;
    submit(status: 'success' | 'failure', metadata?: { [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
}

/** The `properties:` of the cdk8s.yaml entry. */
export interface GuardsValidationProperties {
  /**
   * Unacknowledged warnings fail the validation too.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Namespace of namespaced objects that set none.
   * @default 'default'
   */
  readonly namespace?: string;
}

const PROPERTIES = ['strict', 'namespace'];
const WHO = "cdk8s-stateful validation plugin (cdk8s.yaml 'validations')";

/**
 * The cdk8s-cli validation plugin. In cdk8s.yaml:
 *
 *     validations:
 *       - package: ./node_modules/cdk8s-stateful/lib/cli/plugin.js
 *         version: <the installed version of cdk8s-stateful>
 *         class: GuardsValidation
 *         properties: { strict: false }
 *
 * Every unacknowledged finding is a violation; the validation fails on an unacknowledged error
 * (or warning, when strict). Acknowledgements are the `stateful.cdk8s.io/acknowledge` annotations
 * in the YAML, which `Guards.acknowledge` writes at synth.
 */
export class GuardsValidation {
  private readonly strict: boolean;
  private readonly namespace: string;

  constructor(properties: GuardsValidationProperties = {}) {
    const p = (properties ?? {}) as Record<string, unknown>;
    if (typeof p !== 'object' || Array.isArray(p)) fail(WHO, 'properties', p, `a mapping of ${PROPERTIES.join(', ')}`);
    for (const key of Object.keys(p)) {
      if (!PROPERTIES.includes(key)) fail(WHO, `properties.${key}`, p[key], `one of the known properties (${PROPERTIES.join(', ')}): the key is unknown`);
    }
    if (p.strict !== undefined && typeof p.strict !== 'boolean') fail(WHO, 'properties.strict', p.strict, 'true or false');
    if (p.namespace !== undefined && (typeof p.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(p.namespace))) {
      fail(WHO, 'properties.namespace', p.namespace, 'a namespace name (a DNS-1123 label)');
    }
    this.strict = p.strict === true;
    this.namespace = (p.namespace as string | undefined) ?? 'default';
  }

  public async validate(context: ValidationContext): Promise<void> {
    const loaded: LoadedManifest[] = [];
    try {
      for (const file of context.manifests) loaded.push(...parseManifests(nodeFs.readFileSync(file, 'utf8'), file));
    } catch (e) {
      const message = e instanceof InputError ? e.message : `cannot read a manifest: ${e instanceof Error ? e.message : String(e)}`;
      context.logger.log(`cdk8s-stateful: ${message}`);
      context.report.submit('failure', { error: message });
      return;
    }
    const checked = dropControlled(loaded);
    const report = Guards.check(checked.map(m => m.manifest), { strict: this.strict, defaultNamespace: this.namespace });
    const sources = new SourceIndex(checked, this.namespace);
    for (const f of report.findings) {
      if (f.acknowledged) {
        context.logger.log(`cdk8s-stateful: acknowledged ${f.ruleId} on ${display(f)}: ${f.acknowledgedReason ?? ''}`);
        continue;
      }
      context.report.addViolation(violation(f, sources.locate(f)));
    }
    context.report.submit(report.failed ? 'failure' : 'success', {
      objects: String(checked.length),
      errors: String(report.errorCount),
      warnings: String(report.warningCount),
      acknowledged: String(report.acknowledgedCount),
      strict: String(this.strict),
    });
  }
}

function display(f: GuardFinding): string {
  return `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;
}

function violation(f: GuardFinding, places: SourceLocation[]): ValidationViolation {
  const where = (l: SourceLocation) => `${display(f)} (document ${l.document}${l.line ? `, line ${l.line}` : ''})`;
  const acknowledge = f.ruleId === 'SG000'
    ? ` The ${ACK_ANNOTATION} annotation cannot acknowledge this: correct it.`
    : ` To accept the risk: annotate ${display(f)} with ${ACK_ANNOTATION}: "${f.ruleId}: <reason>" (cdk8s: Guards.acknowledge(construct, '${f.ruleId}', '<reason>')).`;
  return {
    ruleName: `${f.ruleId} [${f.severity === GuardSeverity.ERROR ? 'error' : 'warning'}] ${f.title}`,
    recommendation: `${f.message} In production: ${f.impact}`,
    fix: `${f.fix}${acknowledge}`,
    violatingResources: (places.length > 0 ? places : [undefined]).map(l => ({
      resourceName: f.resource.name,
      locations: [l ? where(l) : display(f)],
      manifestPath: l?.file ?? '',
    })),
  };
}
