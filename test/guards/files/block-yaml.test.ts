import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as fc from 'fast-check';
import * as jsYaml from 'js-yaml';
import { stringify, ToStringOptions } from 'yaml';
import { readBlockYaml } from '../../../src/guards/files/block-yaml';
import { LoadedManifest, parseManifests, parseManifestsWithYamlPackage } from '../../../src/guards/files/manifest-files';

/**
 * The fast reader must give what the `yaml` package gives, or step aside: for every input, the
 * checker's objects (values, key order, document numbers, lines, List item lines, Helm sources) or
 * its error message are the same with the fast reader as with the `yaml` package alone.
 */

type Outcome = { manifests: LoadedManifest[]; order: string } | { error: string };

function outcome(read: (text: string, file: string) => LoadedManifest[], text: string): Outcome {
  try {
    const manifests = read(text, 'in.yaml');
    return { manifests, order: JSON.stringify(manifests.map(m => m.manifest)) };
  } catch (e: any) {
    return { error: String(e?.message ?? e) };
  }
}

/** Whether both readers agree on `text` (deep equality tells -0 from 0 and keeps NaN equal to NaN). */
function agree(text: string): { same: boolean; fast: Outcome; reference: Outcome } {
  const fast = outcome(parseManifests, text);
  const reference = outcome(parseManifestsWithYamlPackage, text);
  return { same: isDeepStrictEqual(fast, reference), fast, reference };
}

/** Whether the fast reader read every document of `text` itself (no document left to the `yaml` package). */
function readFast(text: string): boolean {
  const docs = readBlockYaml(text);
  return docs !== undefined && docs.every(d => d.reader === 'block');
}

function expectAgreement(text: string) {
  const { same, fast, reference } = agree(text);
  // A plain message, not jest's diff: fast-check shrinks a failure through thousands of runs, and
  // diffing large outcomes on each of them takes minutes.
  if (!same) throw new Error(`the readers differ on ${JSON.stringify(text)}\nfast:      ${JSON.stringify(fast).slice(0, 1500)}\nreference: ${JSON.stringify(reference).slice(0, 1500)}`);
}

// Keys and scalars that sit on the edges of YAML's grammar and of the core schema.
const TRICKY_STRINGS = [
  '', ' ', 'a: b', 'a:b', 'a #b', 'a#b', '#x', '- x', '-x', '-1', '+1', '0o17', '0x1F', '0x', '012', '1e3', '1E+2', '.5', '5.',
  '1_000', 'True', 'TRUE', 'yes', 'on', 'NULL', 'null', '~', '.inf', '-.Inf', '+.INF', '.NaN', '12345678901234567890', '-0',
  'x\ny', 'multi\nline\n', 'trailing\n\n', '\nleading', '  indented', 'tab\there', "it's", 'say "hi"', 'back\\slash',
  'unicode é ✓ 😀', '\u0085', '\u00a0', '---', '...', '--- x', '%x', '@x', '`x', '[a]', '{a: 1}', 'a, b', '|', '>', '&a', '*a',
  '!tag', '? x', ': x', 'x:', 'x: ', '2024-01-01', 'http://host:8080/path', '{{ .Values.x }}', 'a  b', 'trailing ', 'a\\nb',
  'sh -c "exec \\"$@\\""', 'line\n  more indented\nback', '\n', 'end\n\n\n', '\u2028', 'key\u0000nul', '\r\n',
];
const KEY_POOL = ['apiVersion', 'kind', 'metadata', 'name', 'items', 'data', 'a b', 'a:b', 'with #hash', '1', 'true', 'null', 'on',
  '-dash', '"quoted"', "it's", '__proto__', '<<', 'constructor', 'x'.repeat(1100), 'é', ''];

