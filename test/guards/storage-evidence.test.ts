import { Guards } from '../../src/guards';
import { Provisioner } from '../../src/storage';
import { checkedByApiServer } from '../harness';
import { restrictedContainer } from './helpers';

/**
 * Storage misses within what the rules claim, and one class of wrong findings: the legacy class
 * annotation, claims a StatefulSet generates mounted elsewhere, in-tree provisioners, and
 * ReadWriteMany claims bound to one node's disk. Plain manifests shaped like the public ones.
 */

type Json = Record<string, any>;
const LEGACY = 'volume.beta.kubernetes.io/storage-class';

function storageClass(name: string, provisioner: string, extra: Json = {}): Json {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, ...extra };
}

function claim(name: string, o: { modes?: string[]; annotations?: Record<string, string>; className?: string; volumeName?: string } = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      ...(o.className !== undefined ? { storageClassName: o.className } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
  };
}

function deployment(name: string, image: string, claimName: string, mountPath: string, replicas = 1): Json {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [restrictedContainer({ name: 'main', image, volumeMounts: [{ name: 'data', mountPath }] })],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
        },
      },
    },
  };
}

interface Template {
  readonly name: string;
  readonly annotations?: Record<string, string>;
  readonly modes?: string[];
}

function statefulSet(name: string, image: string, mountPath: string, template: Template, replicas = 3): Json {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: name,
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [restrictedContainer({ name: 'main', image, volumeMounts: [{ name: template.name, mountPath }] })] } },
      volumeClaimTemplates: [{
        metadata: { name: template.name, ...(template.annotations ? { annotations: template.annotations } : {}) },
        spec: { accessModes: template.modes ?? ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
      }],
    },
  };
}

const check = (objects: Json[]) => Guards.check(checkedByApiServer(objects));
const ids = (objects: Json[], ruleId: string) => check(objects).findings.filter(f => f.ruleId === ruleId);

describe('the legacy volume.beta.kubernetes.io/storage-class annotation names the class', () => {
  // The API server accepts the annotation with a deprecation warning, which the harness counts as a
  // refusal: these manifests are checked by the guards only (they are written, not synthesized).
  const legacyIds = (objects: Json[], ruleId: string) => Guards.check(objects).findings.filter(f => f.ruleId === ruleId);

  test('SG013 sees database data on a Delete class named by the annotation, on a claim and on a claim template', () => {
    // GIVEN a default Retain class and a Delete class named only by the annotation
    const objects = [
      storageClass('safe', 'ebs.csi.aws.com', { reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', metadata: { name: 'safe', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }),
      storageClass('scratch', 'ebs.csi.aws.com', { volumeBindingMode: 'WaitForFirstConsumer' }),
      claim('pg-data', { annotations: { [LEGACY]: 'scratch' } }),
      deployment('pg', 'postgres:16', 'pg-data', '/var/lib/postgresql/data'),
      statefulSet('mongo', 'mongo:7', '/data/db', { name: 'data', annotations: { [LEGACY]: 'scratch' } }, 1),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'mongo' }, spec: { clusterIP: 'None', selector: { app: 'mongo' }, ports: [{ port: 27017 }] } },
    ];
    // THEN
    expect(legacyIds(objects, 'SG013').map(f => f.message)).toEqual([
      expect.stringMatching(/PersistentVolumeClaim default\/pg-data holds database data .* on StorageClass 'scratch'/),
      expect.stringMatching(/claim template 'data' of StatefulSet default\/mongo holds database data .* on StorageClass 'scratch'/),
    ]);
  });

  test('SG006 judges the access modes against the annotated class, not the default one', () => {
    const objects = [
      storageClass('files', 'efs.csi.aws.com', { metadata: { name: 'files', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }),
      storageClass('blocks', 'ebs.csi.aws.com', { volumeBindingMode: 'WaitForFirstConsumer' }),
      claim('shared', { modes: ['ReadWriteMany'], annotations: { [LEGACY]: 'blocks' } }),
    ];
    const [f] = legacyIds(objects, 'SG006');
    expect(f.message).toMatch(/asks for ReadWriteMany in Filesystem mode from StorageClass 'blocks'/);
  });

  test('the graph reads the annotation for claims and templates alike', () => {
    const report = Guards.check([storageClass('local-disks', 'kubernetes.io/no-provisioner', { volumeBindingMode: 'WaitForFirstConsumer' }),
      claim('fast', { modes: ['ReadWriteMany'], annotations: { [LEGACY]: 'local-disks' } })]);
    // local volumes serve ReadWriteOnce only: the claim on them is judged (it was not before)
    expect(report.findings.map(f => f.ruleId)).toEqual(['SG006']);
  });
});

describe('SG010 claims a StatefulSet generates, mounted by another workload', () => {
  test('warns on a Deployment mounting data-db-0 (template data of StatefulSet db), naming pod db-0', () => {
    const objects = [
      statefulSet('db', 'nginx:1.27', '/data', { name: 'data' }, 3),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 80 }] } },
      deployment('backup', 'busybox:1.36', 'data-db-0', '/backup'),
    ];
    const [f] = ids(objects, 'SG010');
    expect(f).toMatchObject({ severity: 'warning', resource: { kind: 'Deployment', name: 'backup' } });
    expect(f.message).toMatch(/claim 'data-db-0' \(created from claim template 'data' of StatefulSet default\/db\) \(ReadWriteOnce\) belongs to pod db-0 of StatefulSet default\/db, and is also mounted by Deployment default\/backup\./);
  });

  test('also when the claim is pre-created in the input (to bind a chosen volume)', () => {
    const objects = [
      statefulSet('db', 'nginx:1.27', '/data', { name: 'data' }, 2),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 80 }] } },
      claim('data-db-1'),
      deployment('backup', 'busybox:1.36', 'data-db-1', '/backup'),
    ];
    const [f] = ids(objects, 'SG010');
    expect(f.resource).toMatchObject({ kind: 'PersistentVolumeClaim', name: 'data-db-1' });
    expect(f.message).toMatch(/belongs to pod db-1 of StatefulSet default\/db, and is also mounted by Deployment default\/backup/);
  });

  test('ignores ordinals the StatefulSet never reaches, and ReadWriteMany templates', () => {
    const objects = [
      statefulSet('db', 'nginx:1.27', '/data', { name: 'data' }, 2),
      statefulSet('files', 'nginx:1.27', '/data', { name: 'shared', modes: ['ReadWriteMany'] }, 1),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'files' }, spec: { clusterIP: 'None', selector: { app: 'files' }, ports: [{ port: 80 }] } },
      deployment('late', 'busybox:1.36', 'data-db-5', '/backup'),
      deployment('reader', 'busybox:1.36', 'shared-files-0', '/shared'),
    ];
    expect(ids(objects, 'SG010')).toEqual([]);
  });
});

