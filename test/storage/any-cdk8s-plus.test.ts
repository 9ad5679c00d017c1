/**
 * Workloads from any cdk8s-plus version, or none: a SharedFileVolume mounts into them,
 * `allowFromWorkload` admits them to a database, and the guards check them. cdk8s-plus-28 (the
 * peer dependency) and cdk8s-plus-33 (what a new cdk8s app gets) side by side, and a raw
 * `k8s.KubeDeployment`; every assertion reads the synthesized output.
 */
import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import { expectStatefulError } from './expect-error';
import { Guards } from '../../src';
import { DatabaseEngine, StatefulDatabase } from '../../src/database';
import { StatefulError } from '../../src/internal/errors';
import { PersistentClaim, Provisioner, SharedFileVolume, StorageClass, WriterModel } from '../../src/storage';
import { find, RESTRICTED, RESTRICTED_JSON, synth } from '../harness';

const RESTRICTED_33: kplus33.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: 1000,
  group: 1000,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus33.Capability.ALL] },
  seccompProfile: { type: kplus33.SeccompProfileType.RUNTIME_DEFAULT },
};

function setup(writers?: WriterModel, chart?: Chart) {
  const c = chart ?? new Chart(Testing.app(), 'test');
  const efs = new StorageClass(c, 'efs', { provisioner: Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' }) });
  const volume = new SharedFileVolume(c, 'shared', { storageClass: efs, size: Size.gibibytes(10), writers });
  return { c, volume };
}

const plus28 = (c: Chart, id: string, props: Partial<kplus.DeploymentProps> = {}) => new kplus.Deployment(c, id, {
  replicas: 1,
  strategy: kplus.DeploymentStrategy.recreate(),
  containers: [{ name: 'main', image: 'busybox:1.36', securityContext: RESTRICTED }],
  ...props,
});
const plus33 = (c: Chart, id: string, props: Partial<kplus33.DeploymentProps> = {}) => new kplus33.Deployment(c, id, {
  replicas: 1,
  strategy: kplus33.DeploymentStrategy.recreate(),
  containers: [{ name: 'main', image: 'busybox:1.36', securityContext: RESTRICTED_33 }],
  ...props,
});
/** A hand-written Deployment that already has a volume of its own. */
const raw = (c: Chart, id: string, replicas = 1) => new kplus.k8s.KubeDeployment(c, id, {
  spec: {
    replicas,
    strategy: { type: 'Recreate' },
    selector: { matchLabels: { app: id } },
    template: {
      metadata: { labels: { app: id, tier: 'web' } },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        volumes: [{ name: 'scratch', emptyDir: {} }],
        containers: [{ name: 'main', image: 'busybox:1.36', securityContext: RESTRICTED_JSON, volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }] }],
      },
    },
  },
});

/** The pod spec of the synthesized Deployment whose name contains `name`. */
const podSpec = (objects: any[], name: string) => find(objects, 'Deployment', name).spec.template.spec;
/** The pod volumes of the claim, and each container's mounts of it by container name. */
function claimMounts(objects: any[], name: string, claimName: string): { volumes: any[]; mounts: Record<string, any[]> } {
  const spec = podSpec(objects, name);
  const volumes = (spec.volumes ?? []).filter((v: any) => v.persistentVolumeClaim?.claimName === claimName);
  const names = new Set(volumes.map((v: any) => v.name));
  const mounts: Record<string, any[]> = {};
  for (const ct of spec.containers) mounts[ct.name] = (ct.volumeMounts ?? []).filter((m: any) => names.has(m.name));
  return { volumes, mounts };
}

