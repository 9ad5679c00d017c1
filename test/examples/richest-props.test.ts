/**
 * Every construct of this library with its RICHEST props: every optional prop set to a valid,
 * non-default value (and every kind of every value class: backup policies, env values, probes,
 * log outputs, provisioner presets), synthesized through the harness so that the real
 * kube-apiserver checks the output (strict field validation, Pod Security admission, no warning
 * tolerated). The defaults are covered by test/guards/library-defaults.test.ts; this file proves
 * that turning every knob still yields objects the API server accepts, and that each knob took
 * effect.
 */
import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AccessMode, AgentApiVerb, AgentEnvValue, AgentImagePullPolicy, AgentMountPropagation, AgentPodSecurityLevel, AgentPortProtocol, AgentProbe,
  AgentTaintEffect, AgentTolerationOperator, AllowedTopology, AntiAffinity, AzureDiskSku, AzureFileProtocol, BackupPolicy, ClaimDataSource,
  ClaimRetention, DatabaseCredentials, DatabaseEngine, EbsVolumeType, FluentBitLogLevel, GcePdType, HostMountType, LocalVolumePool,
  LogCollectorDaemon, LogOutput, LonghornDataLocality, MaxUnavailable, NodeAgentDaemon, NodeAgentNamespace, NodeAgentOptions, NodeExporterCollector,
  NodeExporterDaemon, NodeLabelOperator, PersistentClaim, Provisioner, ReclaimPolicy, SharedFileVolume, SnapshotDeletionPolicy, StatefulDatabase,
  StorageClass, VolumeBindingMode, VolumeMode, VolumeSnapshot, VolumeSnapshotClass, WriterModel,
} from '../../src';
import { parseFluentBitYaml } from '../daemons/fluent-bit-yaml';
import { all, find, RESTRICTED, synth } from '../harness';

const KMS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A chart of its own per test (one app, one input for the API server). */
function chart(): Chart {
  return Testing.chart();
}

/** A chart with a namespace: snapshot pruning under a Retain class needs one (its ClusterRoleBinding names the job's ServiceAccount). */
function namespacedChart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'shop' });
}

/** A zonal EBS class that keeps its volumes (the database tests' storage). */
function ebsClass(scope: Chart, id = 'ebs'): StorageClass {
  return new StorageClass(scope, id, { provisioner: Provisioner.awsEbs(), name: `${id}-retain` });
}

/**
 * The placement, scheduling, rollout and resource props every node agent accepts
 * (NodeAgentOptions), each set to a non-default value.
 */
function richAgentOptions(namespace: NodeAgentOptions['namespace']): NodeAgentOptions {
  return {
    namespace,
    labels: { 'app.kubernetes.io/part-of': 'platform-observability', 'team': 'sre' },
    podAnnotations: { 'example.com/owner': 'SRE team (#sre on call)' },
    nodeSelector: { 'kubernetes.io/os': 'linux', 'node-role.example.com/worker': 'true' },
    nodeAffinity: [
      { key: 'node.kubernetes.io/instance-type', operator: NodeLabelOperator.IN, values: ['m6i.large', 'm6i.xlarge'] },
      { key: 'example.com/pool', operator: NodeLabelOperator.NOT_IN, values: ['gpu'] },
      { key: 'kubernetes.io/hostname', operator: NodeLabelOperator.EXISTS },
      { key: 'example.com/no-agents', operator: NodeLabelOperator.DOES_NOT_EXIST },
    ],
    tolerations: [
      { key: 'node-role.kubernetes.io/control-plane', operator: AgentTolerationOperator.EXISTS, effect: AgentTaintEffect.NO_SCHEDULE },
      { key: 'dedicated', operator: AgentTolerationOperator.EQUAL, value: 'storage', effect: AgentTaintEffect.NO_EXECUTE },
      { key: 'example.com/maintenance', operator: AgentTolerationOperator.EXISTS, effect: AgentTaintEffect.PREFER_NO_SCHEDULE },
    ],
    priorityClassName: 'system-node-critical',
    resources: {
      cpuRequest: kplus.Cpu.millis(50),
      cpuLimit: kplus.Cpu.units(1),
      memoryRequest: Size.mebibytes(96),
      memoryLimit: Size.mebibytes(384),
    },
    maxUnavailable: MaxUnavailable.percent(25),
    imagePullPolicy: AgentImagePullPolicy.ALWAYS,
    terminationGracePeriod: Duration.seconds(45),
  };
}

/** Asserts the NodeAgentOptions of richAgentOptions on a synthesized DaemonSet. */
function expectRichAgentOptions(ds: any): void {
  const pod = ds.spec.template.spec;
  expect(ds.metadata.labels).toEqual(expect.objectContaining({ 'team': 'sre', 'app.kubernetes.io/part-of': 'platform-observability' }));
  expect(ds.spec.template.metadata.annotations).toEqual(expect.objectContaining({ 'example.com/owner': 'SRE team (#sre on call)' }));
  expect(ds.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('25%');
  expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'node-role.example.com/worker': 'true' });
  expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions.map((e: any) => e.operator))
    .toEqual(['In', 'NotIn', 'Exists', 'DoesNotExist']);
  expect(pod.tolerations).toHaveLength(3);
  expect(pod.tolerations[1]).toEqual({ key: 'dedicated', operator: 'Equal', value: 'storage', effect: 'NoExecute' });
  expect(pod.priorityClassName).toBe('system-node-critical');
  expect(pod.terminationGracePeriodSeconds).toBe(45);
  expect(pod.containers[0].imagePullPolicy).toBe('Always');
  expect(pod.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '1', memory: '384Mi' } });
}

