/**
 * Every example of examples/ applied to a real control plane with three simulated nodes
 * (node-a, node-b, node-c in three zones: the nodes the local-disks example names) rolls out:
 * its Deployments, StatefulSets and DaemonSets become Ready and the claims their pods mount bind.
 * What an example needs from the cluster (a Secret it reads, a class it names) is created first,
 * as its README section says.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { buildExample, exampleNames } from '../../examples/examples';
import { Cluster } from '../../tools/kube/cluster';
import { RESTRICTED_JSON, synth, synthApp } from '../harness';
import { condition, eventsFor, get, isReady, pods, useCluster, volumeAffinity, waitFor } from './helpers';

const cluster = useCluster({ nodes: 3, zones: 3 });

/** What the cluster must hold before an example is applied (objects of a setup chart). */
const PREREQUISITES: Record<string, (chart: Chart) => void> = {
  'mariadb-standalone': chart => secret(chart, 'wiki', 'wiki-db-passwords', { root: 'root-password-1', replication: 'replication-password-2' }),
  'node-monitoring': chart => secret(chart, 'monitoring', 'loki-credentials', { password: 'loki-password-1' }),
  'postgres-ha': chart => {
    // The existing EBS class the example names.
    new kplus.k8s.KubeStorageClass(chart, 'ebs-gp3', {
      metadata: { name: 'ebs-gp3' },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3' },
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: true,
    });
    secret(chart, 'shop', 'orders-credentials', { 'superuser-password': 'super-password-1', 'replication-password': 'replication-password-2' });
  },
};

function secret(chart: Chart, namespace: string, name: string, stringData: Record<string, string>): void {
  new kplus.k8s.KubeSecret(chart, `${namespace}-${name}`, { metadata: { name, namespace }, stringData });
}

