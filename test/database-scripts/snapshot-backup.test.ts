/**
 * snapshot-backup.sh against a fake kubectl (servers/fake-kubectl.js) on PATH that records every call
 * and keeps VolumeSnapshots in a state file: one snapshot per claim with the right YAML and labels,
 * and pruning deletes only the oldest beyond BACKUP_KEEP.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkedByApiServer, parseYaml } from '../harness';
import { expectStatus, makeTempRoot, runScript } from './servers/servers';

interface Snap { name: string; namespace: string; labels: Record<string, string>; created: string; readyToUse?: boolean; error?: string }
interface State {
  snapshots: Snap[];
  calls: { args: string[]; stdin: string }[];
  onCreate: { readyToUse?: boolean; error?: string; pollsUntilReady?: number };
  failCreate: boolean;
  failGet?: boolean;
  clock: number;
}

let dir: string;
let statePath: string;

const labels = (db: string, claim: string) => ({ 'app.kubernetes.io/instance': db, 'stateful.cdk8s.io/claim': claim });
const old = (name: string, claim: string, day: number, db = 'orders', namespace = 'shop'): Snap =>
  ({ name, namespace, labels: labels(db, claim), created: `2026-01-${String(day).padStart(2, '0')}T03:00:00Z`, readyToUse: true });

function writeState(partial: Partial<State>): void {
  const state: State = { snapshots: [], calls: [], onCreate: { readyToUse: true }, failCreate: false, clock: 0, ...partial };
  fs.writeFileSync(statePath, JSON.stringify(state));
}
const readState = (): State => JSON.parse(fs.readFileSync(statePath, 'utf8'));
const names = (s: State, claim: string) => s.snapshots.filter((x) => x.labels['stateful.cdk8s.io/claim'] === claim && x.labels['app.kubernetes.io/instance'] === 'orders').map((x) => x.name).sort();

function run(env: Record<string, string> = {}) {
  return runScript('snapshot-backup.sh', {
    NAMESPACE: 'shop',
    CLAIMS: 'data-orders-0 data-orders-1',
    SNAPSHOT_CLASS: 'csi-snapclass',
    BACKUP_KEEP: '3',
    DB_NAME: 'orders',
    FAKE_KUBECTL_STATE: statePath,
    ...env,
  }, { pathPrefix: path.join(dir, 'bin') });
}

beforeEach(() => {
  dir = makeTempRoot('cdk8s-stateful-snap-');
  fs.mkdirSync(path.join(dir, 'bin'));
  const fake = path.join(__dirname, 'servers', 'fake-kubectl.js');
  fs.writeFileSync(path.join(dir, 'bin', 'kubectl'), `#!/bin/sh\nexec '${process.execPath}' '${fake}' "$@"\n`, { mode: 0o755 });
  statePath = path.join(dir, 'state.json');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('snapshot-backup.sh', () => {
  test('creates one schema-valid VolumeSnapshot per claim with the instance and claim labels', () => {
    writeState({});

    const r = run();

    expectStatus(r, 0);
    const creates = readState().calls.filter((c) => c.args[0] === 'create');
    expect(creates).toHaveLength(2);
    const objects = creates.map((c) => parseYaml(c.stdin)[0]);
    checkedByApiServer(objects);
    objects.forEach((o, i) => {
      const claim = `data-orders-${i}`;
      expect(o).toMatchObject({
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: {
          namespace: 'shop',
          // which member and role the data comes from
          labels: { ...labels('orders', claim), 'stateful.cdk8s.io/member': `orders-${i}`, 'stateful.cdk8s.io/role': i === 0 ? 'primary' : 'replica' },
        },
        spec: { volumeSnapshotClassName: 'csi-snapclass', source: { persistentVolumeClaimName: claim } },
      });
      // a DNS-1123 name: <claim>-<UTC YYYYmmdd-HHMMSS>
      expect(o.metadata.name).toMatch(new RegExp(`^${claim}-\\d{8}-\\d{6}$`));
    });
    expect(creates[0].args).toEqual(expect.arrayContaining(['--namespace', 'shop', '-f', '-']));
  });

  test('deletes only the oldest snapshots beyond BACKUP_KEEP, per claim, never another database\'s', () => {
    // GIVEN three old snapshots per claim, listed out of order, and a namesake from another database
    writeState({
      snapshots: [
        old('data-orders-0-b', 'data-orders-0', 2), old('data-orders-1-a', 'data-orders-1', 1),
        old('data-orders-0-c', 'data-orders-0', 3), old('data-orders-0-a', 'data-orders-0', 1),
        old('data-orders-1-c', 'data-orders-1', 3), old('data-orders-1-b', 'data-orders-1', 2),
        old('data-orders-0-other', 'data-orders-0', 1, 'billing'),
        old('data-orders-0-other-ns', 'data-orders-0', 1, 'orders', 'elsewhere'),
      ],
    });

    // WHEN a run keeps 3
    const r = run();

    // THEN each claim keeps its new snapshot and its two newest old ones
    expectStatus(r, 0);
    const s = readState();
    for (const claim of ['data-orders-0', 'data-orders-1']) {
      const kept = names(s, claim).filter((n) => s.snapshots.find((x) => x.name === n)!.namespace === 'shop');
      expect(kept).toHaveLength(3);
      expect(kept).toEqual(expect.arrayContaining([`${claim}-b`, `${claim}-c`]));
      expect(kept).not.toContain(`${claim}-a`);
    }
    const deletes = s.calls.filter((c) => c.args[0] === 'delete');
    expect(deletes).toHaveLength(2);
    expect(deletes[0].args).toEqual(expect.arrayContaining(['data-orders-0-a', '--namespace', 'shop']));
    expect(deletes[0].args).not.toContain('data-orders-0-b');
    expect(s.snapshots.map((x) => x.name)).toEqual(expect.arrayContaining(['data-orders-0-other', 'data-orders-0-other-ns']));
    // every listing is selected by both labels and sorted by creation time
    for (const get of s.calls.filter((c) => c.args[0] === 'get')) {
      expect(get.args).toEqual(expect.arrayContaining(['--selector', '--sort-by=.metadata.creationTimestamp']));
      expect(get.args.join(' ')).toMatch(/app\.kubernetes\.io\/instance=orders,stateful\.cdk8s\.io\/claim=data-orders-[01]/);
    }
  });

  test('deletes nothing while a claim has no more than BACKUP_KEEP snapshots', () => {
    writeState({ snapshots: [old('data-orders-0-a', 'data-orders-0', 1)] });
    const r = run();
    expectStatus(r, 0);
    const s = readState();
    expect(s.calls.filter((c) => c.args[0] === 'delete')).toHaveLength(0);
    expect(names(s, 'data-orders-0')).toHaveLength(2);
  });

  test('a refused create exits non-zero and deletes nothing', () => {
    writeState({ failCreate: true, snapshots: [1, 2, 3, 4, 5].map((d) => old(`data-orders-0-${d}`, 'data-orders-0', d)) });
    const r = run();
    expectStatus(r, 1);
    expect(r.stderr).toContain('fake refusal');
    const s = readState();
    expect(s.calls.filter((c) => c.args[0] === 'delete')).toHaveLength(0);
    expect(s.snapshots).toHaveLength(5);
  });

  test('waits until the new snapshots are ready to use, then prunes', () => {
    writeState({
      onCreate: { readyToUse: false, pollsUntilReady: 3 },
      snapshots: [1, 2, 3, 4, 5].map((d) => old(`data-orders-0-${d}`, 'data-orders-0', d)),
    });
    const r = run({ SNAPSHOT_POLL_SECONDS: '1', SNAPSHOT_READY_TIMEOUT: '60' });
    expectStatus(r, 0);
    expect(r.stderr).toMatch(/data-orders-0-\d{8}-\d{6} is ready to use/);
    const s = readState();
    expect(names(s, 'data-orders-0')).toEqual(expect.arrayContaining(['data-orders-0-4', 'data-orders-0-5']));
    expect(names(s, 'data-orders-0')).toHaveLength(3);
    // the delete came after the listings that saw the new snapshot turn ready
    const firstDelete = s.calls.findIndex((c) => c.args[0] === 'delete');
    expect(s.calls.slice(0, firstDelete).filter((c) => c.args[0] === 'get').length).toBeGreaterThanOrEqual(3);
  });

  test.each([
    [{ readyToUse: false, error: 'Failed to check and update snapshot content' }],
    [{ error: 'Failed to create snapshot: rpc error | code = Internal' }],
  ])('a new snapshot that reports an error (%j) exits non-zero and deletes nothing', (onCreate) => {
    writeState({ onCreate, snapshots: [1, 2, 3, 4, 5].map((d) => old(`data-orders-0-${d}`, 'data-orders-0', d)) });
    const r = run();
    expectStatus(r, 1);
    expect(r.stderr).toContain(`reports an error: ${onCreate.error}; nothing pruned`);
    expect(readState().calls.filter((c) => c.args[0] === 'delete')).toHaveLength(0);
  });

  test('a listing that fails exits non-zero and deletes nothing, rather than pruning nothing silently', () => {
    writeState({ failGet: true, snapshots: [1, 2, 3, 4, 5].map((d) => old(`data-orders-0-${d}`, 'data-orders-0', d)) });
    const r = run({ SNAPSHOT_READY_TIMEOUT: '0' });
    expectStatus(r, 1);
    expect(r.stderr).toContain('listing the snapshots of claim data-orders-0 failed: nothing pruned for it');
    expect(readState().calls.filter((c) => c.args[0] === 'delete')).toHaveLength(0);
  });

  test('a listing that keeps failing while waiting ends at the deadline, naming the failure', () => {
    writeState({ failGet: true });
    const r = run({ SNAPSHOT_READY_TIMEOUT: '1', SNAPSHOT_POLL_SECONDS: '1' });
    expectStatus(r, 1);
    expect(r.stderr).toMatch(/is not ready after 1s \(state: listing failed\); nothing pruned/);
  });

  test('a new snapshot that is not ready in time exits non-zero and deletes nothing', () => {
    writeState({ onCreate: {}, snapshots: [1, 2, 3, 4, 5].map((d) => old(`data-orders-0-${d}`, 'data-orders-0', d)) });
    const r = run({ SNAPSHOT_READY_TIMEOUT: '1' });
    expectStatus(r, 1);
    expect(r.stderr).toContain('is not ready after 1s');
    expect(readState().calls.filter((c) => c.args[0] === 'delete')).toHaveLength(0);
  });

  test.each([
    [{ BACKUP_KEEP: '0' }, 'BACKUP_KEEP must be a whole number >= 1'],
    [{ BACKUP_KEEP: '-1' }, 'BACKUP_KEEP must be a whole number >= 1'],
    [{ CLAIMS: 'Data-Orders-0' }, "claim 'Data-Orders-0' is not a valid Kubernetes name"],
    [{ CLAIMS: '  ' }, 'CLAIMS names no claim'],
    [{ CLAIMS: `data-${'x'.repeat(60)}` }, 'is longer than 63 characters'],
    [{ DB_NAME: 'a b' }, "DB_NAME 'a b' is not a valid label value"],
    [{ NAMESPACE: 'Shop;rm' }, 'is not a valid Kubernetes name'],
    [{ SNAPSHOT_CLASS: '' }, 'SNAPSHOT_CLASS is required'],
    [{ SNAPSHOT_POLL_SECONDS: '0' }, "SNAPSHOT_POLL_SECONDS must be a whole number >= 1, got '0'"],
    [{ SNAPSHOT_READY_TIMEOUT: '10m' }, "SNAPSHOT_READY_TIMEOUT must be a whole number of seconds, got '10m'"],
  ])('rejects %j before calling kubectl', (env, message) => {
    writeState({});
    const r = run(env);
    expectStatus(r, (env as Record<string, string>).SNAPSHOT_CLASS === '' ? 2 : 1);
    expect(r.stderr).toContain(message);
    expect(readState().calls).toHaveLength(0);
  });
});
