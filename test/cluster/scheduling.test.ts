/**
 * The real kube-scheduler against our manifests on simulated nodes: anti-affinity, zone spreading,
 * node agents on tainted nodes, and two guard claims shown for real (SG008, SG001). The cluster
 * starts with two nodes and grows as the tests add nodes.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AgentTaintEffect, AgentTolerationOperator, NodeAgentNamespace, NodeExporterDaemon } from '../../src/daemons';
import { AntiAffinity, DatabaseCredentials, DatabaseEngine, StatefulDatabase, StatefulDatabaseProps } from '../../src/database';
import { runGuards } from '../../src/guards/runner';
import { LocalVolumePool, PersistentClaim } from '../../src/storage';
import { taint } from '../../tools/kube/cluster';
import { RESTRICTED_JSON, synth } from '../harness';
import { condition, get, isReady, list, placement, pods, sleep, useCluster, volumeAffinity, waitFor, waitForReadyPods } from './helpers';

const cluster = useCluster({ nodes: 2, zones: 2 });

const HOSTNAME = 'kubernetes.io/hostname';

async function deployDatabase(namespace: string, name: string, props: Partial<StatefulDatabaseProps>): Promise<string> {
  const chart = new Chart(new App(), namespace, { namespace });
  new StatefulDatabase(chart, name, {
    engine: DatabaseEngine.postgres({ version: '16.4' }),
    replicas: 3,
    storage: { size: Size.gibibytes(5) },
    credentials: DatabaseCredentials.fromPasswords({ superuserPassword: 'super-secret-1', replicationPassword: 'replica-secret-2' }),
    ...props,
  });
  await cluster().apply(synth(chart));
  return `app.kubernetes.io/instance=${name}`;
}

/** The scheduler's verdict on a pending pod: the PodScheduled condition once it says Unschedulable. */
function unschedulable(cluster_: typeof cluster, namespace: string, name: string): Promise<any> {
  return waitFor(cluster_(), `${name} reported unschedulable`, async () => {
    const pod = await get(cluster_(), `/api/v1/namespaces/${namespace}/pods/${name}`);
    const scheduled = pod && condition(pod, 'PodScheduled');
    return scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' ? { pod, scheduled } : undefined;
  }, 30_000, namespace);
}

/** The resources the guards report under a rule, as `Kind/name`. */
function guardFindings(objects: any[], ruleId: string): string[] {
  return runGuards(objects.map(manifest => ({ manifest }))).findings.filter(f => f.ruleId === ruleId)
    .map(f => `${f.resource.kind}/${f.resource.name}`);
}

