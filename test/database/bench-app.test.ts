import { buildDatabaseApp, buildFloorApp } from '../../bench/database-app';
import { checkedByApiServer, parseYaml } from '../harness';

describe('the benchmark apps', () => {
  test('the floor emits the very same manifests as the library, and they are schema-valid', () => {
    // GIVEN the library app of 4 databases (both kinds of database in the mix)
    const library = buildDatabaseApp(4).synthYaml();
    // WHEN the same manifests are emitted as plain ApiObjects
    const floor = buildFloorApp(buildDatabaseApp(4).charts[0].toJson()).synthYaml();
    // THEN
    expect(floor).toBe(library);
    const objects = checkedByApiServer(parseYaml(library));
    expect(objects.filter(o => o.kind === 'StatefulSet')).toHaveLength(4);
  });
});
