import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSecurityLevel, verdicts } from '../harness';
import { acknowledgementTests, checkApp, claimVolume, container, findingsOf, guardReport, newChart } from './helpers';
import { AllowedTopology, Provisioner, StorageClass, VolumeBindingMode } from '../../src/storage';

const RWX = kplus.PersistentVolumeAccessMode.READ_WRITE_MANY;

function storageClass(chart: Chart, name: string, provisioner: string, extra: Record<string, any> = {}): ApiObject {
  return new ApiObject(chart, `sc-${name}`, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, ...extra });
}

describe('SG001 ReadWriteOnce claim shared by replicas', () => {
  const build = (chart: Chart) => {
    const { volume } = claimVolume(chart, 'data');
    return new kplus.Deployment(chart, 'web', { replicas: 3, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume }])] });
  };

  test('rejects a ReadWriteOnce claim on a three-replica Deployment', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG001');
    expect(f.severity).toBe('error');
    expect(f.resource.kind).toBe('Deployment');
    expect(f.resource.constructPath).toBe('test/web/Resource');
    expect(f.message).toMatch(/3 replica\(s\) that all mount PersistentVolumeClaim default\/test-data-claim-.* \(ReadWriteOnce\)/);
    expect(f.impact).toMatch(/Multi-Attach/);
  });

  test('rejects a single-replica Deployment whose autoscaler can scale it past one', () => {
    const { chart } = newChart();
    const { volume } = claimVolume(chart, 'data');
    const d = new kplus.Deployment(chart, 'web', { strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume }])] });
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: d, maxReplicas: 4 });
    const [f] = findingsOf(checkApp(chart).report, 'SG001');
    expect(f.message).toMatch(/up to 4 through its HorizontalPodAutoscaler/);
  });

  test('rejects a StatefulSet whose replicas share one claim instead of claim templates', () => {
    const { chart } = newChart();
    const { volume } = claimVolume(chart, 'data');
    new kplus.StatefulSet(chart, 'db', { replicas: 3, containers: [{ ...container('nginx', [{ path: '/data', volume }]), ports: [{ number: 80 }] }] });
    const [f] = findingsOf(checkApp(chart).report, 'SG001');
    expect(f.resource.kind).toBe('StatefulSet');
    expect(f.fix).toMatch(/volumeClaimTemplates/);
  });

  test('accepts the corrected form: one replica, or a ReadWriteMany claim', () => {
    const { chart } = newChart();
    const { volume } = claimVolume(chart, 'data');
    new kplus.Deployment(chart, 'web', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume }])] });
    const shared = claimVolume(chart, 'shared', [RWX]);
    new kplus.Deployment(chart, 'readers', { replicas: 3, containers: [container('nginx', [{ path: '/shared', volume: shared.volume, readOnly: true }])] });
    expect(findingsOf(checkApp(chart).report, 'SG001')).toEqual([]);
  });

  acknowledgementTests('SG001', build);
});

describe('SG002 ReadWriteOnce claim with RollingUpdate', () => {
  const build = (chart: Chart) => {
    const { volume } = claimVolume(chart, 'data');
    return new kplus.Deployment(chart, 'app', { replicas: 1, containers: [container('nginx', [{ path: '/data', volume }])] });
  };

  test('rejects a single-replica Deployment with the default RollingUpdate strategy', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG002');
    expect(f.message).toMatch(/rolls out with RollingUpdate \(maxSurge "25%"\)/);
    expect(f.fix).toMatch(/Recreate/);
  });

  test('accepts Recreate and a RollingUpdate with maxSurge 0', () => {
    const { chart } = newChart();
    const a = claimVolume(chart, 'a');
    new kplus.Deployment(chart, 'recreate', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume: a.volume }])] });
    const b = claimVolume(chart, 'b');
    new kplus.Deployment(chart, 'nosurge', {
      replicas: 1,
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(0),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
      }),
      containers: [container('nginx', [{ path: '/data', volume: b.volume }])],
    });
    expect(findingsOf(checkApp(chart).report, 'SG002')).toEqual([]);
  });

  acknowledgementTests('SG002', build);
});