test('required anti-affinity: a third member on two nodes stays Pending with the scheduler\'s reason, and runs once a node is added', async () => {
  const ns = 'anti';
  const selector = await deployDatabase(ns, 'orders', { antiAffinity: AntiAffinity.REQUIRED });
  // OrderedReady: orders-2 is created once orders-0 and orders-1 run, on the two nodes.
  const { pod, scheduled } = await unschedulable(cluster, ns, 'orders-2');
  expect(pod.status.phase).toBe('Pending');
  expect(scheduled.message).toMatch(/^0\/2 nodes are available: 2 node\(s\) didn't match pod anti-affinity rules/);
  const running = (await pods(cluster(), ns, selector)).filter(isReady);
  expect(running.map(p => p.spec.nodeName).sort()).toEqual(['node-a', 'node-b']);

  // WHEN a third node joins, THEN the scheduler places the member there.
  await cluster().nodes.addNode({ name: 'node-c', zone: 'zone-c' });
  const members = await waitForReadyPods(cluster(), ns, selector, 3);
  expect(members.find(p => p.metadata.name === 'orders-2').spec.nodeName).toBe('node-c');
});

test('spreadAcrossZones puts three members in three zones when one zone has two nodes', async () => {
  // GIVEN zone-a holds two nodes (node-a and an empty node-d), zone-b and zone-c one each.
  await cluster().nodes.addNode({ name: 'node-d', zone: 'zone-a' });
  const ns = 'spread';
  const selector = await deployDatabase(ns, 'ledger', { spreadAcrossZones: true });
  const members = await waitForReadyPods(cluster(), ns, selector, 3);
  const zones = await Promise.all(members.map(async p => (await placement(cluster(), p)).zone));
  expect(zones.sort()).toEqual(['zone-a', 'zone-b', 'zone-c']);
});

test('node agents run on every node, tainted ones included, as far as their tolerations go', async () => {
  // GIVEN two tainted nodes: one for databases, one with GPUs.
  await cluster().nodes.addNode({ name: 'node-e', zone: 'zone-b', taints: [taint('dedicated', 'NoSchedule', 'database'), taint('dedicated', 'NoExecute', 'database')] });
  await cluster().nodes.addNode({ name: 'node-f', zone: 'zone-c', taints: [taint('nvidia.com/gpu', 'NoSchedule')] });
  const chart = new Chart(new App(), 'agents');
  const ns = new NodeAgentNamespace(chart, 'ns', { name: 'monitoring' });
  // The default toleration (Exists): every taint.
  const everywhere = new NodeExporterDaemon(chart, 'node-exporter', { name: 'node-exporter', namespace: ns });
  // Only the database nodes' taint.
  new NodeExporterDaemon(chart, 'db-nodes', {
    name: 'db-node-exporter',
    namespace: ns,
    port: 9110,
    tolerations: [{ key: 'dedicated', operator: AgentTolerationOperator.EQUAL, value: 'database', effect: AgentTaintEffect.NO_SCHEDULE },
      { key: 'dedicated', operator: AgentTolerationOperator.EQUAL, value: 'database', effect: AgentTaintEffect.NO_EXECUTE }],
  });
  await cluster().apply(synth(chart, { podSecurity: everywhere.podSecurityLevel }));

  const nodesOf = async (name: string, count: number) => {
    const found = await waitForReadyPods(cluster(), 'monitoring', `app.kubernetes.io/instance=${name}`, count);
    return found.map(p => p.spec.nodeName).sort();
  };
  const allNodes = (await list(cluster(), '/api/v1/nodes')).map(n => n.metadata.name).sort();
  expect(allNodes).toEqual(['node-a', 'node-b', 'node-c', 'node-d', 'node-e', 'node-f']);
  expect(await nodesOf('node-exporter', 6)).toEqual(allNodes);
  expect(await nodesOf('db-node-exporter', 5)).toEqual(allNodes.filter(n => n !== 'node-f'));
  // The DaemonSet controller counts the GPU node out, it does not wait for it. (Its status trails
  // the pods' readiness by a sync: wait for it to settle on the ready count.)
  const ds = await waitFor(cluster(), 'the DaemonSet status to count 5 ready pods', async () => {
    const found = await get(cluster(), '/apis/apps/v1/namespaces/monitoring/daemonsets/db-node-exporter');
    return found?.status?.numberReady === 5 ? found : undefined;
  });
  expect(ds.status).toMatchObject({ desiredNumberScheduled: 5, numberReady: 5 });
});

describe('SG008 for real: local volumes and the binding mode', () => {
  test('Immediate binding binds a claim to a disk on another node than the pod must run on: the pod cannot be scheduled', async () => {
    const chart = new Chart(new App(), 'immediate', { namespace: 'immediate' });
    new kplus.k8s.KubeStorageClass(chart, 'class', {
      metadata: { name: 'local-immediate' },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'Immediate',
      reclaimPolicy: 'Retain',
    });
    new kplus.k8s.KubePersistentVolume(chart, 'disk', {
      metadata: { name: 'node-a-ssd0' },
      spec: {
        capacity: { storage: kplus.k8s.Quantity.fromString('100Gi') },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local-immediate',
        persistentVolumeReclaimPolicy: 'Retain',
        local: { path: '/mnt/disks/ssd0' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME, operator: 'In', values: ['node-a'] }] }] } },
      },
    });
    new kplus.k8s.KubePersistentVolumeClaim(chart, 'claim', {
      metadata: { name: 'reports-data' },
      spec: { storageClassName: 'local-immediate', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: kplus.k8s.Quantity.fromString('50Gi') } } },
    });
    reportsDeployment(chart, 'reports-data');
    const objects = synth(chart);
    expect(guardFindings(objects, 'SG008')).toEqual(['StorageClass/local-immediate']);

    await cluster().apply(objects);
    // The PersistentVolume controller binds at once, before any pod exists.
    const claim = await waitFor(cluster(), 'reports-data bound', async () => {
      const c = await get(cluster(), '/api/v1/namespaces/immediate/persistentvolumeclaims/reports-data');
      return c?.status.phase === 'Bound' ? c : undefined;
    });
    expect(claim.spec.volumeName).toBe('node-a-ssd0');
    const [pod] = await waitFor(cluster(), 'the reports pod', async () => {
      const found = await pods(cluster(), 'immediate', 'app=reports');
      return found.length === 1 ? found : undefined;
    });
    const { scheduled } = await unschedulable(cluster, 'immediate', pod.metadata.name);
    expect(scheduled.message).toContain("1 node(s) didn't match PersistentVolume's node affinity");
    await sleep(1000);
    expect((await get(cluster(), `/api/v1/namespaces/immediate/pods/${pod.metadata.name}`)).status.phase).toBe('Pending');
  });

  test('with LocalVolumePool (WaitForFirstConsumer) the same pod gets the disk of its node and runs', async () => {
    const chart = new Chart(new App(), 'waiting', { namespace: 'waiting' });
    const pool = new LocalVolumePool(chart, 'pool', {
      storageClassName: 'local-wait',
      volumes: ['node-a', 'node-b'].map(node => ({ node, path: '/mnt/disks/ssd1', size: Size.gibibytes(100) })),
    });
    const claim = new PersistentClaim(chart, 'claim', { name: 'reports-data', storageClass: pool, size: Size.gibibytes(50) });
    reportsDeployment(chart, claim.claimName);
    const objects = synth(chart);
    expect(guardFindings(objects, 'SG008')).toEqual([]);

    await cluster().apply(objects);
    const [pod] = await waitForReadyPods(cluster(), 'waiting', 'app=reports', 1);
    expect(pod.spec.nodeName).toBe('node-b');
    const bound = await get(cluster(), '/api/v1/namespaces/waiting/persistentvolumeclaims/reports-data');
    const pv = await get(cluster(), `/api/v1/persistentvolumes/${bound.spec.volumeName}`);
    expect(volumeAffinity(pv, HOSTNAME)).toBe('node-b');
  });
});

