import { ManifestGraph, Selector } from '../../src/guards/graph';

const input = (...manifests: any[]) => manifests.map(manifest => ({ manifest }));
const sc = (name: string, provisioner: string, extra: any = {}) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, ...extra.metadata }, provisioner, ...extra.body });
const claim = (name: string, spec: any, namespace?: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace }, spec });
const deployment = (name: string, labels: Record<string, string>, volumes: any[] = [], namespace?: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx', volumeMounts: volumes.map(v => ({ name: v.name, mountPath: `/${v.name}` })) }], volumes } },
  },
});

describe('the manifest graph', () => {
  test('resolves a claim without a class to the class marked default in the input, and "" to no class', () => {
    const g = new ManifestGraph(input(
      sc('slow', 'ebs.csi.aws.com'),
      sc('fast', 'ebs.csi.aws.com', { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }),
      claim('a', { accessModes: ['ReadWriteOnce'] }),
      claim('b', { accessModes: ['ReadWriteOnce'], storageClassName: '' }),
      claim('c', { accessModes: ['ReadWriteOnce'], storageClassName: 'slow' }),
    ));
    expect(g.claim('default', 'a')!.storageClass!.name).toBe('fast');
    expect(g.claim('default', 'b')!.storageClass).toBeUndefined();
    expect(g.claim('default', 'c')!.storageClass!.name).toBe('slow');
  });

  test('reads the legacy volume.beta.kubernetes.io/storage-class annotation, which wins over spec.storageClassName as in Kubernetes', () => {
    const legacy = { 'volume.beta.kubernetes.io/storage-class': 'slow' };
    const g = new ManifestGraph(input(
      sc('slow', 'ebs.csi.aws.com'),
      sc('fast', 'ebs.csi.aws.com', { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }),
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'a', annotations: legacy }, spec: { accessModes: ['ReadWriteOnce'] } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'b', annotations: legacy }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast' } },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: { selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [] } }, volumeClaimTemplates: [{ metadata: { name: 'data', annotations: legacy }, spec: {} }] },
      },
    ));
    expect(g.claim('default', 'a')!.storageClass!.name).toBe('slow');
    expect(g.claim('default', 'b')!.storageClass!.name).toBe('slow');
    expect(g.workloads[0].claimTemplates[0].storageClass!.name).toBe('slow');
  });

  test('models ReplicationControllers as workloads, with their plain-map selector', () => {
    const g = new ManifestGraph(input({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { app: 'web' }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    }));
    const [rc] = g.workloads;
    expect(rc.kind).toBe('ReplicationController');
    expect(rc.replicas).toBe(2);
    expect(rc.selector!.matches({ app: 'web' })).toBe(true);
    expect(rc.selector!.matches({ app: 'other' })).toBe(false);
  });

  test('knows provisioner capabilities from the catalog, adjusted by parameters, and nothing about unknown ones', () => {
    const g = new ManifestGraph(input(
      sc('io2', 'ebs.csi.aws.com', { body: { parameters: { type: 'io2' } } }),
      sc('strict', 'driver.longhorn.io', { body: { parameters: { dataLocality: 'strict-local' } } }),
      sc('mystery', 'example.com/unknown'),
    ));
    const [io2, strict, mystery] = g.storageClasses;
    expect(io2.capabilities!.blockAccessModes).toContain('ReadWriteMany');
    expect(strict.capabilities!.filesystemAccessModes).not.toContain('ReadWriteMany');
    expect(strict.capabilities!.topologyBound).toBe(true);
    expect(mystery.capabilities).toBeUndefined();
    expect(io2.reclaimPolicy).toBe('Delete');
    expect(io2.bindingMode).toBe('Immediate');
  });

  test('binds claims to volumes by volumeName or claimRef, per namespace', () => {
    const pv = (name: string, spec: any) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec });
    const g = new ManifestGraph(input(
      pv('by-name', { hostPath: { path: '/a' } }),
      pv('by-ref', { claimRef: { namespace: 'shop', name: 'data' }, local: { path: '/b' }, persistentVolumeReclaimPolicy: 'Delete' }),
      claim('x', { volumeName: 'by-name' }),
      claim('data', {}, 'shop'),
      claim('data', {}),
    ));
    expect(g.claim('default', 'x')!.volume!.obj.name).toBe('by-name');
    expect(g.claim('shop', 'data')!.volume!.reclaimPolicy).toBe('Delete');
    expect(g.claim('default', 'data')!.volume).toBeUndefined();
  });

  test('links workloads to their claims, autoscalers and budgets within their namespace', () => {
    const labels = { app: 'web', tier: 'front' };
    const g = new ManifestGraph(input(
      claim('data', { accessModes: ['ReadWriteOnce'] }, 'shop'),
      deployment('web', labels, [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }], 'shop'),
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 6 },
      },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'all', namespace: 'shop' }, spec: { selector: {}, maxUnavailable: 1 } },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, maxUnavailable: 1 },
      },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1 } },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'other', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'db' } }, maxUnavailable: 1 } },
    ));
    const w = g.workload('shop', 'Deployment', 'web')!;
    expect(w.replicas).toBe(1);
    expect(w.maxReplicas).toBe(6);
    expect(w.pdbs.map(p => p.obj.name).sort()).toEqual(['all', 'web']);
    expect(w.claimUses).toHaveLength(1);
    expect(w.claimUses[0].claim!.uses[0].workload).toBe(w);
    expect(w.claimUses[0].writers.map(c => c.name)).toEqual(['c']);
  });

  test('label selectors follow Kubernetes semantics', () => {
    const s = Selector.of({
      matchLabels: { app: 'a' },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['dev'] }, { key: 'tier', operator: 'Exists' }, { key: 'canary', operator: 'DoesNotExist' },
      ],
    })!;
    expect(s.matches({ app: 'a', tier: 'x' })).toBe(true);
    expect(s.matches({ app: 'a', tier: 'x', env: 'dev' })).toBe(false);
    expect(s.matches({ app: 'a', tier: 'x', canary: 'y' })).toBe(false);
    expect(s.matches({ app: 'a' })).toBe(false);
    expect(Selector.of({})!.matches({ any: 'thing' })).toBe(true);
    expect(Selector.of(undefined)).toBeUndefined();
    expect(Selector.of({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })!.matches({ a: 'b' })).toBe(false);
  });

  test('counts a DaemonSet as one pod per node and reads Job parallelism and CronJob templates', () => {
    const podSpec = { containers: [{ name: 'c', image: 'redis:7' }] };
    const g = new ManifestGraph(input(
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: podSpec } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 4, template: { spec: podSpec } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: podSpec } } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { x: 'y' } }, spec: podSpec },
    ));
    expect(g.workloads.map(w => [w.kind, w.replicas, w.databaseContainers.length])).toEqual([
      ['DaemonSet', Infinity, 1], ['Job', 4, 1], ['CronJob', 1, 1], ['Pod', 1, 1],
    ]);
    expect(g.workload('default', 'Pod', 'p')!.podLabels).toEqual({ x: 'y' });
  });
});