describe('SG003 claim mounted by a DaemonSet', () => {
  const build = (chart: Chart) => {
    const { volume } = claimVolume(chart, 'cache');
    return new kplus.DaemonSet(chart, 'agent', { containers: [container('fluent/fluent-bit', [{ path: '/cache', volume }])] });
  };

  test('rejects a ReadWriteOnce claim mounted by a DaemonSet', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG003');
    expect(f.resource.kind).toBe('DaemonSet');
    expect(f.message).toMatch(/\(ReadWriteOnce\) read-write through volume/);
    expect(f.impact).toMatch(/one pod per node/);
  });

  test('rejects a ReadWriteMany claim mounted read-write by a DaemonSet', () => {
    const { chart } = newChart();
    const { volume } = claimVolume(chart, 'shared', [RWX]);
    new kplus.DaemonSet(chart, 'agent', { containers: [container('busybox', [{ path: '/shared', volume }])] });
    expect(findingsOf(checkApp(chart).report, 'SG003')).toHaveLength(1);
  });

  test('accepts a ReadWriteMany claim mounted read-only, and hostPath mounts', () => {
    const { chart } = newChart();
    const { volume } = claimVolume(chart, 'shared', [RWX], undefined, true);
    const logs = kplus.Volume.fromHostPath(chart, 'logs', 'logs', { path: '/var/log' });
    new kplus.DaemonSet(chart, 'agent', { containers: [container('busybox', [{ path: '/shared', volume, readOnly: true }, { path: '/var/log', volume: logs, readOnly: true }])] });
    // A log reader on hostPath is a node agent: its namespace is labelled privileged by the cluster admin.
    expect(findingsOf(checkApp(chart, { podSecurity: PodSecurityLevel.PRIVILEGED }).report, 'SG003')).toEqual([]);
  });

  acknowledgementTests('SG003', build);
});

describe('SG006 access mode the provisioner cannot serve', () => {
  const build = (chart: Chart) => {
    storageClass(chart, 'gp3', 'ebs.csi.aws.com', { volumeBindingMode: 'WaitForFirstConsumer' });
    const { claim, volume } = claimVolume(chart, 'shared', [RWX], 'gp3');
    new kplus.Deployment(chart, 'web', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/shared', volume }])] });
    return claim;
  };

  test('rejects a ReadWriteMany claim on an EBS class', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG006');
    expect(f.resource.kind).toBe('PersistentVolumeClaim');
    expect(f.message).toMatch(/asks for ReadWriteMany in Filesystem mode from StorageClass 'gp3', whose provisioner ebs.csi.aws.com serves ReadWriteOnce, ReadWriteOncePod/);
    expect(f.impact).toMatch(/Pending/);
  });

  test('resolves the default class of the input when the claim names none', () => {
    const { chart } = newChart();
    storageClass(chart, 'disk', 'disk.csi.azure.com', { volumeBindingMode: 'WaitForFirstConsumer', metadata: { name: 'disk', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } });
    claimVolume(chart, 'shared', [RWX]);
    expect(findingsOf(checkApp(chart).report, 'SG006')[0].message).toMatch(/StorageClass 'disk'/);
  });

  test('EBS multi-attach: a ReadWriteMany Block claim is accepted on io2 and rejected on io1, as the provisioner preset says', () => {
    // GIVEN raw claims in Block mode on io1 and io2 classes
    const { chart } = newChart();
    storageClass(chart, 'io1', 'ebs.csi.aws.com', { volumeBindingMode: 'WaitForFirstConsumer', parameters: { type: 'io1' } });
    storageClass(chart, 'io2', 'ebs.csi.aws.com', { volumeBindingMode: 'WaitForFirstConsumer', parameters: { type: 'io2' } });
    for (const type of ['io1', 'io2']) {
      new ApiObject(chart, `claim-${type}`, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: `shared-${type}` },
        spec: { accessModes: ['ReadWriteMany'], volumeMode: 'Block', storageClassName: type, resources: { requests: { storage: '10Gi' } } },
      });
    }
    // THEN only io1 is refused (the guards and Provisioner.awsEbs read the same capabilities)
    const findings = findingsOf(checkApp(chart).report, 'SG006');
    expect(findings.map(f => f.resource.name)).toEqual(['shared-io1']);
  });

  test('accepts ReadWriteMany on EFS, and never judges unknown provisioners', () => {
    const { chart } = newChart();
    storageClass(chart, 'efs', 'efs.csi.aws.com');
    storageClass(chart, 'mystery', 'example.com/unknown');
    claimVolume(chart, 'a', [RWX], 'efs');
    claimVolume(chart, 'b', [RWX], 'mystery');
    claimVolume(chart, 'c', [RWX], 'not-in-the-input');
    expect(findingsOf(checkApp(chart).report, 'SG006')).toEqual([]);
  });

  acknowledgementTests('SG006', build);
});

