import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectStatefulError } from './expect-error';
import { Provisioner, SharedFileVolume, StorageClass, WriterModel } from '../../src/storage';
import { find, RESTRICTED, synth } from '../harness';

function setup(writers?: WriterModel) {
  const c = new Chart(Testing.app(), 'test');
  const efs = new StorageClass(c, 'efs', { provisioner: Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' }) });
  const volume = new SharedFileVolume(c, 'shared', { storageClass: efs, size: Size.gibibytes(10), writers });
  return { c, efs, volume };
}
const deployment = (c: Chart, id: string, props: Partial<kplus.DeploymentProps> = {}) =>
  new kplus.Deployment(c, id, { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [{ name: id, image: 'busybox:1.36', securityContext: RESTRICTED }], ...props });
function claimMounts(objects: any[], deploymentName: string, claimName: string): any[] {
  const spec = find(objects, 'Deployment', deploymentName).spec.template.spec;
  const volumes = (spec.volumes ?? []).filter((v: any) => v.persistentVolumeClaim?.claimName === claimName);
  expect(volumes).toHaveLength(1);
  return spec.containers.flatMap((ct: any) => (ct.volumeMounts ?? []).filter((m: any) => m.name === volumes[0].name));
}

describe('SharedFileVolume', () => {
  test('claims ReadWriteMany Filesystem and records the single-writer model by default', () => {
    // GIVEN / WHEN
    const { c, efs, volume } = setup();
    // THEN
    const claim = find(synth(c), 'PersistentVolumeClaim');
    expect(claim.metadata.annotations).toEqual({ 'stateful.cdk8s.io/writers': 'single' });
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', storageClassName: efs.storageClassName, resources: { requests: { storage: '10Gi' } },
    });
    expect(volume.claimName).toBe(claim.metadata.name);
    expect(volume.writers).toBe(WriterModel.SINGLE_WRITER);
    expect(SharedFileVolume.WRITERS_ANNOTATION).toBe('stateful.cdk8s.io/writers');
  });

  test('records coordinated writers', () => {
    const { c } = setup(WriterModel.COORDINATED_WRITERS);
    expect(find(synth(c), 'PersistentVolumeClaim').metadata.annotations['stateful.cdk8s.io/writers']).toBe('coordinated');
  });

  test('mounts read-only readers and one read-write writer; the Deployments carry exactly those mounts', () => {
    // GIVEN
    const { c, volume } = setup();
    const web = deployment(c, 'web', { replicas: 3, strategy: undefined });
    const uploader = deployment(c, 'uploader');
    // WHEN
    volume.mount(web.containers[0], '/srv/www/uploads', { readOnly: true, subPath: 'public' });
    volume.mount(uploader.containers[0], '/data');
    // THEN
    const objects = synth(c);
    expect(claimMounts(objects, 'web', volume.claimName)).toEqual([{ name: expect.any(String), mountPath: '/srv/www/uploads', readOnly: true, subPath: 'public' }]);
    expect(claimMounts(objects, 'uploader', volume.claimName)).toEqual([{ name: expect.any(String), mountPath: '/data', readOnly: false }]);
    const podVolume = find(objects, 'Deployment', 'web').spec.template.spec.volumes[0];
    expect(podVolume).toEqual({ name: expect.any(String), persistentVolumeClaim: { claimName: volume.claimName, readOnly: false } });
  });

  test('lists the volume once in a pod whose two containers mount it', () => {
    const { c, volume } = setup();
    const d = deployment(c, 'app');
    const sidecar = d.addContainer({ name: 'sidecar', image: 'busybox:1.36', securityContext: RESTRICTED });
    volume.mount(d.containers[0], '/data');
    volume.mount(sidecar, '/data', { readOnly: true });
    const objects = synth(c);
    expect(claimMounts(objects, 'app', volume.claimName).map(m => m.readOnly)).toEqual([false, true]);
  });

  test('rejects a second read-write mount under the single-writer model, suggesting coordinated writers or readOnly', () => {
    const { c, volume } = setup();
    const a = deployment(c, 'a');
    const b = deployment(c, 'b');
    volume.mount(a.containers[0], '/data');
    expectStatefulError(() => volume.mount(b.containers[0], '/data'),
      "SharedFileVolume 'test/shared': readOnly must be true for a second mount (container b at /data): the writer model is single and container a already mounts it read-write at /data; mount readers with readOnly: true, or declare writers: WriterModel.COORDINATED_WRITERS if the application coordinates its writers, got false.");
  });

  test('lets the one writing container mount the volume at two paths', () => {
    const { c, volume } = setup();
    const writer = deployment(c, 'writer');
    volume.mount(writer.containers[0], '/data/in', { subPath: 'in' });
    volume.mount(writer.containers[0], '/data/out', { subPath: 'out' });
    expect(claimMounts(synth(c), 'writer', volume.claimName).map(m => [m.mountPath, m.readOnly])).toEqual([['/data/in', false], ['/data/out', false]]);
  });

  test('accepts a writer Deployment scaled to zero', () => {
    const { c, volume } = setup();
    volume.mount(deployment(c, 'writer', { replicas: 0, strategy: undefined }).containers[0], '/data');
    expect(find(synth(c), 'Deployment', 'writer').spec.replicas).toBe(0);
  });

  test('accepts several writers when they coordinate', () => {
    const { c, volume } = setup(WriterModel.COORDINATED_WRITERS);
    const workers = deployment(c, 'workers', { replicas: 4, strategy: undefined });
    const importer = deployment(c, 'importer');
    volume.mount(workers.containers[0], '/data');
    volume.mount(importer.containers[0], '/data');
    const objects = synth(c);
    expect(claimMounts(objects, 'workers', volume.claimName)[0].readOnly).toBe(false);
    expect(claimMounts(objects, 'importer', volume.claimName)[0].readOnly).toBe(false);
  });

  test('fails synthesis when the single writer runs in several replicas', () => {
    const { c, volume } = setup();
    volume.mount(deployment(c, 'writer', { replicas: 2 }).containers[0], '/data');
    expect(() => synth(c)).toThrow(/SharedFileVolume 'test\/shared': writers must be "coordinated" .* runs in 2 replicas, got "single"\./);
  });

  test('fails synthesis when the single writer is a rolling Deployment (two pods during a rollout)', () => {
    const { c, volume } = setup();
    volume.mount(deployment(c, 'writer', { strategy: kplus.DeploymentStrategy.rollingUpdate() }).containers[0], '/data');
    expect(() => synth(c)).toThrow(/runs in two pods during each rolling update \(use strategy: DeploymentStrategy.recreate\(\)\)/);
  });

  test('fails synthesis when the single writer is a DaemonSet', () => {
    const { c, volume } = setup();
    const ds = new kplus.DaemonSet(c, 'agent', { containers: [{ image: 'busybox:1.36', securityContext: RESTRICTED }] });
    volume.mount(ds.containers[0], '/data');
    expect(() => synth(c)).toThrow(/runs in one pod per node \(a DaemonSet\)/);
  });

  test('fails synthesis when the single writer is a parallel Job', () => {
    const { c, volume } = setup();
    const job = new kplus.Job(c, 'import', { containers: [{ image: 'busybox:1.36', securityContext: RESTRICTED }] });
    ApiObject.of(job).addJsonPatch(JsonPatch.add('/spec/parallelism', 3));
    volume.mount(job.containers[0], '/data');
    expect(() => synth(c)).toThrow(/runs in 3 parallel pods/);
  });

  test('a StatefulSet writer must have one replica', () => {
    const one = setup();
    const db1 = new kplus.StatefulSet(one.c, 'db', { replicas: 1, containers: [{ image: 'busybox:1.36', portNumber: 5432, securityContext: RESTRICTED }] });
    one.volume.mount(db1.containers[0], '/data');
    expect(synth(one.c).some(o => o.kind === 'StatefulSet')).toBe(true);
    const three = setup();
    const db3 = new kplus.StatefulSet(three.c, 'db', { replicas: 3, containers: [{ image: 'busybox:1.36', portNumber: 5432, securityContext: RESTRICTED }] });
    three.volume.mount(db3.containers[0], '/data');
    expect(() => synth(three.c)).toThrow(/runs in 3 replicas/);
  });

  test('accepts a one-pod Job as the single writer', () => {
    const { c, volume } = setup();
    const job = new kplus.Job(c, 'import', { containers: [{ image: 'busybox:1.36', securityContext: RESTRICTED }] });
    volume.mount(job.containers[0], '/data');
    expect(synth(c).some(o => o.kind === 'Job')).toBe(true);
  });

  test('rejects a class on block storage, naming the provisioner and suggesting file storage', () => {
    const c = new Chart(Testing.app(), 'test');
    const gp3 = new StorageClass(c, 'gp3', { name: 'gp3', provisioner: Provisioner.awsEbs() });
    expectStatefulError(() => new SharedFileVolume(c, 'shared', { storageClass: gp3, size: Size.gibibytes(10) }),
      "SharedFileVolume 'test/shared': storageClass must be a class on file storage that serves ReadWriteMany in Filesystem mode (Provisioner.awsEfs, azureFile, cephFs, nfs or longhorn), got \"gp3 (provisioner ebs.csi.aws.com)\".");
  });

  test('rejects io2 multi-attach: ReadWriteMany only as raw Block', () => {
    const c = new Chart(Testing.app(), 'test');
    const io2 = StorageClass.fromName(c, 'io2', Provisioner.awsEbs({ type: 'io2' as any, iops: 1000 }));
    expect(() => new SharedFileVolume(c, 'shared', { storageClass: io2, size: Size.gibibytes(10) })).toThrow(/provisioner ebs.csi.aws.com/);
  });

  test('rejects a class whose provisioner is unknown', () => {
    const c = new Chart(Testing.app(), 'test');
    expectStatefulError(() => new SharedFileVolume(c, 'shared', { storageClass: StorageClass.fromName(c, 'nfs-client'), size: Size.gibibytes(10) }),
      "SharedFileVolume 'test/shared': storageClass must be a class whose provisioner is known, so that ReadWriteMany can be checked (pass it: StorageClass.fromName(scope, name, Provisioner.awsEfs({...}))), got \"nfs-client\".");
  });

  test('rejects a class whose provisioner only looks like a Provisioner (untyped callers)', () => {
    // GIVEN a class whose provisioner claims ReadWriteMany but is no Provisioner
    const c = new Chart(Testing.app(), 'test');
    const lookAlike = { storageClassName: 'fake', provisioner: { name: 'fake.example.com', supports: () => true } };
    // WHEN / THEN a StatefulError, not a TypeError
    expectStatefulError(() => new SharedFileVolume(c, 'shared', { storageClass: lookAlike as any, size: Size.gibibytes(10) }),
      "SharedFileVolume 'test/shared': storageClass must be a class on file storage that serves ReadWriteMany in Filesystem mode (Provisioner.awsEfs, azureFile, cephFs, nfs or longhorn), got \"fake (provisioner {\\\"name\\\":\\\"fake.example.com\\\"})\".");
  });

  test('accepts an existing class with a known file provisioner', () => {
    const c = new Chart(Testing.app(), 'test');
    new SharedFileVolume(c, 'shared', { storageClass: StorageClass.fromName(c, 'azurefile-csi', Provisioner.azureFile()), size: Size.gibibytes(10), name: 'media' });
    const claim = find(synth(c), 'PersistentVolumeClaim');
    expect(claim.metadata.name).toBe('media');
    expect(claim.spec.storageClassName).toBe('azurefile-csi');
  });

  test('rejects bad props and mounts', () => {
    const { c, volume, efs } = setup();
    const d = deployment(c, 'd');
    expectStatefulError(() => new SharedFileVolume(c, 'x', { storageClass: efs, size: Size.gibibytes(1), writers: 'many' as any }),
      "SharedFileVolume 'test/x': writers must be one of 'single', 'coordinated', got \"many\".");
    expectStatefulError(() => new SharedFileVolume(c, 'y', { storageClass: undefined as any, size: Size.gibibytes(1) }),
      "SharedFileVolume 'test/y': storageClass must be a StorageClass (or StorageClass.fromName(scope, name, provisioner)) on file storage, got undefined.");
    expectStatefulError(() => new SharedFileVolume(c, 'z', { storageClass: efs, size: undefined as any }),
      "SharedFileVolume 'test/z': size must be a cdk8s Size such as Size.gibibytes(10), got undefined.");
    expectStatefulError(() => volume.mount(d.containers[0], 'data'),
      "SharedFileVolume 'test/shared': path must be an absolute path (starting with '/', without '..' segments), got \"data\".");
    expectStatefulError(() => volume.mount(d.containers[0], '/data', { subPath: '../etc' }),
      "SharedFileVolume 'test/shared': subPath must be a relative path inside the volume without '..' segments, such as 'uploads', got \"../etc\".");
    expectStatefulError(() => volume.mount(d.containers[0], '/data', { readOnly: 'yes' as any }),
      "SharedFileVolume 'test/shared': readOnly must be true or false, got \"yes\".");
    expectStatefulError(() => volume.mount({ name: 'main' } as any, '/data'),
      "SharedFileVolume 'test/shared': container must be a cdk8s-plus Container, got {\"name\":\"main\"}.");
  });
});
