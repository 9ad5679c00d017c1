import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ACK_ANNOTATION } from '../internal/annotations';
import { fail, subject } from '../internal/errors';

export { ACK_ANNOTATION };
/** Construct metadata type under which `Guards.acknowledge` records acknowledgements. */
export const ACK_METADATA = 'stateful.cdk8s.io/guards-acknowledge';

/** A rule id of your own: a letter, then letters, digits, `-`, `_` or `.`; at most 64 characters. */
const CUSTOM_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Ids reserved for the built-in rules (SG000, SG001..., SU001...; any case, any number of digits). */
const RESERVED_ID = /^s[gu]\d+$/i;

/** Why a rule id of your own (a GuardPack's) is not acceptable, or undefined. */
export function customIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || !CUSTOM_ID.test(id)) return "a rule id: a letter, then letters, digits, '-', '_' or '.' (at most 64 characters)";
  if (RESERVED_ID.test(id)) return `an id that is not reserved for the built-in rules (${id.slice(0, 2).toUpperCase()}<digits>)`;
  return undefined;
}
export const MIN_REASON_LENGTH = 10;

/** Why a reason is not acceptable, or undefined when it is a real sentence. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return 'a string';
  const text = reason.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(text)) return 'a sentence without control characters';
  if (text.length < MIN_REASON_LENGTH) return `a reason of at least ${MIN_REASON_LENGTH} characters`;
  const letters = (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
  if (letters < 6) return 'a real sentence (mostly letters, not only punctuation or spaces)';
  return undefined;
}

const splitters = new WeakMap<ReadonlySet<string>, RegExp>();
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Parse the annotation; malformed entries are reported, never thrown (raw manifests come from
 * anywhere). `knownIds` are the rules of the run. An unknown id of the built-in form (`SG777`) or
 * not a rule id at all is a problem; a well-formed id of no rule of the run (a rule of a pack not
 * enabled here) is ignored: it acknowledges nothing, so its finding still fails where it runs.
 */
export function parseAckAnnotation(value: string, knownIds: ReadonlySet<string>): { acks: Map<string, string>; problems: string[] } {
  const acks = new Map<string, string>();
  const problems: string[] = [];
  let entries: Array<[string, unknown]> = [];
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      entries = Object.entries(parsed);
    } catch {
      problems.push(`${JSON.stringify(text.slice(0, 60))} is not a JSON object of rule ids to reasons`);
    }
  } else {
    // "SG001: reason; SG002: reason": a reason may contain ';' when not followed by a rule id of the run.
    let splitter = splitters.get(knownIds);
    if (!splitter) {
      const ids = [...knownIds].filter(id => !/^S[GU]\d{3}$/.test(id)).map(escape);
      splitter = new RegExp(`;\\s*(?=(?:S[GU]\\d{3}${ids.map(id => `|${id}`).join('')})\\s*:)`);
      splitters.set(knownIds, splitter);
    }
    for (const part of text.split(splitter)) {
      const m = /^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*:([\s\S]*)$/.exec(part);
      if (!m) {
        if (part.trim()) problems.push(`${JSON.stringify(part.trim().slice(0, 60))} is not '<rule id>: <reason>'`);
        continue;
      }
      entries.push([m[1], m[2].trim().replace(/;$/, '').trim()]);
    }
  }
  for (const [id, reason] of entries) {
    const known = knownIds.has(id);
    if (!known && customIdProblem(id) !== undefined) {
      problems.push(`${JSON.stringify(id)} is not a rule id`);
      continue;
    }
    const problem = reasonProblem(reason);
    if (problem) {
      problems.push(`the reason for ${id} must be ${problem}, got ${JSON.stringify(reason)}`);
      continue;
    }
    if (known) acks.set(id, String(reason).trim());
  }
  return { acks, problems };
}

