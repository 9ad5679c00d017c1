/**
 * A web tier sharing one EFS uploads directory: three nginx replicas mount it read-only, and a
 * single uploader (one replica, Recreate strategy so a rollout never runs two) mounts it
 * read-write. The claim declares the single-writer model for the guards.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Provisioner, SharedFileVolume, StorageClass, WriterModel } from '../../src';

// The restricted Pod Security profile: cdk8s-plus already runs non-root without privilege
// escalation; drop every capability and keep the runtime's seccomp filter on top of that.
const RESTRICTED: kplus.ContainerSecurityContextProps = {
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

export function build(app: App): void {
  const chart = new Chart(app, 'shared-uploads');
  const efs = new StorageClass(chart, 'efs', {
    name: 'efs-uploads',
    // One EFS access point per claim; the access point enforces its own POSIX identity for every client.
    provisioner: Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0', directoryPerms: '750' }),
  });
  const uploads = new SharedFileVolume(chart, 'uploads', {
    name: 'uploads',
    storageClass: efs,
    size: Size.gibibytes(100),
    writers: WriterModel.SINGLE_WRITER,
  });

  const web = new kplus.Deployment(chart, 'web', {
    replicas: 3,
    containers: [{
      name: 'nginx',
      image: 'nginxinc/nginx-unprivileged:1.27',
      portNumber: 8080,
      securityContext: RESTRICTED,
    }],
  });
  uploads.mount(web.containers[0], '/usr/share/nginx/html/uploads', { readOnly: true });
  // cdk8s-plus makes the root filesystem read-only: nginx-unprivileged keeps its pid and caches in /tmp.
  web.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'web-tmp', 'tmp'));

  const uploader = new kplus.Deployment(chart, 'uploader', {
    replicas: 1,
    strategy: kplus.DeploymentStrategy.recreate(),
    containers: [{
      name: 'uploader',
      image: 'ghcr.io/example/uploader:1.4.2',
      portNumber: 8081,
      envVariables: { UPLOAD_DIR: kplus.EnvValue.fromValue('/srv/uploads') },
      securityContext: RESTRICTED,
    }],
  });
  uploads.mount(uploader.containers[0], '/srv/uploads');
}
