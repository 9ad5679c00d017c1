import * as path from 'path';
import { stringify } from 'yaml';
import { literalPasswordDeployment, tempDir, WARNING_ONLY_YAML } from './cli-harness';
import { GuardsValidation, ValidationContext, ValidationViolation } from '../../src/cli/plugin';
import { ACK_ANNOTATION } from '../../src/guards/acknowledgements';
import { StatefulError } from '../../src/internal/errors';

/**
 * The cdk8s-cli validation plugin against a context shaped like cdk8s-cli's (the real cdk8s synth
 * runs it in test/packaging/packed-tarball.test.ts).
 */
interface Recorded {
  readonly violations: ValidationViolation[];
  readonly submitted: Array<[string, Record<string, string> | undefined]>;
  readonly logged: string[];
}

function fakeContext(manifests: string[]): ValidationContext & Recorded {
  const violations: ValidationViolation[] = [];
  const submitted: Array<[string, Record<string, string> | undefined]> = [];
  const logged: string[] = [];
  return {
    manifests,
    report: {
      addViolation: v => {
        if (submitted.length > 0) throw new Error('Violations cannot be added to report after its submitted');
        violations.push(v);
      },
      submit: (status, metadata) => { submitted.push([status, metadata]); },
    },
    logger: { log: m => { logged.push(m); } },
    violations,
    submitted,
    logged,
  };
}

describe('GuardsValidation (cdk8s-cli validation plugin)', () => {
  test('an unacknowledged error is one violation naming the rule, what breaks, the fix and the resource; the report fails', async () => {
    // GIVEN a manifest with a literal token (SG009)
    const dir = tempDir({ 'app.k8s.yaml': stringify(literalPasswordDeployment('db')) });
    const context = fakeContext([path.join(dir, 'app.k8s.yaml')]);
    // WHEN
    await new GuardsValidation().validate(context);
    // THEN
    expect(context.violations).toEqual([{
      ruleName: expect.stringMatching(/^SG009 \[error\] Literal password, token or key/),
      recommendation: expect.stringMatching(/^Deployment default\/db: container 'app' sets API_TOKEN to a literal value\..* In production: /),
      fix: expect.stringMatching(new RegExp(`secretKeyRef.* To accept the risk: annotate Deployment default/db with ${ACK_ANNOTATION}: "SG009: <reason>"`)),
      violatingResources: [{ resourceName: 'db', manifestPath: path.join(dir, 'app.k8s.yaml'), locations: ['Deployment default/db (document 1, line 1)'] }],
    }]);
    expect(context.submitted).toEqual([['failure', { objects: '1', errors: '1', warnings: '0', acknowledged: '0', strict: 'false' }]]);
  });

  test('an acknowledgement annotation is honoured: no violation, one logged line with the reason, the report passes', async () => {
    // GIVEN
    const acknowledged = literalPasswordDeployment('db', { [ACK_ANNOTATION]: 'SG009: a throwaway token of the demo environment' });
    const dir = tempDir({ 'app.k8s.yaml': stringify(acknowledged) });
    const context = fakeContext([path.join(dir, 'app.k8s.yaml')]);
    // WHEN
    await new GuardsValidation().validate(context);
    // THEN
    expect(context.violations).toEqual([]);
    expect(context.logged).toEqual(['cdk8s-stateful: acknowledged SG009 on Deployment default/db: a throwaway token of the demo environment']);
    expect(context.submitted).toEqual([['success', expect.objectContaining({ errors: '0', acknowledged: '1' })]]);
  });

  test('every manifest of the app is one input: warnings are violations that fail only with strict: true', async () => {
    // GIVEN a headless Service in one file and its three-replica StatefulSet in another (SG011, SG012 warnings)
    const [service, statefulSet] = WARNING_ONLY_YAML.split('---\n');
    const dir = tempDir({ 'a.k8s.yaml': service, 'b.k8s.yaml': statefulSet });
    const files = [path.join(dir, 'a.k8s.yaml'), path.join(dir, 'b.k8s.yaml')];
    // WHEN
    const lenient = fakeContext(files);
    await new GuardsValidation({}).validate(lenient);
    const strict = fakeContext(files);
    await new GuardsValidation({ strict: true }).validate(strict);
    // THEN the Service resolved (no SG015 "governing Service missing"), and only strict fails
    expect(lenient.violations.map(v => v.ruleName.split(' ')[0])).toEqual(['SG011', 'SG012']);
    expect(lenient.violations.every(v => v.ruleName.includes('[warning]'))).toBe(true);
    expect(lenient.submitted[0][0]).toBe('success');
    expect(strict.violations).toHaveLength(2);
    expect(strict.submitted[0]).toEqual(['failure', expect.objectContaining({ warnings: '2', strict: 'true' })]);
  });

  test('the namespace property places objects that set none', async () => {
    const dir = tempDir({ 'app.k8s.yaml': stringify(literalPasswordDeployment('db')) });
    const context = fakeContext([path.join(dir, 'app.k8s.yaml')]);
    await new GuardsValidation({ namespace: 'shop' }).validate(context);
    expect(context.violations[0].violatingResources[0].locations).toEqual(['Deployment shop/db (document 1, line 1)']);
  });

  test('an unreadable manifest fails the report with the reason, never an exception', async () => {
    const dir = tempDir({ 'app.k8s.yaml': 'apiVersion: v1\nkind: [unclosed\n' });
    const context = fakeContext([path.join(dir, 'app.k8s.yaml'), path.join(dir, 'missing.k8s.yaml')]);
    await new GuardsValidation().validate(context);
    expect(context.submitted).toEqual([['failure', { error: expect.stringContaining(`${path.join(dir, 'app.k8s.yaml')}: document 1: YAML syntax error`) }]]);
    expect(context.logged).toEqual([expect.stringMatching(/^cdk8s-stateful: .*YAML syntax error/)]);
  });

  test('an app that wrote no manifest passes', async () => {
    const context = fakeContext([]);
    await new GuardsValidation().validate(context);
    expect(context.submitted).toEqual([['success', expect.objectContaining({ objects: '0' })]]);
  });

  test.each([
    [{ stritc: true }, 'properties.stritc must be one of the known properties (strict, namespace): the key is unknown, got true.'],
    [{ strict: 'yes' }, 'properties.strict must be true or false, got "yes".'],
    [{ namespace: 'Shop_1' }, 'properties.namespace must be a namespace name (a DNS-1123 label), got "Shop_1".'],
  ])('bad properties %j in cdk8s.yaml throw a StatefulError saying what is accepted', (properties, message) => {
    expect(() => new GuardsValidation(properties as any)).toThrow(StatefulError);
    expect(() => new GuardsValidation(properties as any)).toThrow(`cdk8s-stateful validation plugin (cdk8s.yaml 'validations'): ${message}`);
  });
});