describe('storage constructs with every optional prop', () => {
  // Immediate binding on a zonal provisioner is accepted when allowedTopologies names the zones;
  // guard SG008 agrees (it refused this class until this test found the disagreement).
  test('StorageClass with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a default EBS class with every parameter, zones instead of WaitForFirstConsumer, and mount options
    const c = chart();
    const fast = new StorageClass(c, 'fast', {
      provisioner: Provisioner.awsEbs({ type: EbsVolumeType.GP3, iops: 6000, throughput: 500, encrypted: true, kmsKeyId: KMS_KEY, fsType: 'xfs' }),
      name: 'fast-xfs',
      reclaimPolicy: ReclaimPolicy.DELETE,
      bindingMode: VolumeBindingMode.IMMEDIATE,
      allowVolumeExpansion: false,
      mountOptions: ['noatime', 'nodiratime'],
      isDefault: true,
      allowedTopologies: [
        AllowedTopology.zones(['eu-west-1a', 'eu-west-1b']),
        AllowedTopology.labelIn('topology.ebs.csi.aws.com/zone', ['eu-west-1c']),
      ],
    });
    // WHEN
    const sc = find(synth(c), 'StorageClass');
    // THEN
    expect([sc.metadata.name, fast.storageClassName]).toEqual(['fast-xfs', 'fast-xfs']);
    expect(sc.metadata.annotations).toEqual({ [StorageClass.IS_DEFAULT_ANNOTATION]: 'true' });
    expect(sc.parameters).toEqual({ 'type': 'gp3', 'iops': '6000', 'throughput': '500', 'encrypted': 'true', 'kmsKeyId': KMS_KEY, 'csi.storage.k8s.io/fstype': 'xfs' });
    expect(sc.reclaimPolicy).toBe('Delete');
    expect(sc.volumeBindingMode).toBe('Immediate');
    expect(sc.allowVolumeExpansion).toBe(false);
    expect(sc.mountOptions).toEqual(['noatime', 'nodiratime']);
    expect(sc.allowedTopologies).toEqual([
      { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['eu-west-1a', 'eu-west-1b'] }] },
      { matchLabelExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', values: ['eu-west-1c'] }] },
    ]);
  });

  test('StorageClass on every provisioner preset with every option synthesizes objects kube-apiserver accepts', () => {
    // GIVEN one class per provisioner factory, each factory with every option it takes
    const c = chart();
    const provisioners: Record<string, Provisioner> = {
      'efs': Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0', directoryPerms: '0750', uid: 1000, gid: 1000, basePath: '/dynamic' }),
      'pd': Provisioner.gcePd({ type: GcePdType.SSD, regional: true, fsType: 'ext4' }),
      'azure-disk': Provisioner.azureDisk({ skuName: AzureDiskSku.PREMIUM_ZRS, fsType: 'xfs' }),
      'azure-file': Provisioner.azureFile({ skuName: 'Premium_LRS', protocol: AzureFileProtocol.NFS }),
      'longhorn': Provisioner.longhorn({ numberOfReplicas: 2, staleReplicaTimeout: 60, dataLocality: LonghornDataLocality.BEST_EFFORT, fsType: 'ext4' }),
      'openebs': Provisioner.openEbsHostpath({ basePath: '/mnt/openebs/local' }),
      'ceph-rbd': Provisioner.cephRbd({
        clusterId: 'b9127830-b0cc-4e34-aa47-9d1a2e9949a8',
        pool: 'kubernetes',
        imageFeatures: 'layering,exclusive-lock',
        secretNamespace: 'rook-ceph',
        secretName: 'rook-csi-rbd',
        fsType: 'xfs',
      }),
      'cephfs': Provisioner.cephFs({ clusterId: 'b9127830-b0cc-4e34-aa47-9d1a2e9949a8', fsName: 'shared', secretNamespace: 'rook-ceph', secretName: 'rook-csi-cephfs' }),
      'nfs': Provisioner.nfs({ server: 'nfs.example.internal', share: '/exports/k8s', subDir: '${pvc.metadata.namespace}-${pvc.metadata.name}' }),
      'local': Provisioner.local(),
      'vsphere': Provisioner.custom('csi.vsphere.vmware.com', {
        filesystemAccessModes: [AccessMode.READ_WRITE_ONCE, AccessMode.READ_WRITE_ONCE_POD],
        blockAccessModes: [AccessMode.READ_WRITE_ONCE],
        volumeExpansion: true,
        snapshots: true,
        topologyBound: true,
        nodeLocal: false,
        source: 'https://docs.vmware.com/en/VMware-vSphere-Container-Storage-Plug-in/',
      }, { 'storagepolicyname': 'gold', 'csi.storage.k8s.io/fstype': 'ext4' }),
    };
    for (const [id, provisioner] of Object.entries(provisioners)) new StorageClass(c, id, { provisioner, name: `preset-${id}` });
    // WHEN
    const classes = all(synth(c), 'StorageClass');
    // THEN every class carries its provisioner's parameters, and pinned storage waits for the pod
    expect(classes).toHaveLength(Object.keys(provisioners).length);
    const byName = (id: string) => classes.find(o => o.metadata.name === `preset-${id}`);
    expect(byName('efs').parameters).toEqual(expect.objectContaining({ directoryPerms: '0750', uid: '1000', gid: '1000', basePath: '/dynamic' }));
    expect(byName('pd').parameters['replication-type']).toBe('regional-pd');
    expect(byName('azure-file').parameters.protocol).toBe('nfs');
    expect(byName('longhorn').parameters).toEqual({ 'numberOfReplicas': '2', 'staleReplicaTimeout': '60', 'dataLocality': 'best-effort', 'csi.storage.k8s.io/fstype': 'ext4' });
    expect(byName('openebs').metadata.annotations['cas.openebs.io/config']).toContain('/mnt/openebs/local');
    expect(byName('ceph-rbd').parameters['csi.storage.k8s.io/node-stage-secret-namespace']).toBe('rook-ceph');
    expect(byName('nfs').parameters.subDir).toBe('${pvc.metadata.namespace}-${pvc.metadata.name}');
    expect(byName('vsphere').parameters.storagepolicyname).toBe('gold');
    for (const id of ['openebs', 'local', 'vsphere', 'pd', 'azure-disk']) expect(byName(id).volumeBindingMode).toBe('WaitForFirstConsumer');
  });

  test('LocalVolumePool with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a named pool of a mounted disk and a raw block device, and a Block claim on it
    const c = chart();
    const pool = new LocalVolumePool(c, 'pool', {
      storageClassName: 'local-nvme',
      volumes: [
        { node: 'node-a', path: '/mnt/disks/nvme0', size: Size.gibibytes(900), volumeMode: VolumeMode.FILESYSTEM },
        { node: 'node-b.example.internal', path: '/dev/nvme1n1', size: Size.tebibytes(2), volumeMode: VolumeMode.BLOCK },
      ],
    });
    new PersistentClaim(c, 'raw', { size: Size.tebibytes(2), storageClass: pool, volumeMode: VolumeMode.BLOCK });
    // WHEN
    const objects = synth(c);
    // THEN
    expect(find(objects, 'StorageClass').metadata.name).toBe('local-nvme');
    const pvs = all(objects, 'PersistentVolume');
    expect(pvs.map(pv => [pv.spec.local.path, pv.spec.volumeMode, pv.spec.capacity.storage])).toEqual([
      ['/mnt/disks/nvme0', 'Filesystem', '900Gi'],
      ['/dev/nvme1n1', 'Block', '2Ti'],
    ]);
    expect(pvs[1].spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['node-b.example.internal']);
    expect(pvs.every(pv => pv.spec.storageClassName === 'local-nvme')).toBe(true);
    expect(find(objects, 'PersistentVolumeClaim').spec).toEqual(expect.objectContaining({ storageClassName: 'local-nvme', volumeMode: 'Block' }));
  });

  test('PersistentClaim with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a named ReadWriteOncePod Block claim restored from a snapshot, and a clone of it
    const c = chart();
    const sc = ebsClass(c);
    const restored = new PersistentClaim(c, 'restored', {
      name: 'orders-restored',
      size: Size.gibibytes(64),
      storageClass: sc,
      accessModes: [AccessMode.READ_WRITE_ONCE_POD],
      volumeMode: VolumeMode.BLOCK,
      dataSource: ClaimDataSource.fromSnapshot('orders-nightly'),
    });
    new PersistentClaim(c, 'clone', {
      name: 'orders-clone',
      size: Size.gibibytes(64),
      storageClass: sc,
      accessModes: [AccessMode.READ_WRITE_ONCE_POD],
      volumeMode: VolumeMode.BLOCK,
      dataSource: ClaimDataSource.fromClaim(restored.claimName),
    });
    // WHEN
    const objects = synth(c);
    // THEN
    const claim = find(objects, 'PersistentVolumeClaim', 'orders-restored');
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteOncePod'],
      resources: { requests: { storage: '64Gi' } },
      volumeMode: 'Block',
      storageClassName: 'ebs-retain',
      dataSource: { kind: 'VolumeSnapshot', name: 'orders-nightly', apiGroup: 'snapshot.storage.k8s.io' },
    });
    expect(find(objects, 'PersistentVolumeClaim', 'orders-clone').spec.dataSource).toEqual({ kind: 'PersistentVolumeClaim', name: 'orders-restored' });
  });

  test('VolumeSnapshotClass with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a named default Longhorn backup class that deletes its snapshots with their objects
    const c = chart();
    new VolumeSnapshotClass(c, 'backups', {
      provisioner: Provisioner.longhorn(),
      name: 'longhorn-backup',
      deletionPolicy: SnapshotDeletionPolicy.DELETE,
      parameters: { type: 'bak' },
      isDefault: true,
    });
    // WHEN
    const vsc = find(synth(c), 'VolumeSnapshotClass');
    // THEN
    expect(vsc.metadata).toEqual(expect.objectContaining({ name: 'longhorn-backup', annotations: { [VolumeSnapshotClass.IS_DEFAULT_ANNOTATION]: 'true' } }));
    expect(vsc.driver).toBe('driver.longhorn.io');
    expect(vsc.deletionPolicy).toBe('Delete');
    expect(vsc.parameters).toEqual({ type: 'bak' });
  });

  test('VolumeSnapshot with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN named snapshots through a class made here and through an imported one, and a restore
    const c = chart();
    const sc = ebsClass(c);
    const vsc = new VolumeSnapshotClass(c, 'vsc', { provisioner: Provisioner.awsEbs(), name: 'ebs-snapshots' });
    const claim = new PersistentClaim(c, 'claim', { name: 'orders', size: Size.gibibytes(10), storageClass: sc });
    const nightly = new VolumeSnapshot(c, 'nightly', { claimName: claim.claimName, snapshotClass: vsc, name: 'orders-nightly' });
    new VolumeSnapshot(c, 'weekly', {
      claimName: claim.claimName,
      snapshotClass: VolumeSnapshotClass.fromName(c, 'csi-aws-vsc', Provisioner.awsEbs()),
      name: 'orders-weekly',
    });
    new PersistentClaim(c, 'restore', { name: 'orders-restore', size: Size.gibibytes(10), storageClass: sc, dataSource: nightly.toDataSource() });
    // WHEN
    const objects = synth(c);
    // THEN
    expect(find(objects, 'VolumeSnapshot', 'orders-nightly').spec).toEqual({
      volumeSnapshotClassName: 'ebs-snapshots',
      source: { persistentVolumeClaimName: 'orders' },
    });
    expect(find(objects, 'VolumeSnapshot', 'orders-weekly').spec.volumeSnapshotClassName).toBe('csi-aws-vsc');
    expect(find(objects, 'PersistentVolumeClaim', 'orders-restore').spec.dataSource.name).toBe('orders-nightly');
  });

  test('SharedFileVolume with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a named EFS volume with coordinated writers, two writer replicas and three readers on a sub-path
    const c = chart();
    const sc = new StorageClass(c, 'efs', { provisioner: Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' }), name: 'efs' });
    const shared = new SharedFileVolume(c, 'uploads', { storageClass: sc, size: Size.gibibytes(100), name: 'uploads', writers: WriterModel.COORDINATED_WRITERS });
    const writer = new kplus.Deployment(c, 'writer', { replicas: 2 });
    shared.mount(writer.addContainer({ image: 'ghcr.io/example/writer:1.0.0', portNumber: 8080, securityContext: RESTRICTED }),
      '/srv/uploads', { readOnly: false, subPath: 'uploads' });
    const reader = new kplus.Deployment(c, 'reader', { replicas: 3 });
    shared.mount(reader.addContainer({ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080, securityContext: RESTRICTED }),
      '/usr/share/nginx/html/uploads', { readOnly: true, subPath: 'uploads' });
    // WHEN
    const objects = synth(c);
    // THEN
    const claim = find(objects, 'PersistentVolumeClaim');
    expect(claim.metadata.name).toBe('uploads');
    expect(claim.metadata.annotations[SharedFileVolume.WRITERS_ANNOTATION]).toBe('coordinated');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    const mount = (name: string) => find(objects, 'Deployment', name).spec.template.spec.containers[0].volumeMounts[0];
    expect(mount('writer')).toEqual(expect.objectContaining({ mountPath: '/srv/uploads', subPath: 'uploads', readOnly: false }));
    expect(mount('reader')).toEqual(expect.objectContaining({ mountPath: '/usr/share/nginx/html/uploads', subPath: 'uploads', readOnly: true }));
  });
});

