import { synthExample } from '../../examples/examples';
import { checkedByApiServer, find, parseYaml } from '../harness';

describe('example shared-uploads', () => {
  // GIVEN the example app WHEN synthesized
  const objects = checkedByApiServer(parseYaml(synthExample('shared-uploads')));
  const claim = find(objects, 'PersistentVolumeClaim', 'uploads');
  const mountsOf = (d: any) => d.spec.template.spec.containers[0].volumeMounts.filter((m: any) => {
    const vol = d.spec.template.spec.volumes.find((v: any) => v.name === m.name);
    return vol?.persistentVolumeClaim?.claimName === claim.metadata.name;
  });

  test('claims ReadWriteMany on an EFS class and declares a single writer', () => {
    const sc = find(objects, 'StorageClass');
    expect(sc.provisioner).toBe('efs.csi.aws.com');
    expect(sc.parameters.provisioningMode).toBe('efs-ap');
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(claim.spec.storageClassName).toBe(sc.metadata.name);
    expect(claim.metadata.annotations['stateful.cdk8s.io/writers']).toBe('single');
  });

  test('mounts the uploads read-only into the three web replicas', () => {
    const web = find(objects, 'Deployment', 'web');
    expect(web.spec.replicas).toBe(3);
    const mounts = mountsOf(web);
    expect(mounts).toEqual([expect.objectContaining({ mountPath: '/usr/share/nginx/html/uploads', readOnly: true })]);
  });

  test('has exactly one writer: a single-replica uploader that is recreated, never rolled', () => {
    const uploader = find(objects, 'Deployment', 'uploader');
    expect(uploader.spec.replicas).toBe(1);
    expect(uploader.spec.strategy.type).toBe('Recreate');
    expect(mountsOf(uploader)).toEqual([expect.objectContaining({ mountPath: '/srv/uploads', readOnly: false })]);
    const writers = objects.filter(o => o.kind === 'Deployment').flatMap(d => mountsOf(d).filter((m: any) => !m.readOnly));
    expect(writers).toHaveLength(1);
  });

  test('keeps the cdk8s-plus restricted security defaults', () => {
    for (const name of ['web', 'uploader']) {
      const spec = find(objects, 'Deployment', name).spec.template.spec;
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      expect(spec.containers[0].securityContext).toEqual(expect.objectContaining({
        allowPrivilegeEscalation: false, privileged: false, runAsNonRoot: true, readOnlyRootFilesystem: true,
      }));
    }
  });
});
