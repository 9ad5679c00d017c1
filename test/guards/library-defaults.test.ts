import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BackupPolicy, DatabaseEngine, Guards, IPodSecurityAware, LocalVolumePool, LogCollectorDaemon, LogOutput, NodeAgentDaemon, NodeExporterDaemon,
  PersistentClaim, Provisioner, SharedFileVolume, StatefulDatabase, StorageClass, VolumeSnapshot, VolumeSnapshotClass,
} from '../../src';
import { checkedByApiServer, RESTRICTED, synth } from '../harness';

/**
 * The promise on the box: every construct of this library, with its defaults (only the props it
 * requires), synthesizes objects the API server accepts and on which the guards find nothing at
 * all: no error, no warning, nothing acknowledged away. These are the real constructs, not their
 * shapes (the shapes are covered in library-shapes.test.ts).
 */
const CASES: Array<[string, (chart: Chart) => void | IPodSecurityAware]> = [
  ['StorageClass (EBS)', chart => { new StorageClass(chart, 'sc', { provisioner: Provisioner.awsEbs() }); }],
  ['StorageClass (OpenEBS hostpath)', chart => { new StorageClass(chart, 'sc', { provisioner: Provisioner.openEbsHostpath() }); }],
  ['LocalVolumePool', chart => {
    new LocalVolumePool(chart, 'pool', { volumes: [{ node: 'node-a', path: '/mnt/disks/nvme0', size: Size.gibibytes(100) }] });
  }],
  ['VolumeSnapshotClass', chart => { new VolumeSnapshotClass(chart, 'vsc', { provisioner: Provisioner.awsEbs() }); }],
  ['PersistentClaim and VolumeSnapshot', chart => {
    const sc = new StorageClass(chart, 'sc', { provisioner: Provisioner.awsEbs() });
    const vsc = new VolumeSnapshotClass(chart, 'vsc', { provisioner: Provisioner.awsEbs() });
    const claim = new PersistentClaim(chart, 'claim', { size: Size.gibibytes(10), storageClass: sc });
    new VolumeSnapshot(chart, 'snap', { claimName: claim.claimName, snapshotClass: vsc });
  }],
  ['SharedFileVolume mounted by one writer and three readers', chart => {
    const sc = new StorageClass(chart, 'sc', { provisioner: Provisioner.awsEfs({ fileSystemId: 'fs-0123456789abcdef0' }) });
    const shared = new SharedFileVolume(chart, 'shared', { storageClass: sc, size: Size.gibibytes(10) });
    const readers = new kplus.Deployment(chart, 'readers', { replicas: 3 });
    shared.mount(readers.addContainer({ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080, securityContext: RESTRICTED }), '/data', { readOnly: true });
    const writer = new kplus.Deployment(chart, 'writer', { replicas: 1, strategy: kplus.DeploymentStrategy.recreate() });
    shared.mount(writer.addContainer({ image: 'ghcr.io/example/writer:1.0.0', portNumber: 8080, securityContext: RESTRICTED }), '/data');
  }],
  ...(['postgres', 'mysql', 'mariadb'] as const).flatMap((engine): Array<[string, (chart: Chart) => void]> => {
    const make = () => engine === 'postgres' ? DatabaseEngine.postgres({ version: '16.4' })
      : engine === 'mysql' ? DatabaseEngine.mysql({ version: '8.0.39' }) : DatabaseEngine.mariadb({ version: '11.4' });
    const storage = { size: Size.gibibytes(20) };
    return [
      [`StatefulDatabase ${engine} standalone`, chart => { new StatefulDatabase(chart, 'db', { engine: make(), storage }); }],
      [`StatefulDatabase ${engine} with 3 replicas and both backups`, chart => {
        new StatefulDatabase(chart, 'db', {
          engine: make(),
          replicas: 3,
          storage,
          backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(50) } }),
        }).addBackup(BackupPolicy.volumeSnapshots({ schedule: '0 * * * *', keep: 24, snapshotClass: { volumeSnapshotClassName: 'snapshots' } }));
      }],
    ];
  }),
  // Node agents mount the host (and the node exporter uses its network and PIDs), which no
  // restricted namespace admits: a cluster admin labels the agents' namespace with the level the
  // agent declares, and the API server check uses that level (proving it is enough).
  ['NodeAgentDaemon', chart => new NodeAgentDaemon(chart, 'agent', {
    image: 'ghcr.io/example/agent:1.0.0',
    hostMounts: [{ hostPath: '/var/log', mountPath: '/host/var/log' }],
  })],
  ['NodeExporterDaemon', chart => new NodeExporterDaemon(chart, 'node-exporter')],
  ['LogCollectorDaemon', chart => new LogCollectorDaemon(chart, 'logs', { output: LogOutput.stdout() })],
];

describe.each(CASES)('%s with its defaults', (_name, build) => {
  test('synthesizes with zero guard findings', () => {
    // GIVEN a chart holding only this construct (guards turn on automatically for it)
    const chart = Testing.chart();
    const agent = build(chart);
    // WHEN it synthesizes (checked by the API server; a guard error would throw here)
    const objects = synth(chart, agent ? { podSecurity: agent.podSecurityLevel } : {});
    // THEN the guards find nothing on the output, not even a warning: only what the construct
    // acknowledges itself, with its reason (StatefulDatabase's primary budget blocks evictions on purpose: SG019)
    const report = Guards.check(objects);
    expect(report.findings.filter(f => !f.acknowledged).map(f => `${f.ruleId} ${f.resource.kind}/${f.resource.name}: ${f.message}`)).toEqual([]);
    for (const f of report.findings) expect([f.ruleId, f.resource.name, f.acknowledgedReason]).toEqual(['SG019', expect.stringMatching(/-primary$/), expect.stringMatching(/^StatefulDatabase primaryEviction BLOCKED/)]);
    expect(objects.length).toBeGreaterThan(0);
  });
});

test('the same check reports a finding on a known anti-pattern (control: the test above can fail)', () => {
  // GIVEN a three-replica Deployment sharing one ReadWriteOnce claim, in plain cdk8s-plus
  const chart = Testing.chart();
  const claim = new kplus.PersistentVolumeClaim(chart, 'claim', { storage: Size.gibibytes(1), accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
  const web = new kplus.Deployment(chart, 'web', { replicas: 3 });
  web.addContainer({ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080, securityContext: RESTRICTED })
    .mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, 'vol', claim));
  // WHEN the guards check its output (not enabled on this chart: Testing.synth does not fail)
  const report = Guards.check(checkedByApiServer(Testing.synth(chart)));
  // THEN the shared-claim error is reported
  expect(report.findings.map(f => f.ruleId)).toContain('SG001');
  expect(report.errorCount).toBeGreaterThan(0);
});
