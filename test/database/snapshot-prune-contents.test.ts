/**
 * Pruning frees the storage under a Retain snapshot class: snapshot-backup.sh (the job the
 * manifests of point 7 run, PRUNE_RETAINED_CONTENTS=true) against a fake kubectl
 * (fixtures/fake-kubectl-contents.js) that plays the API server and the snapshot controller.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface State {
  snapshots: Array<{ name: string; claim: string; content?: string }>;
  contents: Record<string, { deletionPolicy: string }>;
  failPatch: string[];
  calls: string[][];
}

const SCRIPT = path.join(__dirname, '..', '..', 'assets', 'database', 'snapshot-backup.sh');
let dir: string;

function seed(partial: Partial<State> = {}): void {
  const snapshots = ['01', '02', '03'].map(d => ({ name: `data-orders-0-202601${d}-030000`, claim: 'data-orders-0', content: `snapcontent-${d}` }));
  const contents = Object.fromEntries(snapshots.map(s => [s.content, { deletionPolicy: 'Retain' }]));
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ snapshots, contents, failPatch: [], calls: [], ...partial }));
}
const state = (): State => JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));

function run(env: Record<string, string>) {
  return spawnSync('sh', [SCRIPT], {
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
      NAMESPACE: 'shop',
      CLAIMS: 'data-orders-0',
      SNAPSHOT_CLASS: 'ebs',
      BACKUP_KEEP: '2',
      DB_NAME: 'orders',
      SNAPSHOT_READY_TIMEOUT: '0',
      FAKE_STATE: path.join(dir, 'state.json'),
      ...env,
    },
  });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-prune-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  const fake = path.join(__dirname, 'fixtures', 'fake-kubectl-contents.js');
  fs.writeFileSync(path.join(dir, 'bin', 'kubectl'), `#!/bin/sh\nexec '${process.execPath}' '${fake}' "$@"\n`, { mode: 0o755 });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('snapshot-backup.sh pruning under a Retain class', () => {
  test('switches each pruned content to Delete before deleting its snapshot, so the contents go too', () => {
    // GIVEN three retained snapshots, keep 2 WHEN a run adds a fourth
    seed();
    const r = run({ PRUNE_RETAINED_CONTENTS: 'true' });
    // THEN the two oldest are gone with their contents; the kept ones still retain
    expect(r.stderr).not.toMatch(/unsupported/);
    expect(r.status).toBe(0);
    const s = state();
    expect(s.snapshots.map(x => x.name)).toEqual(['data-orders-0-20260103-030000', expect.stringMatching(/^data-orders-0-\d{8}-\d{6}$/)]);
    expect(Object.keys(s.contents)).not.toContain('snapcontent-01');
    expect(Object.keys(s.contents)).not.toContain('snapcontent-02');
    expect(s.contents['snapcontent-03']).toEqual({ deletionPolicy: 'Retain' });
    const patched = s.calls.findIndex(c => c[0] === 'patch' && c.includes('snapcontent-02'));
    const deleted = s.calls.findIndex(c => c[0] === 'delete');
    expect(patched).toBeGreaterThan(-1);
    expect(patched).toBeLessThan(deleted);
    expect(s.calls[patched]).toEqual(expect.arrayContaining(['--type', 'merge', '-p', '{"spec":{"deletionPolicy":"Delete"}}']));
  });

  test('keeps a snapshot whose content cannot be switched, prunes the others and fails the run', () => {
    seed({ failPatch: ['snapcontent-01'] });
    const r = run({ PRUNE_RETAINED_CONTENTS: 'true' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot switch VolumeSnapshotContent snapcontent-01');
    const s = state();
    expect(s.snapshots.map(x => x.name)).toContain('data-orders-0-20260101-030000');
    expect(s.snapshots.map(x => x.name)).not.toContain('data-orders-0-20260102-030000');
    expect(s.contents['snapcontent-01']).toEqual({ deletionPolicy: 'Retain' });
  });

  test('leaves a content that already deletes alone', () => {
    seed({ contents: { 'snapcontent-01': { deletionPolicy: 'Delete' }, 'snapcontent-02': { deletionPolicy: 'Retain' }, 'snapcontent-03': { deletionPolicy: 'Retain' } } });
    expect(run({ PRUNE_RETAINED_CONTENTS: 'true' }).status).toBe(0);
    expect(state().calls.filter(c => c[0] === 'patch').map(c => c[2])).toEqual(['snapcontent-02']);
  });

  test('without PRUNE_RETAINED_CONTENTS the job never touches contents (a Delete class)', () => {
    seed();
    expect(run({}).status).toBe(0);
    expect(state().calls.filter(c => c.some(a => a.startsWith('volumesnapshotcontents')))).toEqual([]);
  });

  test('refuses a PRUNE_RETAINED_CONTENTS that is not true or false', () => {
    seed();
    const r = run({ PRUNE_RETAINED_CONTENTS: 'yes' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("PRUNE_RETAINED_CONTENTS must be true or false, got 'yes'");
    expect(state().calls).toEqual([]);
  });
});
