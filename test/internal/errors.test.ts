import { Size, Testing } from 'cdk8s';
import { DatabaseEngine, StatefulDatabase, StatefulErrors } from '../../src';

describe('StatefulErrors', () => {
  test('names the construct path, the property path, the value and what is accepted of a bad prop', () => {
    // GIVEN a database with a size of zero
    let thrown: unknown;
    try {
      new StatefulDatabase(Testing.chart(), 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.kibibytes(0) } });
    } catch (e) {
      thrown = e;
    }
    // THEN
    expect(StatefulErrors.isStatefulError(thrown)).toBe(true);
    expect(StatefulErrors.detailsOf(thrown)).toEqual({
      message: "StatefulDatabase 'test/orders': storage.size must be at least 1 KiB, got \"0 KiB\".",
      subject: "StatefulDatabase 'test/orders'",
      property: 'storage.size',
      value: '"0 KiB"',
      accepted: 'at least 1 KiB',
    });
  });

  test('says no for anything else', () => {
    for (const other of [new Error('x'), new TypeError('y'), 'StatefulError', undefined, null, { name: 'StatefulError' }]) {
      expect(StatefulErrors.isStatefulError(other)).toBe(false);
      expect(StatefulErrors.detailsOf(other)).toBeUndefined();
    }
  });
});