describe('SG008 local or zonal storage binding', () => {
  const build = (chart: Chart) => storageClass(chart, 'local', 'kubernetes.io/no-provisioner');

  test('rejects a local StorageClass with Immediate binding (the default)', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG008');
    expect(f.resource).toMatchObject({ kind: 'StorageClass', name: 'local' });
    expect(f.message).toMatch(/node-local provisioner kubernetes.io\/no-provisioner with volumeBindingMode Immediate \(the default\)/);
  });

  test('rejects a local PersistentVolume without a required node affinity', async () => {
    // GIVEN
    const { chart } = newChart();
    new ApiObject(chart, 'pv', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'disk1' },
      spec: { capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'local', local: { path: '/mnt/disks/ssd1' } },
    });
    // WHEN the guards run (not through checkApp: the server refuses this object, so it is not
    // recorded for the end-of-file check, which would fail on it)
    const report = guardReport(chart);
    // THEN the guard catches it at synth time, before apply...
    expect(findingsOf(report, 'SG008')[0].message).toMatch(/local volume \(\/mnt\/disks\/ssd1\) without spec.nodeAffinity.required/);
    // ...and the real API server refuses it too: the guard and the server agree.
    const [v] = await verdicts(Testing.synth(chart));
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('Local volume requires node affinity');
  });

  test('accepts WaitForFirstConsumer and a local volume pinned to its node', () => {
    const { chart } = newChart();
    storageClass(chart, 'local', 'kubernetes.io/no-provisioner', { volumeBindingMode: 'WaitForFirstConsumer' });
    storageClass(chart, 'gp3', 'ebs.csi.aws.com', { volumeBindingMode: 'WaitForFirstConsumer' });
    new ApiObject(chart, 'pv', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'disk1' },
      spec: {
        capacity: { storage: '100Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        local: { path: '/mnt/disks/ssd1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } },
      },
    });
    expect(findingsOf(checkApp(chart).report, 'SG008')).toEqual([]);
  });

  test('rejects a zonal (EBS) class with Immediate binding', () => {
    const { chart } = newChart();
    storageClass(chart, 'gp3', 'ebs.csi.aws.com', { volumeBindingMode: 'Immediate' });
    expect(findingsOf(checkApp(chart).report, 'SG008')[0].message).toMatch(/topology-bound \(zonal\)/);
  });

  test('accepts Immediate binding on a zonal class that names its zones, as the StorageClass construct does', () => {
    // GIVEN the construct's own output and the raw form
    const { chart } = newChart();
    new StorageClass(chart, 'pinned', {
      provisioner: Provisioner.awsEbs(), bindingMode: VolumeBindingMode.IMMEDIATE, allowedTopologies: [AllowedTopology.zones(['eu-west-1a'])],
    });
    storageClass(chart, 'raw-pinned', 'ebs.csi.aws.com', {
      volumeBindingMode: 'Immediate',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', values: ['eu-west-1a'] }] }],
    });
    // THEN the zones are the user's declared placement: no certain breakage, no finding
    expect(findingsOf(checkApp(chart).report, 'SG008')).toEqual([]);
  });

  test('still rejects Immediate binding on a node-local class, zones named or not', () => {
    const { chart } = newChart();
    storageClass(chart, 'local', 'kubernetes.io/no-provisioner', {
      volumeBindingMode: 'Immediate',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['eu-west-1a'] }] }],
    });
    expect(findingsOf(checkApp(chart).report, 'SG008')[0].message).toMatch(/node-local provisioner kubernetes.io\/no-provisioner/);
  });

  acknowledgementTests('SG008', build);
});