describe('in-tree provisioners are in the catalog', () => {
  test('SG008 rejects Immediate binding of zonal in-tree classes (the storage-classes page examples)', () => {
    const objects = ['kubernetes.io/gce-pd', 'kubernetes.io/aws-ebs', 'kubernetes.io/azure-disk', 'kubernetes.io/cinder']
      .map((p, i) => storageClass(`zonal-${i}`, p));
    const findings = ids(objects, 'SG008');
    expect(findings.map(f => [f.resource.name, f.severity])).toEqual([0, 1, 2, 3].map(i => [`zonal-${i}`, 'error']));
    expect(findings[0].message).toMatch(/topology-bound \(zonal\) provisioner kubernetes.io\/gce-pd with volumeBindingMode Immediate \(the default\)/);
  });

  test('SG008 accepts in-tree zonal classes that name their zones or wait for the consumer, and never judges shared ones', () => {
    const objects = [
      storageClass('pinned', 'kubernetes.io/gce-pd', { parameters: { type: 'pd-standard', zone: 'us-central1-a' } }),
      storageClass('waits', 'kubernetes.io/aws-ebs', { volumeBindingMode: 'WaitForFirstConsumer' }),
      storageClass('files', 'kubernetes.io/azure-file'),
      storageClass('vsphere', 'kubernetes.io/vsphere-volume'),
    ];
    expect(ids(objects, 'SG008')).toEqual([]);
  });

  test('SG006 rejects ReadWriteMany on an in-tree block provisioner and accepts it on an in-tree file provisioner', () => {
    const objects = [
      storageClass('gp2', 'kubernetes.io/aws-ebs', { volumeBindingMode: 'WaitForFirstConsumer' }),
      storageClass('azurefile', 'kubernetes.io/azure-file'),
      claim('on-ebs', { modes: ['ReadWriteMany'], className: 'gp2' }),
      claim('on-files', { modes: ['ReadWriteMany'], className: 'azurefile' }),
    ];
    expect(ids(objects, 'SG006').map(f => f.resource.name)).toEqual(['on-ebs']);
  });

  test('they are read from classes only: no factory, not among the factories\' names', () => {
    expect(Provisioner.fromStorageClass('kubernetes.io/gce-pd')?.capabilities).toMatchObject({ topologyBound: true, source: expect.stringMatching(/^https:\/\/kubernetes.io\//) });
    expect(Provisioner.knownNames()).not.toContain('kubernetes.io/gce-pd');
  });
});

describe('SG014 and a ReadWriteMany claim on one node\'s disk', () => {
  function perNodeVolume(name: string, source: Json): Json {
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        ...source,
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['worker-1'] }] }] } },
      },
    };
  }

  test('is not judged as shared storage when its volume is local, a node-local CSI volume, or pinned to one node', () => {
    const objects = [
      perNodeVolume('local-1', { local: { path: '/mnt/disks/ssd1' } }),
      perNodeVolume('lvm-1', { csi: { driver: 'local.csi.openebs.io', volumeHandle: 'pvc-1234' } }),
      claim('scratch-a', { modes: ['ReadWriteMany'], className: '', volumeName: 'local-1' }),
      claim('scratch-b', { modes: ['ReadWriteMany'], className: '', volumeName: 'lvm-1' }),
      deployment('a', 'busybox:1.36', 'scratch-a', '/scratch', 3),
      deployment('b', 'busybox:1.36', 'scratch-b', '/scratch', 3),
    ];
    expect(ids(objects, 'SG014')).toEqual([]);
  });

  test('is still judged on shared storage (control: the same writers on an NFS volume)', () => {
    const nfs = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'nfs-1' },
      spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteMany'], storageClassName: '', nfs: { server: 'nfs.example.com', path: '/exports' } },
    };
    const objects = [nfs, claim('shared', { modes: ['ReadWriteMany'], className: '', volumeName: 'nfs-1' }), deployment('a', 'busybox:1.36', 'shared', '/scratch', 3)];
    expect(ids(objects, 'SG014')).toHaveLength(1);
  });
});
