import { Duration } from 'cdk8s';
import { checkDuration } from '../../src/database/private/database-cron';
import { StatefulError } from '../../src/internal/errors';

// fast-check found it (RedisDatabase sentinelDownAfter): a Duration so small that cdk8s refuses to
// convert it at all must still give a StatefulError, never cdk8s' own exception.
describe('checkDuration', () => {
  test.each([Duration.seconds(5e-324), Duration.seconds(0.5), Duration.millis(1500)])('rejects %p, not whole seconds, with a StatefulError', (value) => {
    expect(() => checkDuration("RedisDatabase 'x'", 'sentinelDownAfter', value, 1, 60)).toThrow(StatefulError);
    expect(() => checkDuration("RedisDatabase 'x'", 'sentinelDownAfter', value, 1, 60)).toThrow(/sentinelDownAfter must be a Duration from 1 second\(s\) to 1 minute\(s\) in whole seconds/);
  });

  test('accepts whole seconds within the bounds', () => {
    expect(checkDuration("RedisDatabase 'x'", 'sentinelDownAfter', Duration.minutes(1), 1, 60)).toBe(60);
  });
});