describe('SG010 ReadWriteOnce claim mounted by two workloads', () => {
  const build = (chart: Chart) => {
    const { claim, volume } = claimVolume(chart, 'data');
    new kplus.Deployment(chart, 'writer', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume }])] });
    new kplus.Job(chart, 'report', { containers: [container('busybox', [{ path: '/data', volume }])] });
    return claim;
  };

  test('warns when a Deployment and a Job mount the same ReadWriteOnce claim', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG010');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/is mounted by 2 workloads: Deployment default\/test-writer-.*, Job default\/test-report-/);
  });

  test('accepts one claim per workload', () => {
    const { chart } = newChart();
    const a = claimVolume(chart, 'a');
    const b = claimVolume(chart, 'b');
    new kplus.Deployment(chart, 'writer', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate(), containers: [container('nginx', [{ path: '/data', volume: a.volume }])] });
    new kplus.Job(chart, 'report', { containers: [container('busybox', [{ path: '/data', volume: b.volume }])] });
    expect(findingsOf(checkApp(chart).report, 'SG010')).toEqual([]);
  });

  acknowledgementTests('SG010', build);
});

describe('SG014 ReadWriteMany claim with several writers', () => {
  const build = (chart: Chart) => {
    const { claim, volume } = claimVolume(chart, 'shared', [RWX]);
    new kplus.Deployment(chart, 'counter', { replicas: 3, containers: [container('busybox', [{ path: '/shared', volume }])] });
    return claim;
  };

  test('warns when three replicas write a ReadWriteMany claim without declared coordination', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG014');
    expect(f.resource.kind).toBe('PersistentVolumeClaim');
    expect(f.message).toMatch(/mounted read-write by Deployment default\/test-counter-.* \(3 replica\(s\)\).*stateful.cdk8s.io\/writers is not set/);
  });

  test('sums writers over workloads, and counts a DaemonSet as many', () => {
    const { chart } = newChart();
    const { volume } = claimVolume(chart, 'shared', [RWX]);
    new kplus.Deployment(chart, 'one', { replicas: 1, containers: [container('busybox', [{ path: '/shared', volume }])] });
    new kplus.Deployment(chart, 'two', { replicas: 1, containers: [container('busybox', [{ path: '/shared', volume }])] });
    const perNode = claimVolume(chart, 'pernode', [RWX]);
    new kplus.DaemonSet(chart, 'agent', { containers: [container('busybox', [{ path: '/shared', volume: perNode.volume }])] });
    const findings = findingsOf(checkApp(chart).report, 'SG014');
    expect(findings).toHaveLength(2);
    expect(findings[1].message).toMatch(/one pod per node/);
  });

  test('flags a claim declared single but written by several replicas', () => {
    const { chart } = newChart();
    const claim = build(chart);
    claim.metadata.addAnnotation('stateful.cdk8s.io/writers', 'single');
    expect(findingsOf(checkApp(chart).report, 'SG014')[0].message).toMatch(/declares a single writer/);
  });

  test('accepts declared coordination, a single writer with read-only readers', () => {
    const { chart } = newChart();
    const claim = build(chart);
    claim.metadata.addAnnotation('stateful.cdk8s.io/writers', 'coordinated');
    const other = claimVolume(chart, 'single', [RWX]);
    other.claim.metadata.addAnnotation('stateful.cdk8s.io/writers', 'single');
    new kplus.Deployment(chart, 'writer', { replicas: 1, containers: [container('busybox', [{ path: '/shared', volume: other.volume }])] });
    new kplus.Deployment(chart, 'readers', { replicas: 4, containers: [container('busybox', [{ path: '/shared', volume: other.volume, readOnly: true }])] });
    expect(findingsOf(checkApp(chart).report, 'SG014')).toEqual([]);
  });

  acknowledgementTests('SG014', build);
});

describe('SG016 hostPath PersistentVolume', () => {
  const build = (chart: Chart) => new ApiObject(chart, 'pv', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'task-pv' },
    spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/mnt/data' } },
  });

  test('warns about a hostPath PersistentVolume', () => {
    const { chart } = newChart();
    build(chart);
    const [f] = findingsOf(checkApp(chart).report, 'SG016');
    expect(f).toMatchObject({ severity: 'warning', resource: { kind: 'PersistentVolume', name: 'task-pv' } });
  });

  test('accepts a local PersistentVolume pinned to its node', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'pv', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'disk1' },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        local: { path: '/mnt/disks/ssd1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } },
      },
    });
    expect(findingsOf(checkApp(chart).report, 'SG016')).toEqual([]);
  });

  acknowledgementTests('SG016', build);
});