/** The workloads of the objects, rolled out: every replica updated and Ready. */
async function waitForRollout(c: Cluster, objects: any[]): Promise<string[]> {
  const workloads = objects.filter(o => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
  const done: string[] = [];
  for (const w of workloads) {
    const ns = w.metadata.namespace ?? 'default';
    const path = `/apis/apps/v1/namespaces/${ns}/${w.kind.toLowerCase()}s/${w.metadata.name}`;
    await waitFor(c, `${w.kind} ${ns}/${w.metadata.name} rolled out`, async () => {
      const live = await get(c, path);
      const s = live?.status ?? {};
      if (s.observedGeneration !== live?.metadata.generation) return false;
      if (w.kind === 'DaemonSet') return s.desiredNumberScheduled === 3 && s.numberReady === 3 && s.updatedNumberScheduled === 3;
      const replicas = live.spec.replicas ?? 1;
      if (w.kind === 'StatefulSet') return s.readyReplicas === replicas && s.currentRevision === s.updateRevision;
      return s.readyReplicas === replicas && s.updatedReplicas === replicas && condition(live, 'Available')?.status === 'True';
    }, 60_000, ns);
    done.push(`${w.kind}/${w.metadata.name}`);
  }
  return done;
}

/** Every claim mounted by the running pods of a namespace is Bound. */
async function expectMountedClaimsBound(c: Cluster, namespace: string): Promise<number> {
  let count = 0;
  for (const pod of (await pods(c, namespace)).filter(isReady)) {
    for (const v of pod.spec.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const claim = await get(c, `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${v.persistentVolumeClaim.claimName}`);
      expect({ claim: claim.metadata.name, phase: claim.status.phase }).toEqual({ claim: claim.metadata.name, phase: 'Bound' });
      count++;
    }
  }
  return count;
}

/** A pod that mounts a claim (what the examples without workloads leave to their users). */
function consumer(chart: Chart, name: string, claimName: string): void {
  new kplus.k8s.KubePod(chart, name, {
    metadata: { name, labels: { app: name } },
    spec: {
      containers: [{ name: 'app', image: 'ghcr.io/example/app:1.0.0', securityContext: RESTRICTED_JSON, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
  });
}

// cassandra, redis and zookeeper are not rolled out here: with required anti-affinity their
// members need more than the three simulated nodes offer beside the other examples (cassandra
// and zookeeper run five members, one per node). Their servers run for real from the same configuration in
// test/database-scripts/cassandra-ring.test.ts, redis-sentinel.test.ts and zookeeper-ensemble.test.ts.
test('the examples are the ones this file knows how to roll out', () => {
  expect(exampleNames()).toEqual(['cassandra', 'etcd', 'local-disks', 'mariadb-standalone', 'node-monitoring', 'postgres-ha', 'redis', 'shared-uploads', 'snapshots', 'zookeeper']);
});

test('mariadb-standalone waits for its Secret, then rolls out', async () => {
  const objects = synthApp(buildExample('mariadb-standalone'));
  await cluster().apply(objects);
  // The pod cannot start without the Secret it reads (a kubelet's CreateContainerConfigError).
  const blocked = await waitFor(cluster(), 'wiki-db-0 blocked on its Secret', async () => {
    const pod = await get(cluster(), '/api/v1/namespaces/wiki/pods/wiki-db-0');
    const waiting = pod?.status?.containerStatuses?.[0]?.state?.waiting;
    return waiting?.reason === 'CreateContainerConfigError' ? waiting : undefined;
  }, 30_000, 'wiki');
  expect(blocked.message).toContain('"wiki-db-passwords" not found');

  const setup = new Chart(new App(), 'setup');
  PREREQUISITES['mariadb-standalone'](setup);
  await cluster().apply(synth(setup));
  expect(await waitForRollout(cluster(), objects)).toEqual(['StatefulSet/wiki-db']);
  expect(await expectMountedClaimsBound(cluster(), 'wiki')).toBe(1);
});

test.each(['etcd', 'node-monitoring', 'postgres-ha', 'shared-uploads'])('%s rolls out to Ready on the simulated nodes', async name => {
  const setup = new Chart(new App(), 'setup');
  PREREQUISITES[name]?.(setup);
  const objects = synthApp(buildExample(name), { podSecurity: name === 'node-monitoring' ? 'privileged' : 'restricted' });
  await cluster().apply([...synth(setup), ...objects]);
  const workloads = await waitForRollout(cluster(), objects);
  expect(workloads.length).toBeGreaterThan(0);
  for (const ns of new Set(objects.map(o => o.metadata.namespace ?? 'default'))) await expectMountedClaimsBound(cluster(), ns);
  if (name === 'postgres-ha') {
    // Required anti-affinity and zone spreading: one member per node and zone.
    const members = await pods(cluster(), 'shop', 'app.kubernetes.io/instance=orders');
    expect(new Set(members.map(p => p.spec.nodeName)).size).toBe(3);
  }
});

test('local-disks: the claim waits for its first consumer, then binds the disk of the consumer\'s node', async () => {
  const objects = synthApp(buildExample('local-disks'));
  await cluster().apply(objects);
  await waitFor(cluster(), 'cache-data waiting for a consumer', async () => {
    const events = await eventsFor(cluster(), 'default', 'cache-data');
    return events.some(e => e.reason === 'WaitForFirstConsumer');
  });
  expect((await get(cluster(), '/api/v1/namespaces/default/persistentvolumeclaims/cache-data')).status.phase).toBe('Pending');

  const chart = new Chart(new App(), 'consumer');
  consumer(chart, 'cache-user', 'cache-data');
  await cluster().apply(synth(chart));
  const pod = await waitFor(cluster(), 'cache-user running', async () => {
    const p = await get(cluster(), '/api/v1/namespaces/default/pods/cache-user');
    return p && isReady(p) ? p : undefined;
  });
  const claim = await get(cluster(), '/api/v1/namespaces/default/persistentvolumeclaims/cache-data');
  const pv = await get(cluster(), `/api/v1/persistentvolumes/${claim.spec.volumeName}`);
  expect(pv.spec.local.path).toBe('/mnt/disks/nvme0');
  expect(volumeAffinity(pv, 'kubernetes.io/hostname')).toBe(pod.spec.nodeName);
});

test('snapshots: the claim binds for its consumer; the restore waits for a snapshot no controller makes ready', async () => {
  const objects = synthApp(buildExample('snapshots'));
  // postgres-ha's cluster had its own ebs-gp3 class; this example defines another one (the
  // parameters of a class are immutable): the examples are separate clusters, this one is shared.
  await cluster().client.request('DELETE', '/apis/storage.k8s.io/v1/storageclasses/ebs-gp3');
  await cluster().apply(objects);
  const chart = new Chart(new App(), 'consumers', { namespace: 'default' });
  consumer(chart, 'orders-app', 'orders-data');
  consumer(chart, 'restored-app', 'orders-data-restored');
  await cluster().apply(synth(chart));

  await waitFor(cluster(), 'orders-app running', async () => {
    const p = await get(cluster(), '/api/v1/namespaces/default/pods/orders-app');
    return p && isReady(p);
  });
  expect((await get(cluster(), '/api/v1/namespaces/default/persistentvolumeclaims/orders-data')).status.phase).toBe('Bound');
  // No snapshot controller runs here: the VolumeSnapshot never becomes readyToUse, and a CSI
  // provisioner refuses to restore from it.
  const failed = await waitFor(cluster(), 'the restore refused', async () => {
    const events = await eventsFor(cluster(), 'default', 'orders-data-restored');
    return events.find(e => e.reason === 'ProvisioningFailed');
  });
  expect(failed.message).toContain('orders-data-2026-11-23 is not Ready');
  expect((await get(cluster(), '/api/v1/namespaces/default/pods/restored-app')).status.phase).toBe('Pending');
});
