/**
 * What the property tests of the database constructs (StatefulDatabase, CassandraRing,
 * ConsensusCluster, RedisDatabase) throw at them: one set of hostile values, so that every
 * construct faces the same, and the one outcome they all must have (objects, or our StatefulError).
 */
import * as fc from 'fast-check';
import { StatefulError } from '../../src/internal/errors';

/** Any text, with the usual suspects (empty, blank, `latest`, too long, shell and env syntax) and `domain`'s own values. */
export function hostileString(...domain: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string(), fc.fullUnicodeString({ maxLength: 12 }),
    fc.constantFrom('', ' ', '\n', 'latest', '0', '-1', 'a'.repeat(300), '$(POD_NAME)', "x'\ny: 1", 'kv;rm -rf /', ...domain),
  );
}

/** Integers around the small counts, any double, and the numbers that break arithmetic. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -5, max: 12 }), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0, 1e12, Number.MAX_SAFE_INTEGER + 2),
);

/** A value of another type than the prop's (what a Python or plain-JavaScript caller can pass). */
export const wrongType: fc.Arbitrary<any> = fc.constantFrom<any>(null, undefined, {}, [], 'x', true, () => 1);

/** Mostly absent (the default), sometimes `arb`'s (often hostile) value: `absent` to 1. */
export function maybe<T>(arb: fc.Arbitrary<T>, absent = 5): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: 1 });
}

/**
 * Run a builder: its objects, or undefined when the construct refused the props with a
 * StatefulError. Any other exception is a defect and is thrown (`DEBUG_PROPS=1` prints refusals).
 */
export function builtOrRefused<T>(build: () => T): T | undefined {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof StatefulError)) throw e;
    if (process.env.DEBUG_PROPS) console.log((e as Error).message.slice(0, 120));
    return undefined;
  }
}
