/**
 * StatefulDatabase on a real control plane (kube-apiserver, kube-controller-manager,
 * kube-scheduler of one release; simulated nodes and CSI provisioner, see tools/kube/cluster.ts):
 * what the StatefulSet, disruption, garbage-collector, PersistentVolume and CronJob controllers do
 * with the manifests. Behaviours are asserted, not manifests.
 */
import { App, Chart, Size } from 'cdk8s';
import { BackupPolicy, ClaimRetention, DatabaseCredentials, DatabaseEngine, StatefulDatabase, StatefulDatabaseProps } from '../../src/database';
import { synth } from '../harness';
import { condition, endpointPods, selects, eventsFor, get, isReady, list, patch, placement, pods, scaleStatefulSet, sleep, useCluster, volumeAffinity, waitFor, waitForReadyPods } from './helpers';

// A pod runs 500 ms after its binding: long enough to see which pod the controller creates when.
const cluster = useCluster({ nodes: 3, zones: 3, startDelayMs: 500, jobRunSeconds: Infinity });

const ZONE = 'topology.kubernetes.io/zone';

/** One database in its own namespace, synthesized through the harness and applied for real. */
async function deploy(namespace: string, name: string, props: Partial<StatefulDatabaseProps> = {}): Promise<{ selector: string }> {
  const chart = new Chart(new App(), namespace, { namespace });
  new StatefulDatabase(chart, name, {
    engine: DatabaseEngine.postgres({ version: '16.4' }),
    replicas: 3,
    storage: { size: Size.gibibytes(5) }, // the cluster's default class (zonal, WaitForFirstConsumer)
    credentials: DatabaseCredentials.fromPasswords({ superuserPassword: 'super-secret-1', replicationPassword: 'replica-secret-2' }),
    ...props,
  });
  await cluster().apply(synth(chart));
  // The members only: backup Job pods carry the instance label too.
  return { selector: `app.kubernetes.io/instance=${name},app.kubernetes.io/component=database` };
}