describe('StatefulDatabase with every optional prop', () => {
  const ENGINES = [
    {
      kind: 'postgres',
      engine: () => DatabaseEngine.postgres({ version: '16.4', repository: 'registry.example.com/mirror/postgres' }),
      parameters: { max_connections: '200', shared_buffers: "'256MB'", log_min_duration_statement: '500' },
      exporter: 'quay.io/prometheuscommunity/postgres-exporter:v0.16.0',
      exporterPort: 9187,
      port: 5432,
    },
    {
      kind: 'mysql',
      engine: () => DatabaseEngine.mysql({ version: '8.4.2', repository: 'registry.example.com/mirror/mysql' }),
      parameters: { max_connections: '200', innodb_buffer_pool_size: '268435456', long_query_time: '0.5' },
      exporter: 'prom/mysqld-exporter:v0.16.0',
      exporterPort: 9104,
      port: 3306,
    },
    {
      kind: 'mariadb',
      engine: () => DatabaseEngine.mariadb({ version: '11.4.3', repository: 'registry.example.com/mirror/mariadb' }),
      parameters: { max_connections: '200', innodb_buffer_pool_size: '268435456', long_query_time: '0.5' },
      exporter: 'prom/mysqld-exporter:v0.16.0',
      exporterPort: 9104,
      port: 3306,
    },
  ] as const;

  test.each(ENGINES)('StatefulDatabase ($kind) with every optional prop synthesizes objects kube-apiserver accepts', (e) => {
    // GIVEN a three-member database with every prop, both backup kinds and every kind of grant
    const c = namespacedChart();
    const sc = ebsClass(c);
    const vsc = new VolumeSnapshotClass(c, 'vsc', { provisioner: Provisioner.awsEbs(), name: 'ebs-snapshots' });
    const db = new StatefulDatabase(c, 'db', {
      engine: e.engine(),
      name: 'orders',
      replicas: 3,
      // Filesystem: the construct refuses Block (its claims are mounted as directories).
      storage: { size: Size.gibibytes(50), storageClass: sc, accessModes: [AccessMode.READ_WRITE_ONCE_POD], volumeMode: VolumeMode.FILESYSTEM },
      credentials: DatabaseCredentials.fromSecret('orders-db-secrets', { superuserPasswordKey: 'root-password', replicationPasswordKey: 'repl-password' }),
      replicationUser: 'streamer',
      backup: BackupPolicy.logical({
        schedule: '15 2 * * 1-5',
        keep: 14,
        storage: { size: Size.gibibytes(200), storageClass: sc, accessModes: [AccessMode.READ_WRITE_ONCE_POD], volumeMode: VolumeMode.FILESYSTEM },
      }),
      parameters: e.parameters,
      resources: { cpu: kplus.Cpu.millis(1500), memory: Size.gibibytes(2), memoryLimit: Size.gibibytes(4) },
      antiAffinity: AntiAffinity.REQUIRED,
      spreadAcrossZones: true,
      partition: 1,
      claimRetentionWhenDeleted: ClaimRetention.DELETE,
      claimRetentionWhenScaled: ClaimRetention.DELETE,
      metrics: { image: e.exporter },
      networkPolicy: true,
    });
    db.addBackup(BackupPolicy.volumeSnapshots({ schedule: '0 */6 * * *', keep: 28, snapshotClass: vsc, kubectlImage: 'alpine/k8s:1.34.1' }));
    const web = new kplus.Deployment(c, 'web', { containers: [{ image: 'ghcr.io/example/web:2.3.1', portNumber: 8080, securityContext: RESTRICTED }] });
    db.allowFrom(web);
    db.allowFrom(kplus.Pods.select(c, 'Reporting', { labels: { role: 'reporting' }, namespaces: kplus.Namespaces.select(c, 'Analytics', { names: ['analytics'] }) }));
    db.allowFromLabels({ 'app.kubernetes.io/part-of': 'shop' });
    // WHEN
    const objects = synth(c);
    // THEN the StatefulSet carries the props
    const sts = find(objects, 'StatefulSet');
    expect(sts.metadata.name).toBe('orders');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 1 } });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual(expect.objectContaining({ accessModes: ['ReadWriteOncePod'], storageClassName: 'ebs-retain' }));
    const pod = sts.spec.template.spec;
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    const [server, exporter] = pod.containers;
    expect(server.image).toMatch(new RegExp(`^registry\\.example\\.com/mirror/${e.kind}:`));
    expect(server.resources).toEqual({ requests: { cpu: '1500m', memory: '2Gi' }, limits: { memory: '4Gi' } });
    const secretRefs = [...pod.initContainers, ...pod.containers].flatMap((x: any) => x.env ?? []).filter((v: any) => v.valueFrom?.secretKeyRef);
    expect(new Set(secretRefs.map((v: any) => v.valueFrom.secretKeyRef.name))).toEqual(new Set(['orders-db-secrets']));
    expect(new Set(secretRefs.map((v: any) => v.valueFrom.secretKeyRef.key))).toEqual(new Set(['root-password', 'repl-password']));
    expect(server.env).toEqual(expect.arrayContaining([{ name: 'REPLICATION_USER', value: 'streamer' }]));
    expect(exporter).toEqual(expect.objectContaining({ name: 'metrics', image: e.exporter }));
    expect(sts.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(e.exporterPort));
    // the parameters reach the configuration file
    const config = Object.values(find(objects, 'ConfigMap', 'orders-config').data)[0] as string;
    for (const [k, v] of Object.entries(e.parameters)) expect(config).toContain(`${k} = ${v}`);
    // both backups, on their schedules
    const cron = (name: string) => find(objects, 'CronJob', name).spec;
    expect(cron('logical-backup').schedule).toBe('15 2 * * 1-5');
    expect(cron('logical-backup').jobTemplate.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'BACKUP_KEEP', value: '14' }]));
    expect(find(objects, 'PersistentVolumeClaim', 'orders-backups').spec.resources.requests.storage).toBe('200Gi');
    expect(cron('snapshot-backup').schedule).toBe('0 */6 * * *');
    const snapshotContainer = cron('snapshot-backup').jobTemplate.spec.template.spec.containers[0];
    expect(snapshotContainer.image).toBe('alpine/k8s:1.34.1');
    expect(snapshotContainer.env).toEqual(expect.arrayContaining([
      { name: 'SNAPSHOT_CLASS', value: 'ebs-snapshots' },
      { name: 'CLAIMS', value: 'data-orders-0 data-orders-1 data-orders-2' },
    ]));
    expect(find(objects, 'Role', 'snapshot-backup').rules[0].resources).toEqual(['volumesnapshots']);
    // the NetworkPolicy admits the members, the backup job, the three grants and the scrapers
    const ingress = find(objects, 'NetworkPolicy').spec.ingress;
    expect(ingress).toHaveLength(3);
    expect(ingress[1].ports).toEqual([{ protocol: 'TCP', port: e.port }]);
    expect(ingress[1].from).toHaveLength(4);
    expect(ingress[1].from[2]).toEqual({
      podSelector: { matchLabels: { role: 'reporting' } },
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['analytics'] }] },
    });
    expect(ingress[2]).toEqual({ ports: [{ protocol: 'TCP', port: e.exporterPort }] });
  });

  test('StatefulDatabase (postgres) restored from a snapshot with every prop a restore admits synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a standalone restore (a dataSource refuses replicas > 1) with passwords the construct
    // stores in a Secret and logical dumps into an existing claim
    const c = chart();
    const sc = ebsClass(c);
    new StatefulDatabase(c, 'db', {
      engine: DatabaseEngine.postgres({ version: '15' }),
      name: 'orders-restored',
      replicas: 1,
      storage: { size: Size.gibibytes(50), storageClass: sc, dataSource: ClaimDataSource.fromSnapshot('orders-nightly') },
      credentials: DatabaseCredentials.fromPasswords({ superuserPassword: 'correct horse battery', replicationPassword: 'staple of the replicas' }),
      backup: BackupPolicy.logical({ schedule: '0 4 * * sun', keep: 4, existingClaimName: 'shared-dumps' }),
      metrics: {},
    });
    // WHEN
    const objects = synth(c);
    // THEN
    expect(find(objects, 'StatefulSet').spec.volumeClaimTemplates[0].spec.dataSource).toEqual(
      { kind: 'VolumeSnapshot', name: 'orders-nightly', apiGroup: 'snapshot.storage.k8s.io' });
    expect(find(objects, 'Secret').metadata.name).toBe('orders-restored-credentials');
    const volumes = find(objects, 'CronJob').spec.jobTemplate.spec.template.spec.volumes;
    expect(volumes).toEqual(expect.arrayContaining([{ name: 'backups', persistentVolumeClaim: { claimName: 'shared-dumps' } }]));
    expect(all(objects, 'PersistentVolumeClaim')).toEqual([]);
  });

  test('StatefulDatabase (custom engine) with every optional prop it admits synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a custom image (standalone only, volume snapshot backups only) with every option
    const c = namespacedChart();
    const sc = ebsClass(c);
    const vsc = new VolumeSnapshotClass(c, 'vsc', { provisioner: Provisioner.awsEbs(), name: 'ebs-snapshots' });
    new StatefulDatabase(c, 'db', {
      engine: DatabaseEngine.custom({ name: 'redis', image: 'redis:7.2.5', port: 6379, dataPath: '/data', probeCommand: ['redis-cli', 'ping'], uid: 1001 }),
      name: 'sessions',
      replicas: 1,
      storage: { size: Size.gibibytes(8), storageClass: sc, accessModes: [AccessMode.READ_WRITE_ONCE_POD] },
      credentials: DatabaseCredentials.fromSecret('sessions-secrets'),
      parameters: { appendonly: 'yes', maxmemory: '512mb' },
      resources: { cpu: kplus.Cpu.units(1), memory: Size.mebibytes(768), memoryLimit: Size.gibibytes(1) },
      antiAffinity: AntiAffinity.REQUIRED,
      spreadAcrossZones: true,
      partition: 0,
      claimRetentionWhenDeleted: ClaimRetention.DELETE,
      claimRetentionWhenScaled: ClaimRetention.DELETE,
      // The server accepts it, but the library renders any custom engine's exporter as mysqld-exporter
      // (args --mysqld.address/--mysqld.username, env MYSQLD_EXPORTER_PASSWORD, port 9104): reported.
      metrics: { image: 'oliver006/redis_exporter:v1.62.0' },
      networkPolicy: true,
      backup: BackupPolicy.volumeSnapshots({ schedule: '30 * * * *', keep: 48, snapshotClass: vsc }),
    });
    // WHEN
    const objects = synth(c);
    // THEN
    const pod = find(objects, 'StatefulSet').spec.template.spec;
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsUser: 1001, fsGroup: 1001 }));
    expect(pod.containers[0].readinessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    expect(pod.containers[0].volumeMounts[0]).toEqual({ name: 'data', mountPath: '/data' });
    expect(pod.containers[1].image).toBe('oliver006/redis_exporter:v1.62.0');
    expect(find(objects, 'CronJob').spec.schedule).toBe('30 * * * *');
    expect(find(objects, 'ConfigMap', 'sessions-config').data['database.conf']).toContain('appendonly = yes');
  });
});