// The library's constructs turn the guards on: their warnings (SG014 for the many-pod writers) are expected here.
let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('SharedFileVolume.mountInto', () => {
  test.each([
    ['cdk8s-plus-28 Deployment', (c: Chart) => plus28(c, 'app')],
    ['cdk8s-plus-33 Deployment', (c: Chart) => plus33(c, 'app')],
    ['raw KubeDeployment', (c: Chart) => raw(c, 'app')],
  ])('mounts into every container of a %s: the synthesized Deployment carries the volume and the mount', (_, make) => {
    // GIVEN
    const { c, volume } = setup();
    const workload = make(c);
    // WHEN
    volume.mountInto(workload, { path: '/data', subPath: 'app' });
    // THEN
    const objects = synth(c);
    const { volumes, mounts } = claimMounts(objects, 'app', volume.claimName);
    expect(volumes).toEqual([{ name: expect.stringMatching(/^[a-z0-9-]+$/), persistentVolumeClaim: { claimName: volume.claimName, readOnly: false } }]);
    expect(mounts).toEqual({ main: [{ name: volumes[0].name, mountPath: '/data', readOnly: false, subPath: 'app' }] });
  });

  test('keeps what a raw Deployment already mounts', () => {
    const { c, volume } = setup();
    volume.mountInto(raw(c, 'app'), { path: '/data', readOnly: true });
    const spec = podSpec(synth(c), 'app');
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['scratch', expect.any(String)]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'scratch', mountPath: '/tmp' },
      { name: spec.volumes[1].name, mountPath: '/data', readOnly: true },
    ]);
  });

  test('mounts into the named container only, and into containers added after the call', () => {
    // GIVEN a cdk8s-plus-33 Deployment whose second container comes later
    const { c, volume } = setup();
    const app = plus33(c, 'app', { replicas: 3, strategy: undefined });
    const other = plus33(c, 'other', { replicas: 2, strategy: undefined });
    // WHEN
    volume.mountInto(app, { path: '/srv/logs', containerName: 'shipper', readOnly: true });
    volume.mountInto(other, { path: '/srv', readOnly: true });
    app.addContainer({ name: 'shipper', image: 'busybox:1.36', securityContext: RESTRICTED_33 });
    other.addContainer({ name: 'late', image: 'busybox:1.36', securityContext: RESTRICTED_33 });
    // THEN
    const objects = synth(c);
    const inApp = claimMounts(objects, 'app', volume.claimName);
    expect(inApp.mounts).toEqual({ main: [], shipper: [{ name: inApp.volumes[0].name, mountPath: '/srv/logs', readOnly: true }] });
    const inOther = claimMounts(objects, 'other', volume.claimName);
    expect(Object.keys(inOther.mounts)).toEqual(['main', 'late']);
    for (const m of Object.values(inOther.mounts)) expect(m).toEqual([{ name: inOther.volumes[0].name, mountPath: '/srv', readOnly: true }]);
  });

  test('lists the volume once when cdk8s-plus-28 mount and mountInto both use it in one pod', () => {
    const { c, volume } = setup();
    const d = plus28(c, 'app');
    volume.mount(d.containers[0], '/data');
    volume.mountInto(d, { path: '/mirror', readOnly: true });
    const { volumes, mounts } = claimMounts(synth(c), 'app', volume.claimName);
    expect(volumes).toHaveLength(1);
    expect(mounts.main.map(m => [m.mountPath, m.readOnly])).toEqual([['/data', false], ['/mirror', true]]);
  });

  test('names an unknown container, listing those the workload has, when synthesized', () => {
    const { c, volume } = setup();
    volume.mountInto(plus33(c, 'app'), { path: '/data', containerName: 'sidecar', readOnly: true });
    expectStatefulError(() => Testing.synth(c),
      "SharedFileVolume 'test/shared': containerName must be one of the containers of Deployment 'test/app/Resource': main, got \"sidecar\".");
  });

  test('refuses what is not a workload with a pod template, and bad options', () => {
    const { c, volume } = setup();
    const config = new kplus33.ConfigMap(c, 'config', { data: { a: 'b' } });
    expectStatefulError(() => volume.mountInto(config, { path: '/data' }),
      'SharedFileVolume \'test/shared\': workload must be a workload with a pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob), got "ConfigMap test/config/Resource".');
    expectStatefulError(() => volume.mountInto({} as any, { path: '/data' }),
      "SharedFileVolume 'test/shared': workload must be a workload construct: a Deployment, StatefulSet, DaemonSet or Job of any cdk8s-plus version, or an ApiObject such as k8s.KubeDeployment, got {}.");
    const bare = new Chart(c, 'bare');
    expect(() => volume.mountInto(bare, { path: '/data' })).toThrow(/workload must be a workload construct.*got "construct test\/bare \(no ApiObject as its default child\)"/);
    expect(() => volume.mountInto(plus33(c, 'app'), { path: 'data' })).toThrow(StatefulError);
    expect(() => volume.mountInto(plus33(c, 'app2'), { path: '/data', subPath: '../up' })).toThrow(/subPath must be a relative path/);
  });

  test('single writer: a second read-write workload throws, whichever cdk8s-plus built either', () => {
    const { c, volume } = setup();
    const writer = plus28(c, 'writer');
    volume.mount(writer.containers[0], '/data');
    volume.mountInto(plus33(c, 'reader'), { path: '/data', readOnly: true });
    expectStatefulError(() => volume.mountInto(raw(c, 'second'), { path: '/data' }),
      "SharedFileVolume 'test/shared': readOnly must be true for a second mount (the containers of Deployment 'test/second' at /data): the writer model is single and container main already mounts it read-write at /data; mount readers with readOnly: true, or declare writers: WriterModel.COORDINATED_WRITERS if the application coordinates its writers, got false.");
  });

  test.each([
    ['3 replicas', (c: Chart) => plus33(c, 'writer', { replicas: 3 }), 'runs in 3 replicas'],
    ['a rolling update', (c: Chart) => plus33(c, 'writer', { strategy: kplus33.DeploymentStrategy.rollingUpdate() }), 'runs in two pods during each rolling update'],
    ['3 raw replicas', (c: Chart) => raw(c, 'writer', 3), 'runs in 3 replicas'],
  ])('single writer: synthesis fails when the one writing workload runs in more than one pod (%s)', (_, make, problem) => {
    const { c, volume } = setup();
    volume.mountInto(make(c), { path: '/data' });
    expect(() => Testing.synth(c)).toThrow(new RegExp(`the read-write mount of the containers of Deployment 'test/writer(/Resource)?' in test/writer ${problem}`));
  });

  test('coordinated writers may write from many pods', () => {
    const { c, volume } = setup(WriterModel.COORDINATED_WRITERS);
    volume.mountInto(plus33(c, 'a', { replicas: 3 }), { path: '/data' });
    volume.mountInto(raw(c, 'b', 2), { path: '/data' });
    const objects = synth(c);
    expect(claimMounts(objects, 'a', volume.claimName).mounts.main).toHaveLength(1);
    expect(claimMounts(objects, 'b', volume.claimName).mounts.main).toHaveLength(1);
  });
});