function claimsPath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/persistentvolumeclaims`;
}

function claimOf(pod: any, volume = 'data'): string | undefined {
  return pod.spec.volumes.find((v: any) => v.name === volume)?.persistentVolumeClaim?.claimName;
}

describe('a three-member PostgreSQL database', () => {
  const ns = 'shop';
  let selector: string;

  test('creates its members one at a time, each once the previous one is Ready', async () => {
    ({ selector } = await deploy(ns, 'orders'));
    // GIVEN the StatefulSet applied; WHEN its controller creates the members; THEN at every
    // observation the pods are a prefix orders-0..k and only the newest may be unready.
    const observations: string[] = [];
    const violations: string[] = [];
    const ready = await waitFor(cluster(), 'three ready members', async () => {
      const found = (await pods(cluster(), ns, selector)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      const names = found.map(p => p.metadata.name);
      const readiness = found.map(isReady);
      observations.push(names.map((n, i) => `${n}${readiness[i] ? '' : '(not ready)'}`).join(' '));
      const prefix = names.every((n, i) => n === `orders-${i}`);
      if (!prefix || !readiness.slice(0, -1).every(Boolean)) violations.push(observations[observations.length - 1]);
      return found.length === 3 && readiness.every(Boolean) ? found : undefined;
    }, 60_000, ns);
    expect(violations).toEqual([]);
    // The rollout was observed in its steps (a member waiting while the previous one was unready).
    expect(observations.some(o => o === 'orders-0(not ready)')).toBe(true);
    expect(observations.some(o => o === 'orders-0 orders-1(not ready)')).toBe(true);
    expect(ready.map(p => p.metadata.name).sort()).toEqual(['orders-0', 'orders-1', 'orders-2']);
  });

  test('gives each member its own bound claim, named data-<name>-<ordinal>', async () => {
    const members = await pods(cluster(), ns, selector);
    const claims = await list(cluster(), claimsPath(ns));
    const byName = new Map(claims.map(c => [c.metadata.name, c]));
    for (const pod of members) {
      const claimName = claimOf(pod);
      expect(claimName).toBe(`data-${pod.metadata.name}`);
      const claim = byName.get(claimName!);
      expect(claim?.status.phase).toBe('Bound');
      // The zonal volume was provisioned where the scheduler put the member.
      const pv = await get(cluster(), `/api/v1/persistentvolumes/${claim.spec.volumeName}`);
      expect(volumeAffinity(pv, ZONE)).toBe((await placement(cluster(), pod)).zone);
    }
    expect(claims.map(c => c.metadata.name).sort()).toEqual(['data-orders-0', 'data-orders-1', 'data-orders-2']);
  });

  test('sends writes to the primary only and reads to the replicas', async () => {
    // The EndpointSlice controller's view of the Services: who receives traffic.
    const primary = await waitFor(cluster(), 'primary endpoints', async () => {
      const e = await endpointPods(cluster(), ns, 'orders');
      return e.length > 0 ? e : undefined;
    });
    expect(primary).toEqual(['orders-0']);
    const read = await waitFor(cluster(), 'read endpoints', async () => {
      const e = await endpointPods(cluster(), ns, 'orders-read');
      return e.includes('orders-1') && e.includes('orders-2') ? e : undefined;
    });
    expect(read.every(n => ['orders-0', 'orders-1', 'orders-2'].includes(n))).toBe(true);
    // Peers find each other through the headless Service, ready or not.
    const headless = await waitFor(cluster(), 'headless endpoints', async () => {
      const e = await endpointPods(cluster(), ns, 'orders-headless');
      return e.length === 3 ? e : undefined;
    });
    expect(headless).toEqual(['orders-0', 'orders-1', 'orders-2']);
  });

  test('the eviction API refuses every eviction its disruption budgets forbid, and lets a drain take one member', async () => {
    // GIVEN every member Ready and every budget over them counted by the disruption controller.
    const members = await waitForReadyPods(cluster(), ns, selector, 3);
    const budgets: any[] = await waitFor(cluster(), 'settled disruption budgets', async () => {
      const found = await list(cluster(), `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`);
      const counted = (b: any) => b.status?.observedGeneration === b.metadata.generation
        && b.status.currentHealthy === members.filter(p => selects(b.spec.selector, p.metadata.labels)).length;
      return found.length > 0 && found.every(counted) ? found : undefined;
    });
    const covering = (pod: any) => budgets.filter(b => selects(b.spec.selector, pod.metadata.labels));
    const allowed = new Map(budgets.map(b => [b.metadata.name, b.status.disruptionsAllowed as number]));
    const summary = budgets.map(b => `${b.metadata.name}: ${b.status.disruptionsAllowed} allowed, ${b.status.currentHealthy} healthy`
      + ` of ${b.status.expectedPods} expected, ${b.status.desiredHealthy} desired`);

    // WHEN every member is evicted at once, replicas first (a drain of three nodes).
    const order = ['orders-2', 'orders-1', 'orders-0'];
    const results: Array<{ pod: string; status: number; message: string; expected: boolean }> = [];
    for (const name of order) {
      const pod = members.find(p => p.metadata.name === name);
      const expected = covering(pod).every(b => allowed.get(b.metadata.name)! > 0);
      const res = await cluster().client.request('POST', `/api/v1/namespaces/${ns}/pods/${name}/eviction`, {
        apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns },
      });
      if (res.status === 201) for (const b of covering(pod)) allowed.set(b.metadata.name, allowed.get(b.metadata.name)! - 1);
      results.push({ pod: name, status: res.status, message: String(res.body?.message ?? ''), expected });
    }

    // THEN the server follows the budgets: the first replica may go, never all of them.
    if (results[0].status !== 201) {
      throw new Error(`a drain cannot evict even one replica of a healthy database (${results[0].pod}: ${results[0].message}); the budgets: ${summary.join('; ')}`);
    }
    for (const r of results) expect({ pod: r.pod, evicted: r.status === 201 }).toEqual({ pod: r.pod, evicted: r.expected });
    const refused = results.filter(r => r.status !== 201);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.message).toContain('disruption budget');
    }
    // The evicted member comes back (same name, same claim).
    const back = await waitForReadyPods(cluster(), ns, selector, 3);
    expect(claimOf(back.find(p => p.metadata.name === 'orders-2'))).toBe('data-orders-2');
  });

  test('scaled down then up, members get their own claims back by ordinal', async () => {
    const before = new Map((await list(cluster(), claimsPath(ns))).map(c => [c.metadata.name, c]));

    // WHEN scaled to one member: the highest ordinal goes first, and the claims stay.
    await scaleStatefulSet(cluster(), ns, 'orders', 1);
    const seen: string[][] = [];
    await waitFor(cluster(), 'orders scaled to one member', async () => {
      const names = (await pods(cluster(), ns, selector)).map(p => p.metadata.name).sort();
      seen.push(names);
      return names.length === 1 ? names : undefined;
    }, 60_000, ns);
    expect(seen.some(names => names.includes('orders-2') && !names.includes('orders-1'))).toBe(false);
    await sleep(1000); // give the garbage collector a chance to do what Retain forbids
    const retained = new Map((await list(cluster(), claimsPath(ns))).map(c => [c.metadata.name, c]));
    for (const name of ['data-orders-1', 'data-orders-2']) {
      expect(retained.get(name)?.metadata.uid).toBe(before.get(name).metadata.uid);
      expect(retained.get(name)?.status.phase).toBe('Bound');
    }

    // WHEN scaled back to three: each new pod mounts the claim of its ordinal, bound to the same volume.
    await scaleStatefulSet(cluster(), ns, 'orders', 3);
    const members = await waitForReadyPods(cluster(), ns, selector, 3);
    const after = new Map((await list(cluster(), claimsPath(ns))).map(c => [c.metadata.name, c]));
    expect([...after.keys()].filter(n => n.startsWith('data-')).sort()).toEqual(['data-orders-0', 'data-orders-1', 'data-orders-2']);
    for (const pod of members) {
      const claim = after.get(claimOf(pod)!);
      expect(claim.metadata.name).toBe(`data-${pod.metadata.name}`);
      expect(claim.metadata.uid).toBe(before.get(claim.metadata.name).metadata.uid);
      expect(claim.spec.volumeName).toBe(before.get(claim.metadata.name).spec.volumeName);
      // The scheduler put the member where its volume is.
      const pv = await get(cluster(), `/api/v1/persistentvolumes/${claim.spec.volumeName}`);
      expect((await placement(cluster(), pod)).zone).toBe(volumeAffinity(pv, ZONE));
    }
  });

  test('a configuration change rolls the members one at a time from the highest ordinal, each on its own claim', async () => {
    const before = new Map((await pods(cluster(), ns, selector)).map(p => [p.metadata.name, p.metadata.uid]));
    // WHEN a parameter changes (the config hash on the pod template changes).
    await deploy(ns, 'orders', { parameters: { max_connections: '300' } });
    const replaced: string[] = [];
    const violations: string[] = [];
    await waitFor(cluster(), 'orders rolled out', async () => {
      const found = await pods(cluster(), ns, selector);
      for (const p of found) {
        if (p.metadata.uid !== before.get(p.metadata.name) && !replaced.includes(p.metadata.name)) replaced.push(p.metadata.name);
      }
      const unready = ['orders-0', 'orders-1', 'orders-2'].filter(n => !found.some(p => p.metadata.name === n && isReady(p)));
      if (unready.length > 1) violations.push(`not ready at once: ${unready.join(', ')}`);
      const sts = await get(cluster(), `/apis/apps/v1/namespaces/${ns}/statefulsets/orders`);
      const done = sts.status.observedGeneration === sts.metadata.generation && sts.status.updatedReplicas === 3
        && sts.status.readyReplicas === 3 && sts.status.currentRevision === sts.status.updateRevision;
      return done && found.length === 3 && found.every(isReady);
    }, 60_000, ns);
    expect(replaced).toEqual(['orders-2', 'orders-1', 'orders-0']);
    expect([...new Set(violations)]).toEqual([]);
    for (const pod of await pods(cluster(), ns, selector)) expect(claimOf(pod)).toBe(`data-${pod.metadata.name}`);
  });
});

test('claim retention Delete removes the claims of removed members, then of the deleted database', async () => {
  const ns = 'cache';
  const { selector } = await deploy(ns, 'sessions', {
    replicas: 2,
    claimRetentionWhenScaled: ClaimRetention.DELETE,
    claimRetentionWhenDeleted: ClaimRetention.DELETE,
  });
  await waitForReadyPods(cluster(), ns, selector, 2);
  const claims = await list(cluster(), claimsPath(ns));
  expect(claims.map(c => c.metadata.name).sort()).toEqual(['data-sessions-0', 'data-sessions-1']);
  const volumeOf = new Map(claims.map(c => [c.metadata.name, c.spec.volumeName]));

  // WHEN scaled down: the removed member's claim goes (and its volume, reclaimPolicy Delete).
  await scaleStatefulSet(cluster(), ns, 'sessions', 1);
  await waitFor(cluster(), 'data-sessions-1 deleted', async () => !(await get(cluster(), `${claimsPath(ns)}/data-sessions-1`)), 30_000, ns);
  expect(await get(cluster(), `${claimsPath(ns)}/data-sessions-0`)).toBeDefined();
  await waitFor(cluster(), 'the volume of data-sessions-1 deleted', async () => !(await get(cluster(), `/api/v1/persistentvolumes/${volumeOf.get('data-sessions-1')}`)));

  // WHEN the StatefulSet is deleted: the remaining claim goes too.
  const res = await cluster().client.request('DELETE', `/apis/apps/v1/namespaces/${ns}/statefulsets/sessions`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
  expect(res.status).toBe(200);
  await waitFor(cluster(), 'every claim of sessions deleted', async () => (await list(cluster(), claimsPath(ns))).length === 0, 30_000, ns);
  await waitFor(cluster(), 'the volume of data-sessions-0 deleted', async () => !(await get(cluster(), `/api/v1/persistentvolumes/${volumeOf.get('data-sessions-0')}`)));
});

test('the default Retain keeps every claim when the database is deleted', async () => {
  const ns = 'keep';
  const { selector } = await deploy(ns, 'ledger', { replicas: 1 });
  await waitForReadyPods(cluster(), ns, selector, 1);
  await cluster().client.request('DELETE', `/apis/apps/v1/namespaces/${ns}/statefulsets/ledger`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
  await waitFor(cluster(), 'the ledger pod gone', async () => (await pods(cluster(), ns, selector)).length === 0, 30_000, ns);
  await sleep(1000);
  const claims = await list(cluster(), claimsPath(ns));
  expect(claims.map(c => [c.metadata.name, c.status.phase])).toEqual([['data-ledger-0', 'Bound']]);
});

// The CronJob scenario waits for a minute boundary: it starts first and runs beside the others.
const BACKUP_NS = 'backups';
let backupStarted: Promise<{ name: string; lastRun: number } | { error: unknown }>;
beforeAll(() => {
  backupStarted = (async () => {
    const { selector } = await deploy(BACKUP_NS, 'billing', {
      replicas: 1,
      backup: BackupPolicy.logical({ schedule: '* * * * *', keep: 2, storage: { size: Size.gibibytes(5) } }),
    });
    await waitForReadyPods(cluster(), BACKUP_NS, selector, 1);
    const cronJobs = await list(cluster(), `/apis/batch/v1/namespaces/${BACKUP_NS}/cronjobs`);
    if (cronJobs.length !== 1) throw new Error(`expected one CronJob, got ${cronJobs.map(c => c.metadata.name).join(', ')}`);
    const name = cronJobs[0].metadata.name;
    // GIVEN the CronJob last ran three minutes ago (as after a controller restart), the controller
    // starts the most recent missed run at once instead of us waiting for a minute boundary.
    const lastRun = Math.floor((Date.now() - 180_000) / 1000) * 1000;
    await patch(cluster(), `/apis/batch/v1/namespaces/${BACKUP_NS}/cronjobs/${name}/status`, {
      status: { lastScheduleTime: new Date(lastRun).toISOString().replace(/\.\d+Z$/, 'Z') },
    });
    return { name, lastRun };
  })().catch(error => ({ error }));
}, 120_000);

test('the backup CronJob creates a Job on schedule, and Forbid holds the next run while one is active', async () => {
  const ns = BACKUP_NS;
  const started = await backupStarted;
  if ('error' in started) throw started.error;
  const { name, lastRun } = started;
  expect((await get(cluster(), `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`)).spec.concurrencyPolicy).toBe('Forbid');
  const first = await waitFor(cluster(), 'the first backup Job', async () => {
    const jobs = await list(cluster(), `/apis/batch/v1/namespaces/${ns}/jobs`);
    return jobs.length > 0 ? jobs : undefined;
  }, 30_000, ns);
  expect(first).toHaveLength(1);
  const job = first[0];
  expect(job.metadata.ownerReferences[0]).toMatchObject({ kind: 'CronJob', name, controller: true });
  const scheduled = Date.parse(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']);
  expect(scheduled % 60_000).toBe(0); // a minute boundary of '* * * * *'
  // The most recent missed run: after the last one, at most a minute before the Job was made.
  expect(scheduled).toBeGreaterThan(lastRun);
  expect(Date.parse(job.metadata.creationTimestamp) - scheduled).toBeLessThan(60_000);

  // Its pod runs (the simulated kubelet keeps Job pods running), with the backup claim bound.
  const jobPods = await waitFor(cluster(), 'the backup pod running', async () => {
    const found = await pods(cluster(), ns, `job-name=${job.metadata.name}`);
    return found.length === 1 && found[0].status?.phase === 'Running' ? found : undefined;
  }, 30_000, ns);
  const backupClaim = await get(cluster(), `${claimsPath(ns)}/${claimOf(jobPods[0], 'backups')}`);
  expect(backupClaim.status.phase).toBe('Bound');

  // WHEN the next minute comes while it runs, THEN no second Job starts.
  const skipped = await waitFor(cluster(), 'the CronJob controller skipping a run', async () => {
    const events = await eventsFor(cluster(), ns, name);
    return events.find(e => e.reason === 'JobAlreadyActive');
  }, 80_000, ns);
  expect(skipped.message).toContain('Forbid');
  expect(await list(cluster(), `/apis/batch/v1/namespaces/${ns}/jobs`)).toHaveLength(1);
  const status = (await get(cluster(), `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`)).status;
  expect(status.active.map((a: any) => a.name)).toEqual([job.metadata.name]);

  // WHEN the run completes, the Job is Complete and the CronJob has nothing active.
  cluster().nodes.jobRunSeconds = 0;
  await waitFor(cluster(), 'the backup Job complete', async () => {
    const j = await get(cluster(), `/apis/batch/v1/namespaces/${ns}/jobs/${job.metadata.name}`);
    return condition(j, 'Complete')?.status === 'True' ? j : undefined;
  }, 30_000, ns);
  await waitFor(cluster(), 'no active backup', async () => {
    const cj = await get(cluster(), `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`);
    return (cj.status.active ?? []).length === 0;
  }, 30_000, ns);
}, 180_000);