test('SG001 for real: three replicas with required anti-affinity and one ReadWriteOncePod claim leave two pods Pending', async () => {
  const chart = new Chart(new App(), 'rwop', { namespace: 'rwop' });
  new kplus.k8s.KubeStorageClass(chart, 'class', {
    metadata: { name: 'ebs-gp3' },
    provisioner: 'ebs.csi.aws.com',
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Delete',
    parameters: { type: 'gp3' },
  });
  new kplus.k8s.KubePersistentVolumeClaim(chart, 'claim', {
    metadata: { name: 'uploads' },
    spec: { storageClassName: 'ebs-gp3', accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: kplus.k8s.Quantity.fromString('10Gi') } } },
  });
  const labels = { app: 'uploads' };
  new kplus.k8s.KubeDeployment(chart, 'web', {
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          affinity: {
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: HOSTNAME }] },
          },
          containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27', securityContext: RESTRICTED_JSON, volumeMounts: [{ name: 'uploads', mountPath: '/uploads' }] }],
          volumes: [{ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads' } }],
        },
      },
    },
  });
  const objects = synth(chart);
  expect(guardFindings(objects, 'SG001')).toEqual(['Deployment/web']);

  await cluster().apply(objects);
  const all = await waitFor(cluster(), 'one web pod running and two unschedulable', async () => {
    const found = await pods(cluster(), 'rwop', 'app=uploads');
    const pending = found.filter(p => condition(p, 'PodScheduled')?.reason === 'Unschedulable');
    return found.length === 3 && found.filter(isReady).length === 1 && pending.length === 2 ? found : undefined;
  }, 30_000, 'rwop');
  for (const p of all.filter(x => !isReady(x))) {
    const message = condition(p, 'PodScheduled').message;
    expect(message).toContain('unavailable due to PersistentVolumeClaim with ReadWriteOncePod access mode already in-use by another pod');
  }
  await sleep(1000);
  expect((await pods(cluster(), 'rwop', 'app=uploads')).filter(isReady)).toHaveLength(1);
});

/** A one-replica Deployment that must run on node-b and mounts a claim. */
function reportsDeployment(chart: Chart, claimName: string): void {
  const labels = { app: 'reports' };
  new kplus.k8s.KubeDeployment(chart, 'reports', {
    metadata: { name: 'reports' },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { [HOSTNAME]: 'node-b' },
          containers: [{ name: 'reports', image: 'ghcr.io/example/reports:1.0.0', securityContext: RESTRICTED_JSON, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
        },
      },
    },
  });
}