describe('node agents with every optional prop', () => {
  test('NodeAgentNamespace with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN a named namespace with an explicit level and version, holding an agent that needs baseline
    const c = chart();
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'node-agents', level: AgentPodSecurityLevel.BASELINE, version: 'v1.35' });
    const agent = new NodeAgentDaemon(c, 'agent', { image: 'ghcr.io/example/agent:1.4.2', namespace: ns, runAsUser: 0, addCapabilities: ['CHOWN'] });
    // WHEN (the input defines the namespace: the server admits the agent under its labels)
    const objects = synth(c);
    // THEN
    expect(agent.podSecurityLevel).toBe(AgentPodSecurityLevel.BASELINE);
    const namespace = find(objects, 'Namespace');
    expect(namespace.metadata.name).toBe('node-agents');
    for (const mode of ['enforce', 'warn', 'audit']) {
      expect(namespace.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('baseline');
      expect(namespace.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.35');
    }
    expect(find(objects, 'DaemonSet').metadata.namespace).toBe('node-agents');
  });

  test('NodeAgentDaemon with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN an agent with every prop: its own namespace, every env value, probe and host mount kind, API rules
    const c = chart();
    const agent = new NodeAgentDaemon(c, 'agent', {
      ...richAgentOptions(undefined),
      name: 'node-agent',
      createNamespace: 'agent-system',
      image: 'ghcr.io/example/agent:1.4.2',
      containerName: 'collector',
      command: ['/usr/bin/agent'],
      args: ['--config=/etc/agent/agent.yaml', '--verbose'],
      env: {
        LOG_LEVEL: AgentEnvValue.fromValue('debug'),
        API_TOKEN: AgentEnvValue.fromSecret({ secretName: 'agent-credentials', key: 'token' }),
        NODE_NAME: AgentEnvValue.fromFieldPath('spec.nodeName'),
      },
      ports: [
        { name: 'metrics', containerPort: 9400 },
        { name: 'health', containerPort: 9401, protocol: AgentPortProtocol.TCP },
        { name: 'statsd', containerPort: 8125, protocol: AgentPortProtocol.UDP },
      ],
      livenessProbe: AgentProbe.httpGet({
        path: '/healthz', portName: 'health', initialDelay: Duration.seconds(10), period: Duration.seconds(20), timeout: Duration.seconds(5), failureThreshold: 5,
      }),
      readinessProbe: AgentProbe.tcpSocket({
        portName: 'metrics', initialDelay: Duration.seconds(2), period: Duration.seconds(5), timeout: Duration.seconds(2), failureThreshold: 2,
      }),
      hostMounts: [
        { hostPath: '/var/log', mountPath: '/host/var/log', readOnly: true, type: HostMountType.DIRECTORY },
        { hostPath: '/var/lib/node-agent', mountPath: '/var/lib/node-agent', readOnly: false, type: HostMountType.DIRECTORY_OR_CREATE },
        { hostPath: '/etc/machine-id', mountPath: '/host/etc/machine-id', type: HostMountType.FILE },
        { hostPath: '/run/containerd/containerd.sock', mountPath: '/run/containerd/containerd.sock', type: HostMountType.SOCKET },
        { hostPath: '/mnt', mountPath: '/host/mnt', propagation: AgentMountPropagation.HOST_TO_CONTAINER, type: HostMountType.UNCHECKED },
      ],
      configMapMounts: [{ configMapName: 'node-agent-config', mountPath: '/etc/agent' }],
      hostNetwork: true,
      hostPID: true,
      runAsUser: 1000,
      runAsGroup: 2000,
      readOnlyRootFilesystem: false,
      addCapabilities: ['NET_BIND_SERVICE', 'SYS_PTRACE'],
      apiAccess: [
        { resources: ['nodes', 'pods'], verbs: [AgentApiVerb.GET, AgentApiVerb.LIST, AgentApiVerb.WATCH] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [AgentApiVerb.CREATE, AgentApiVerb.UPDATE, AgentApiVerb.PATCH, AgentApiVerb.DELETE] },
        { apiGroups: [''], resources: ['events'], verbs: [AgentApiVerb.CREATE, AgentApiVerb.DELETE_COLLECTION] },
        { apiGroups: [''], resources: ['nodes/metrics', 'nodes/stats'], verbs: [AgentApiVerb.GET] },
      ],
    });
    // WHEN (the agent's own Namespace is in the input)
    const objects = synth(c);
    // THEN
    expect(agent.podSecurityLevel).toBe(AgentPodSecurityLevel.PRIVILEGED);
    expect(find(objects, 'Namespace').metadata).toEqual(expect.objectContaining({ name: 'agent-system' }));
    expect(find(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const ds = find(objects, 'DaemonSet');
    expect(ds.metadata).toEqual(expect.objectContaining({ name: 'node-agent', namespace: 'agent-system' }));
    expectRichAgentOptions(ds);
    const pod = ds.spec.template.spec;
    expect(pod).toEqual(expect.objectContaining({ hostNetwork: true, hostPID: true, dnsPolicy: 'ClusterFirstWithHostNet', automountServiceAccountToken: true }));
    const container = pod.containers[0];
    expect(container.name).toBe('collector');
    expect(container.command).toEqual(['/usr/bin/agent']);
    expect(container.args).toEqual(['--config=/etc/agent/agent.yaml', '--verbose']);
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'agent-credentials', key: 'token' } } },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
    expect(container.ports).toEqual([
      { name: 'metrics', containerPort: 9400, hostPort: 9400, protocol: 'TCP' },
      { name: 'health', containerPort: 9401, hostPort: 9401, protocol: 'TCP' },
      { name: 'statsd', containerPort: 8125, hostPort: 8125, protocol: 'UDP' },
    ]);
    expect(container.livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 'health', scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 5,
    });
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 'metrics' }, initialDelaySeconds: 2, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 });
    expect(container.securityContext).toEqual(expect.objectContaining({
      runAsUser: 1000, runAsGroup: 2000, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'SYS_PTRACE'] },
    }));
    expect(pod.volumes.map((v: any) => v.hostPath?.type ?? (v.configMap ? 'configMap' : undefined)))
      .toEqual(['Directory', 'DirectoryOrCreate', 'File', 'Socket', undefined, 'configMap']);
    expect(container.volumeMounts.find((m: any) => m.mountPath === '/host/mnt').mountPropagation).toBe('HostToContainer');
    expect(container.volumeMounts.find((m: any) => m.mountPath === '/var/lib/node-agent').readOnly).toBe(false);
    expect(find(objects, 'ClusterRole').rules).toHaveLength(4);
    expect(find(objects, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'node-agent', namespace: 'agent-system' }]);
  });

  test('NodeExporterDaemon with every optional prop synthesizes objects kube-apiserver accepts', () => {
    // GIVEN node-exporter in an existing namespace, with collectors, a textfile directory, its Service and a ServiceMonitor
    const c = chart();
    const exporter = new NodeExporterDaemon(c, 'node-exporter', {
      ...richAgentOptions(NodeAgentNamespace.fromNamespaceName('monitoring')),
      name: 'node-exporter',
      maxUnavailable: MaxUnavailable.count(2),
      image: 'quay.io/prometheus/node-exporter:v1.8.1',
      port: 9111,
      enableCollectors: [NodeExporterCollector.SYSTEMD, NodeExporterCollector.PROCESSES, NodeExporterCollector.CGROUPS],
      disableCollectors: [NodeExporterCollector.WIFI, NodeExporterCollector.INFINIBAND],
      textfileDirectory: '/var/lib/node-exporter/textfile',
      service: true,
      serviceMonitor: { interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(10), labels: { release: 'kube-prometheus-stack' } },
    });
    // WHEN (a cluster admin labelled 'monitoring' with the level the exporter declares)
    const objects = synth(c, { podSecurity: exporter.podSecurityLevel });
    // THEN
    const ds = find(objects, 'DaemonSet');
    expect(ds.metadata.namespace).toBe('monitoring');
    expect(ds.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(2);
    const container = ds.spec.template.spec.containers[0];
    expect(container.image).toBe('quay.io/prometheus/node-exporter:v1.8.1');
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9111, hostPort: 9111, protocol: 'TCP' }]);
    expect(container.args).toEqual(expect.arrayContaining([
      '--web.listen-address=[$(HOST_IP)]:9111', '--collector.systemd', '--collector.processes', '--collector.cgroups',
      '--no-collector.wifi', '--no-collector.infiniband', '--collector.textfile.directory=/host/textfile',
    ]));
    expect(exporter.hostPaths.map(m => m.hostPath)).toEqual(expect.arrayContaining(['/var/lib/node-exporter/textfile', '/var/run/dbus/system_bus_socket']));
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '1', memory: '384Mi' } });
    expect(find(objects, 'Service').metadata.annotations['prometheus.io/port']).toBe('9111');
    const sm = find(objects, 'ServiceMonitor');
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.endpoints[0]).toEqual(expect.objectContaining({ interval: '15s', scrapeTimeout: '10s' }));
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['monitoring'] });
    expect(ds.spec.template.spec.priorityClassName).toBe('system-node-critical');
    expect(ds.spec.template.spec.tolerations).toHaveLength(3);
  });

  const SECRET = { secretName: 'log-store-credentials', key: 'password' };
  const OUTPUTS: Array<[string, () => LogOutput, (output: Record<string, string>, env: any[]) => void]> = [
    // `index` is left out: it is ignored once logstashFormat writes daily `<logstashPrefix>-YYYY.MM.DD` indices.
    ['elasticsearch', () => LogOutput.elasticsearch({
      host: 'elasticsearch.logging.svc',
      port: 9243,
      tls: true,
      tlsVerify: false,
      logstashFormat: true,
      logstashPrefix: 'k8s-logs',
      user: 'fluent-bit',
      passwordSecret: SECRET,
    }), (o, env) => {
      expect(o).toEqual(expect.objectContaining({
        'name': 'es',
        'host': 'elasticsearch.logging.svc',
        'port': '9243',
        'logstash_format': 'on',
        'logstash_prefix': 'k8s-logs',
        'http_user': 'fluent-bit',
        'http_passwd': '${FLUENT_ELASTICSEARCH_PASSWORD}',
        'tls': 'on',
        'tls.verify': 'off',
      }));
      expect(env).toEqual([{ name: 'FLUENT_ELASTICSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: SECRET.secretName, key: SECRET.key } } }]);
    }],
    ['loki', () => LogOutput.loki({
      host: 'loki.example.com',
      port: 443,
      tls: true,
      tlsVerify: true,
      labels: { job: 'node-logs', cluster: 'prod-eu' },
      tenantId: 'platform',
      user: 'loki-writer',
      passwordSecret: SECRET,
    }), (o, env) => {
      expect(o).toEqual(expect.objectContaining({
        'name': 'loki',
        'host': 'loki.example.com',
        'port': '443',
        'tenant_id': 'platform',
        'http_user': 'loki-writer',
        'http_passwd': '${FLUENT_LOKI_PASSWORD}',
        'tls': 'on',
        'tls.verify': 'on',
      }));
      expect(o.labels).toContain('cluster=prod-eu');
      expect(env.map(v => v.name)).toEqual(['FLUENT_LOKI_PASSWORD']);
    }],
    ['forward', () => LogOutput.forward({
      host: 'fluentd.logging.svc',
      port: 24284,
      tls: true,
      tlsVerify: false,
      sharedKeySecret: SECRET,
      selfHostname: 'node-agent.example.com',
    }), (o, env) => {
      expect(o).toEqual(expect.objectContaining({
        'name': 'forward',
        'host': 'fluentd.logging.svc',
        'port': '24284',
        'shared_key': '${FLUENT_FORWARD_SHARED_KEY}',
        'self_hostname': 'node-agent.example.com',
        'tls': 'on',
        'tls.verify': 'off',
      }));
      expect(env.map(v => v.name)).toEqual(['FLUENT_FORWARD_SHARED_KEY']);
    }],
    ['stdout', () => LogOutput.stdout(), (o, env) => {
      expect(o).toEqual(expect.objectContaining({ name: 'stdout', format: 'json_lines' }));
      expect(env).toBeUndefined();
    }],
  ];

  test.each(OUTPUTS)('LogCollectorDaemon (%s output) with every optional prop synthesizes objects kube-apiserver accepts', (_kind, output, expectOutput) => {
    // GIVEN a collector with every prop, in a namespace the input defines
    const c = chart();
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'logging', version: 'v1.35' });
    const collector = new LogCollectorDaemon(c, 'logs', {
      ...richAgentOptions(ns),
      name: 'fluent-bit',
      output: output(),
      image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.8',
      positionsDirectory: '/var/lib/fluent-bit-positions',
      dockerContainerLogs: true,
      logLevel: FluentBitLogLevel.DEBUG,
      flushInterval: Duration.seconds(5),
      memoryBufferLimit: Size.mebibytes(100),
    });
    // WHEN
    const objects = synth(c);
    // THEN
    expect(find(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe(collector.podSecurityLevel);
    const ds = find(objects, 'DaemonSet');
    expectRichAgentOptions(ds);
    const container = ds.spec.template.spec.containers[0];
    expect(container.image).toBe('cr.fluentbit.io/fluent/fluent-bit:3.1.8');
    expect(collector.hostPaths.map(m => m.hostPath)).toEqual(['/var/log/containers', '/var/log/pods', '/var/lib/docker/containers', '/var/lib/fluent-bit-positions']);
    const config = parseFluentBitYaml(find(objects, 'ConfigMap', 'fluent-bit-config').data['fluent-bit.yaml']);
    expect(config.service).toEqual(expect.objectContaining({ flush: '5', log_level: 'debug' }));
    expect(config.inputs[0].mem_buf_limit).toBe('100M');
    expect(config.inputs[0].db).toBe('/var/lib/fluent-bit/logging.fluent-bit.db');
    expect(ds.spec.template.metadata.annotations['checksum/config']).toBe(collector.configHash);
    expectOutput(config.outputs[0], container.env);
  });
});