const word = fc.stringMatching(/^[a-z][a-z0-9./-]{0,12}$/);
/** What manifests hold: names, paths, quantities, numbers, commands, descriptions long enough to wrap. */
const toolScalar = fc.oneof(
  { arbitrary: word, weight: 8 },
  {
    arbitrary: fc.constantFrom('500Mi', '0.5', '/var/lib/data', 'RollingUpdate', 'postgres:16.4', '8080', 'true', 'sh -c "pg_isready"', 'a b c', 'http://host:8080/x'),
    weight: 4,
  },
  { arbitrary: fc.array(word, { minLength: 5, maxLength: 20 }).map(words => words.join(' ')), weight: 2 },
  { arbitrary: fc.array(word, { minLength: 1, maxLength: 4 }).map(lines => `${lines.join('\n')}\n`), weight: 1 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
);
/** The same and the edge cases of YAML's grammar and of the core schema. */
const edgeScalar = fc.oneof(
  { arbitrary: toolScalar, weight: 6 },
  { arbitrary: fc.constantFrom(...TRICKY_STRINGS), weight: 2 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  { arbitrary: fc.fullUnicodeString({ maxLength: 6 }), weight: 1 },
  { arbitrary: fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 2 ** 53 + 2, 0.1)), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const edgeKey = fc.oneof(
  { arbitrary: word, weight: 10 },
  { arbitrary: fc.constantFrom(...KEY_POOL), weight: 1 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);

/** Kubernetes objects (often Lists, whose items carry lines) holding values drawn from `scalar`. */
function kubeObjects(scalar: fc.Arbitrary<unknown>, key: fc.Arbitrary<string>) {
  const { tree } = fc.letrec<{ tree: unknown; node: unknown }>(tie => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('node')),
    node: fc.oneof(
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
    ),
  }));
  return fc.record({
    apiVersion: fc.constantFrom('v1', 'apps/v1'),
    kind: fc.constantFrom('ConfigMap', 'List', 'PodList', 'StatefulSet'),
    metadata: fc.record({ name: fc.constantFrom('a', 'b-1', 'db'), labels: fc.dictionary(key, scalar, { maxKeys: 3 }) }),
    data: fc.dictionary(key, tree, { maxKeys: 4 }),
    items: fc.array(fc.oneof(
      { arbitrary: fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Secret'), metadata: fc.record({ name: word }), data: fc.dictionary(word, scalar, { maxKeys: 3 }) }), weight: 6 },
      { arbitrary: tree, weight: 1 },
    ), { maxLength: 3 }),
  }, { requiredKeys: ['apiVersion', 'kind'] });
}

type Printer = (value: unknown) => string;
/** How tools print YAML: the `yaml` package (kubectl's unindented sequences among its styles) and js-yaml, in block style. */
const toolPrinter: fc.Arbitrary<Printer> = fc.oneof(
  fc.record({
    indent: fc.integer({ min: 1, max: 4 }), indentSeq: fc.boolean(), lineWidth: fc.constantFrom(0, 40, 80), collectionStyle: fc.constantFrom('any', 'block'),
  })
    .map(options => (value: unknown) => stringify(value, { ...options, aliasDuplicateObjects: false } as ToStringOptions)),
  fc.record({ lineWidth: fc.constantFrom(-1, 40, 80), indent: fc.integer({ min: 1, max: 4 }), noArrayIndent: fc.boolean() })
    .map(options => (value: unknown) => (jsYaml as any).dump(value, options) as string),
);
/** The same in every style they have. */
const edgePrinter: fc.Arbitrary<Printer> = fc.oneof(
  toolPrinter,
  fc.record({
    indent: fc.integer({ min: 1, max: 4 }),
    indentSeq: fc.boolean(),
    lineWidth: fc.constantFrom(0, 20, 40, 80),
    minContentWidth: fc.constantFrom(0, 20),
    defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
    defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
    collectionStyle: fc.constantFrom('any', 'block', 'flow'),
    flowCollectionPadding: fc.boolean(),
    doubleQuotedAsJSON: fc.boolean(),
  }).map(options => (value: unknown) => stringify(value, { ...options, aliasDuplicateObjects: false } as ToStringOptions)),
  fc.record({
    flowLevel: fc.constantFrom(-1, 1, 2), lineWidth: fc.constantFrom(-1, 20, 80), indent: fc.integer({ min: 1, max: 4 }), noArrayIndent: fc.boolean(),
  })
    .map(options => (value: unknown) => (jsYaml as any).dump(value, options) as string),
);

/** What separates documents in rendered output. */
const separator = fc.constantFrom('---\n', '---\n', '--- # Source: chart/templates/a.yaml\n', '\n---\n', '---\n# Source: chart/templates/b.yaml\n',
  '---\n# Source: chart/templates/c.yaml\n\n', '# Source: before/marker.yaml\n---\n', '---\n# note\n\n', '---\n---\n', '---   \n', '# Source:\n# next line\n---\n');
/** What precedes the first document: the same, or nothing, or comments without a marker. */
const firstSeparator = fc.oneof(separator, fc.constantFrom('', '# Source: chart/templates/first.yaml\n', '# Source: chart/templates/first.yaml\n\n', '# a\n\n# b\n'));

function safePrint(print: Printer, value: unknown): string {
  try {
    return print(value);
  } catch {
    return 'a: 1\n'; // a value the printer refuses (js-yaml on some keys): any document will do
  }
}

function stream(objects: fc.Arbitrary<unknown>, printer: fc.Arbitrary<Printer>) {
  return fc.tuple(firstSeparator, fc.array(fc.tuple(separator, objects, printer), { minLength: 1, maxLength: 4 }))
    .map(([first, docs]) => first + docs.map(([sep, value, print], i) => (i === 0 ? '' : sep) + safePrint(print, value)).join(''));
}
const toolOutput = stream(kubeObjects(toolScalar, word), toolPrinter);
const edgeOutput = stream(kubeObjects(edgeScalar, edgeKey), edgePrinter);

/** Hostile edits: a character inserted or removed, a line re-indented or repeated. */
const mutation = fc.tuple(fc.nat(), fc.constantFrom(' ', '  ', '\t', ':', ': ', '-', '- ', '#', ' #', '"', "'", '\n', '|', '>', '{', '[', ']', ',', '&a ', '*a', '!', '%', '\r', '\u0000', 'é', '---\n', '...\n', 'DEL', 'DUP', 'IND', 'DED'));
function mutate(text: string, edits: Array<[number, string]>): string {
  let out = text;
  for (const [at, edit] of edits) {
    const p = out.length === 0 ? 0 : at % out.length;
    const lineStart = out.lastIndexOf('\n', p - 1) + 1;
    const lineEnd = out.indexOf('\n', p) < 0 ? out.length : out.indexOf('\n', p) + 1;
    if (edit === 'DEL') out = out.slice(0, p) + out.slice(p + 1);
    else if (edit === 'DUP') out = out.slice(0, lineEnd) + out.slice(lineStart, lineEnd) + out.slice(lineEnd);
    else if (edit === 'IND') out = `${out.slice(0, lineStart)} ${out.slice(lineStart)}`;
    else if (edit === 'DED') out = out.charCodeAt(lineStart) === 0x20 ? out.slice(0, lineStart) + out.slice(lineStart + 1) : out;
    else out = out.slice(0, p) + edit + out.slice(p);
  }
  return out;
}

describe('the fast YAML reader', () => {
  test('reads what tools print itself, with the objects, documents, lines and Helm sources the yaml package gives', () => {
    let fastRead = 0;
    fc.assert(fc.property(toolOutput, text => {
      if (readFast(text)) fastRead++;
      expectAgreement(text);
    }), { numRuns: 1000, seed: 1303 });
    expect(fastRead).toBeGreaterThan(900);
  });

  test('agrees with the yaml package on the edge cases of YAML and of the printers', () => {
    let fastRead = 0;
    fc.assert(fc.property(edgeOutput, text => {
      if (readFast(text)) fastRead++;
      expectAgreement(text);
    }), { numRuns: 1500, seed: 1306 });
    // The comparison means something only if the fast reader does read a good share of them.
    expect(fastRead).toBeGreaterThan(150);
  });

  test('agrees with the yaml package on hostile edits of printed manifests, errors included', () => {
    let fastRead = 0;
    let errors = 0;
    fc.assert(fc.property(toolOutput, fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, edits) => {
      const edited = mutate(text, edits);
      if (readFast(edited)) fastRead++;
      if ('error' in outcome(parseManifestsWithYamlPackage, edited)) errors++;
      expectAgreement(edited);
    }), { numRuns: 1500, seed: 1304 });
    expect(fastRead).toBeGreaterThan(300);
    expect(errors).toBeGreaterThan(100);
  });

  test('reads Windows line ends (CR LF) itself, as the yaml package does', () => {
    let fastRead = 0;
    fc.assert(fc.property(fc.oneof(toolOutput, edgeOutput), text => {
      const crlf = text.replace(/\n/g, '\r\n');
      if (readFast(crlf)) fastRead++;
      expectAgreement(crlf);
    }), { numRuns: 800, seed: 1308 });
    expect(fastRead).toBeGreaterThan(300);
  });

  test('agrees with the yaml package on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), text => {
      expectAgreement(text);
    }), { numRuns: 1000, seed: 1305 });
  });

  test('agrees with the yaml package on hand-written flow collections (ports, args, targets)', () => {
    // What people type in Helm templates: `ports: [{ name: http, port: 80 }]`, `args: [--a=b, localhost:9090]`.
    const token = fc.constantFrom('a', 'http', '80', 'a:b', 'localhost:9090', 'http://x:1/y', '--flag=a:b', 'a#b', 'a #b', 'a:', ':a', 'a: b',
      '-1', '-a', '- a', '"q,x"', "'it''s'", '"a\\"b"', '[]', '{}', '', ' ', 'a b', 'null', 'true', '~', '0x1F', '1e3', '*', '&a', '!t', '?', '?a');
    const { flow } = fc.letrec<{ flow: string }>(tie => ({
      flow: fc.oneof(
        fc.array(fc.oneof({ arbitrary: token, weight: 4 }, { arbitrary: tie('flow'), weight: 1 }), { maxLength: 4 })
          .chain(items => fc.constantFrom(', ', ',', ' , ').map(sep => `[${items.join(sep)}]`)),
        fc.array(fc.tuple(token, fc.oneof({ arbitrary: token, weight: 4 }, { arbitrary: tie('flow'), weight: 1 })), { maxLength: 3 })
          .chain(pairs => fc.constantFrom(': ', ':', ' : ').map(colon => `{ ${pairs.map(([k, v]) => `${k}${colon}${v}`).join(', ')} }`)),
      ),
    }));
    let fastRead = 0;
    fc.assert(fc.property(flow, fc.constantFrom('key', 'item', 'both'), fc.constantFrom('', ' # note', '  '), (f, where, tail) => {
      const body = where === 'key' ? `data:\n  args: ${f}${tail}\n` : where === 'item' ? `data:\n  ports:\n  - ${f}${tail}\n` : `data:\n  a: ${f}\n  b:\n    - ${f}${tail}\n`;
      const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n${body}`;
      if (readFast(text)) fastRead++;
      expectAgreement(text);
    }), { numRuns: 1500, seed: 1307 });
    expect(fastRead).toBeGreaterThan(300);
  });

  test('reads every real-world corpus fixture itself, with the objects and lines of the yaml package', () => {
    const dir = path.join(__dirname, '..', 'real-world', 'fixtures');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect({ file, read: readFast(text) }).toEqual({ file, read: true });
      expectAgreement(text);
    }
  });

  test('reads every example manifest itself, with the lines and values of the yaml package', () => {
    const dir = path.join(__dirname, '..', '..', '..', 'examples', 'dist');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect({ file, read: readFast(text) }).toEqual({ file, read: true });
      expectAgreement(text);
    }
  });

  test('leaves a document with anchors, tags, |+ or indentation indicators to the yaml package, and reads the others itself', () => {
    const cases = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |+\n  kept\n\n',
      'a: |2\n   indented\n',
      'items:\n- &x {name: a}\n- *x\n',
    ];
    for (const odd of cases) {
      const text = `# Source: chart/a.yaml\nkind: ConfigMap\napiVersion: v1\n---\n# Source: chart/b.yaml\n${odd}---\napiVersion: v1\nkind: List\nitems:\n- kind: Secret\n  apiVersion: v1\n`;
      expect({ odd, readers: readBlockYaml(text)?.map(d => d.reader) }).toEqual({ odd, readers: ['block', 'yaml', 'block'] });
      expectAgreement(text);
    }
  });

  test('steps aside, for the whole file, at directives, a lone CR and syntax errors, which keep their exact messages', () => {
    const cases = [
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\na: 2\n',
      'a: [1, 2\n',
      'a:\n\t- 1\n',
      'a: 1\rb: 2\r',
      'a: 1\n...\n',
      'a: 1\n---\nb: c: d\n',
    ];
    for (const text of cases) {
      expect({ text, read: readBlockYaml(text) }).toEqual({ text, read: undefined });
      expectAgreement(text);
    }
    expect(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n', 'dup.yaml'))
      .toThrow(/^dup\.yaml: document 1: YAML syntax error at line 5, column 3: Map keys must be unique/);
  });

  test('keeps the line of each object and List item and the Helm source comment', () => {
    const text = [
      '# Source: chart/templates/config.yaml',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: a}',
      '-',
      '  apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: b}',
      '--- # Source: chart/templates/db.yaml',
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata:',
      '  name: db',
      '',
    ].join('\n');
    expect(readBlockYaml(text)).toBeDefined();
    const manifests = parseManifests(text, 'chart.yaml');
    expect(manifests.map(m => [m.manifest.metadata.name, m.document, m.line, m.listItem, m.helmSource])).toEqual([
      ['a', 1, 6, 0, 'chart/templates/config.yaml'],
      ['b', 1, 10, 1, 'chart/templates/config.yaml'],
      ['db', 2, 14, undefined, 'chart/templates/db.yaml'],
    ]);
    expectAgreement(text);
  });
});
