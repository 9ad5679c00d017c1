import { Size, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DatabaseEngine, StatefulDatabase } from '../../src/database';
import { registerLibraryConstructHook } from '../../src/internal/library-marker';

test('StatefulDatabase marks itself for the guards', () => {
  // GIVEN a hook that records the marked constructs
  const marked: IConstruct[] = [];
  registerLibraryConstructHook(c => marked.push(c));
  // WHEN
  const db = new StatefulDatabase(Testing.chart(), 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(1) } });
  // THEN
  expect(marked).toEqual([db]);
});
