import { IConstruct } from 'constructs';
import { fail, subject } from '../internal/errors';

/**
 * Annotation acknowledging findings on a raw manifest. Two forms:
 * `"SG001: reason; SG005: another reason"` or a JSON object `{"SG001": "reason"}`.
 */
export const ACK_ANNOTATION = 'stateful.cdk8s.io/acknowledge';
/** Construct metadata type under which {@link Guards.acknowledge} records acknowledgements. */
export const ACK_METADATA = 'stateful.cdk8s.io/guards-acknowledge';

/** A rule id of your own: a letter, then letters, digits, `-`, `_` or `.`; at most 64 characters. */
const CUSTOM_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Ids reserved for the built-in rules (SG000, SG001...; any case, any number of digits). */
const RESERVED_ID = /^sg\d+$/i;

/** Why a rule id of your own (a GuardPack's) is not acceptable, or undefined. */
export function customIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || !CUSTOM_ID.test(id)) return "a rule id: a letter, then letters, digits, '-', '_' or '.' (at most 64 characters)";
  if (RESERVED_ID.test(id)) return 'an id that is not reserved for the built-in rules (SG<digits>)';
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
      const ids = [...knownIds].filter(id => !/^SG\d{3}$/.test(id)).map(escape);
      splitter = new RegExp(`;\\s*(?=(?:SG\\d{3}${ids.map(id => `|${id}`).join('')})\\s*:)`);
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