/** Record an acknowledgement on a construct (checked: a built-in rule id or a well-formed id of your own, a real reason). */
export function acknowledgeConstruct(construct: IConstruct, ruleId: string, reason: string, knownIds: ReadonlySet<string>): void {
  const who = subject('Guards.acknowledge', construct);
  if (typeof ruleId !== 'string' || (!knownIds.has(ruleId) && customIdProblem(ruleId) !== undefined)) {
    fail(who, 'ruleId', ruleId, `a guard rule id (${[...knownIds].sort().join(', ')}, or the id of a rule of your own GuardPack)`);
  }
  if (ruleId === 'SG000') fail(who, 'ruleId', ruleId, 'a rule other than SG000 (a malformed acknowledgement cannot be acknowledged)');
  const problem = reasonProblem(reason);
  if (problem) fail(who, 'reason', reason, problem);
  construct.node.addMetadata(ACK_METADATA, { ruleId, reason: reason.trim() });
  // The acknowledgement travels with the objects: written into their annotation at synth, so the
  // command-line checker and the cdk8s-cli plugin read the YAML as the in-app guards judged it.
  // (When the guards run in the app, they write it first, before reading each object.)
  if (!WRITES_ANNOTATIONS.has(construct)) {
    WRITES_ANNOTATIONS.add(construct);
    construct.node.addValidation({
      validate: () => {
        for (const c of construct.node.findAll()) if (ApiObject.isApiObject(c)) writeAckAnnotation(c, knownIds);
        return [];
      },
    });
  }
}

const WRITES_ANNOTATIONS = new WeakSet<IConstruct>();
/** Built-in ids: the only ones the string form of the annotation may carry (others are not split on). */
const BUILT_IN_ID = /^S[GU]\d{3}$/;

/**
 * Write the acknowledgements of an object's construct and its ancestors into its annotation
 * `ACK_ANNOTATION`, next to what the annotation already says (which wins for the same rule,
 * as it does when the guards read both). A malformed annotation is left as it is: the guards
 * report it (SG000). Idempotent: the next validation pass finds every id already there.
 */
export function writeAckAnnotation(object: ApiObject, knownIds: ReadonlySet<string>, acks = constructAcknowledgements(object)): void {
  if (!acks || acks.size === 0) return;
  const existing: unknown = object.metadata.toJson().annotations?.[ACK_ANNOTATION];
  if (existing !== undefined && typeof existing !== 'string') return;
  let have = new Map<string, string>();
  if (existing !== undefined) {
    const parsed = parseAckAnnotation(existing, new Set([...knownIds, ...acks.keys()]));
    if (parsed.problems.length > 0) return;
    have = parsed.acks;
  }
  const added = [...acks.entries()].filter(([id]) => !have.has(id)).sort(([a], [b]) => a.localeCompare(b));
  if (added.length === 0) return;
  const all = [...have.entries(), ...added];
  // The string form "SG001: reason; SG010: reason" reads best; a JSON object when a reader could
  // split it wrongly (an id of a pack of your own, which the CLI does not know, or a reason with
  // '; <id>:' in it), or when the annotation already is one.
  const asJson = existing?.trim().startsWith('{')
    || all.some(([id, reason]) => !BUILT_IN_ID.test(id) || /;\s*[A-Za-z][A-Za-z0-9_.-]*\s*:/.test(reason));
  let value: string;
  if (asJson) {
    const base = existing?.trim().startsWith('{') ? JSON.parse(existing) as Record<string, string> : Object.fromEntries(have);
    value = JSON.stringify({ ...base, ...Object.fromEntries(added) });
  } else {
    const head = existing?.trim().replace(/;\s*$/, '');
    value = [...(head ? [head] : []), ...added.map(([id, reason]) => `${id}: ${reason}`)].join('; ');
  }
  object.metadata.addAnnotation(ACK_ANNOTATION, value);
}

/** Acknowledgements that apply to a construct: its own and its ancestors' (the closest wins). */
export function constructAcknowledgements(construct: IConstruct): Map<string, string> | undefined {
  let acks: Map<string, string> | undefined;
  for (const scope of construct.node.scopes) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== ACK_METADATA) continue;
      acks ??= new Map();
      acks.set(entry.data.ruleId, entry.data.reason);
    }
  }
  return acks;
}