describe('StatefulDatabase.allowFromWorkload', () => {
  const database = (c: Chart) => new StatefulDatabase(c, 'orders', { engine: DatabaseEngine.postgres({ version: '16.4' }), storage: { size: Size.gibibytes(1) } });
  const grantedPeers = (objects: any[]) => find(objects, 'NetworkPolicy').spec.ingress[1].from;

  test.each([
    ['cdk8s-plus-28', (c: Chart) => plus28(c, 'api')],
    ['cdk8s-plus-33', (c: Chart) => plus33(c, 'api')],
    ['raw KubeDeployment', (c: Chart) => raw(c, 'api')],
  ])('admits a %s workload by the labels of its pod template', (_, make) => {
    const c = Testing.chart();
    const db = database(c);
    db.allowFromWorkload(make(c));
    const objects = synth(c);
    const podLabels = find(objects, 'Deployment', 'api').spec.template.metadata.labels;
    expect(Object.keys(podLabels).length).toBeGreaterThan(0);
    expect(grantedPeers(objects)).toEqual([{ podSelector: { matchLabels: podLabels } }]);
    expect(find(objects, 'NetworkPolicy').spec.ingress[1].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });

  test('reads labels added after the call, and admits a workload of another namespace by that namespace', () => {
    const app = Testing.app();
    const data = new Chart(app, 'data', { namespace: 'data' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const db = database(data);
    const api = plus33(web, 'api');
    db.allowFromWorkload(api);
    api.podMetadata.addLabel('team', 'shop');
    const objects = synth(data);
    const peer = grantedPeers(objects)[0];
    expect(peer.podSelector.matchLabels.team).toBe('shop');
    expect(peer.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['web'] }] });
    synth(web);
  });

  test('refuses a workload without pod labels (it would admit every pod) and what is not a workload', () => {
    const c = Testing.chart();
    const db = database(c);
    const unlabelled = new kplus.k8s.KubeJob(c, 'job', {
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', securityContext: RESTRICTED_JSON }] } } },
    });
    db.allowFromWorkload(unlabelled);
    expect(() => Testing.synth(c)).toThrow(/allowFromWorkload must be a workload whose pod template carries labels .*got "Job 'test\/job'"/);
    const claim = new ApiObject(c, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(() => db.allowFromWorkload(claim)).toThrow(/allowFromWorkload must be a workload with a pod template/);
  });
});

describe('Guards with cdk8s-plus-33', () => {
  test('a cdk8s-plus-33 Deployment of 3 replicas on a ReadWriteOnce claim fails synth (SG001)', () => {
    // GIVEN
    const app = new App();
    const chart = new Chart(app, 'shop');
    const ebs = new StorageClass(chart, 'ebs', { provisioner: Provisioner.awsEbs() });
    const claim = new PersistentClaim(chart, 'data', { size: Size.gibibytes(10), storageClass: ebs });
    const volume = kplus33.Volume.fromPersistentVolumeClaim(chart, 'volume', kplus33.PersistentVolumeClaim.fromClaimName(chart, 'ref', claim.claimName));
    new kplus33.Deployment(chart, 'web', {
      replicas: 3,
      strategy: kplus33.DeploymentStrategy.recreate(),
      containers: [{ image: 'nginxinc/nginx-unprivileged:1.27', securityContext: RESTRICTED_33, volumeMounts: [{ path: '/data', volume }] }],
    });
    // WHEN
    Guards.enable(app);
    // THEN
    expect(() => synth(chart)).toThrow(/\[shop\] SG001 \[error\] .*\(construct shop\/web\/Resource\): Deployment default\/shop-web-.* runs 3 replica\(s\)/);
  });
});
