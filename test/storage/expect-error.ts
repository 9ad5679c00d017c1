import { StatefulError } from '../../src/internal/errors';

/** Assert that fn throws a StatefulError with exactly this message. */
export function expectStatefulError(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(StatefulError);
  expect((thrown as Error).message).toBe(message);
}
