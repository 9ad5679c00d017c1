import { Duration, Size, Testing } from 'cdk8s';
import { gp3 } from './helpers';
import { AntiAffinity, ConsensusCluster, ConsensusClusterProps, ConsensusEngine, EtcdClusterState } from '../../src/database';
import { Guards } from '../../src/guards';
import { StatefulError } from '../../src/internal/errors';
import { all, find, synth } from '../harness';

function build(props: Partial<ConsensusClusterProps> = {}, id = 'kv'): any[] {
  const chart = Testing.chart();
  new ConsensusCluster(chart, id, {
    engine: ConsensusEngine.etcd({ version: '3.6.5' }),
    storage: { size: Size.gibibytes(8), storageClass: gp3 },
    ...props,
  });
  return synth(chart);
}
const zookeeper = (props: Partial<ConsensusClusterProps> = {}) => build({ engine: ConsensusEngine.zookeeper({ version: '3.9.3' }), ...props }, 'zk');
const main = (objects: any[]) => find(objects, 'StatefulSet').spec.template.spec.containers[0];
const arg = (c: any, flag: string) => c.args.find((a: string) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);

describe('ConsensusCluster with etcd', () => {
  test('derives the initial membership of three members from the ordinals through the headless Service', () => {
    // GIVEN / WHEN the defaults
    const objects = build();
    const sts = find(objects, 'StatefulSet');
    const c = main(objects);
    // THEN
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('kv-headless');
    expect(c.image).toBe('quay.io/coreos/etcd:v3.6.5');
    expect(c.command).toEqual(['/usr/local/bin/etcd']);
    expect(arg(c, 'name')).toBe('$(POD_NAME)');
    expect(arg(c, 'initial-cluster')).toBe([0, 1, 2].map(i => `kv-${i}=http://kv-${i}.kv-headless.$(POD_NAMESPACE).svc:2380`).join(','));
    expect(arg(c, 'initial-advertise-peer-urls')).toBe('http://$(POD_NAME).kv-headless.$(POD_NAMESPACE).svc:2380');
    expect(arg(c, 'advertise-client-urls')).toBe('http://$(POD_NAME).kv-headless.$(POD_NAMESPACE).svc:2379');
    expect(arg(c, 'initial-cluster-state')).toBe('new');
    expect(c.env.slice(0, 2)).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
  });

  test('keeps data and write-ahead log in two directories of the member claim', () => {
    const objects = build();
    const sts = find(objects, 'StatefulSet');
    const c = main(objects);
    expect(arg(c, 'data-dir')).toBe('/var/lib/etcd/data');
    expect(arg(c, 'wal-dir')).toBe('/var/lib/etcd/wal');
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/etcd' }]);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '8Gi' } } });
  });

  test('probes liveness with /livez and readiness with /readyz on the metrics port', () => {
    const c = main(build());
    expect(c.ports).toEqual([
      { name: 'client', containerPort: 2379, protocol: 'TCP' },
      { name: 'peer', containerPort: 2380, protocol: 'TCP' },
      { name: 'metrics', containerPort: 2381, protocol: 'TCP' },
    ]);
    expect(arg(c, 'listen-metrics-urls')).toBe('http://0.0.0.0:2381');
    expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'metrics', scheme: 'HTTP' });
    expect(c.startupProbe.httpGet.path).toBe('/livez');
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics', scheme: 'HTTP' });
  });

  test('runs the distroless image as uid 65532 under the restricted profile, the claim writable through fsGroup', () => {
    const spec = find(build(), 'StatefulSet').spec.template.spec;
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('switches members that start empty to join an existing cluster', () => {
    const c = main(build({ engine: ConsensusEngine.etcd({ version: '3.6.5', initialClusterState: EtcdClusterState.EXISTING }) }));
    expect(arg(c, 'initial-cluster-state')).toBe('existing');
  });

  test('takes a mirror repository with the upstream tag', () => {
    expect(ConsensusEngine.etcd({ version: '3.6.5', repository: 'registry.example.com/mirror/etcd' }).image).toBe('registry.example.com/mirror/etcd:v3.6.5');
  });

  test('publishes a client Service and a headless peer Service that lists members before they are Ready', () => {
    const objects = build();
    const headless = find(objects, 'Service', 'kv-headless');
    const client = all(objects, 'Service').find(s => s.metadata.name === 'kv');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(headless.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['client', 2379], ['peer', 2380]]);
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['client', 2379]]);
    expect(client.spec.publishNotReadyAddresses).toBeUndefined();
  });

  test('starts the members in parallel and keeps them on separate nodes', () => {
    const sts = find(build(), 'StatefulSet');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
  });

  test('exposes the connection facts', () => {
    const chart = Testing.chart();
    const kv = new ConsensusCluster(chart, 'kv', { engine: ConsensusEngine.etcd({ version: '3.6.5' }), replicas: 5, storage: { size: Size.gibibytes(8), storageClass: gp3 } });
    expect(kv.tolerableFailures).toBe(2);
    expect(kv.clientPort).toBe(2379);
    expect(kv.clientServiceName).toBe('kv');
    expect(kv.connectionString).toBe([0, 1, 2, 3, 4].map(i => `http://kv-${i}.kv-headless:2379`).join(','));
  });
});

describe('ConsensusCluster with ZooKeeper', () => {
  test('lists every member as server.N with N = ordinal + 1 through the headless Service', () => {
    const objects = zookeeper();
    const cfg: string = find(objects, 'ConfigMap').data['zoo.cfg'];
    expect(cfg.split('\n').filter(l => l.startsWith('server.'))).toEqual([
      'server.1=zk-0.zk-headless:2888:3888', 'server.2=zk-1.zk-headless:2888:3888', 'server.3=zk-2.zk-headless:2888:3888',
    ]);
    expect(cfg).toMatch(/^dataDir=\/data\/snapshot$/m);
    expect(cfg).toMatch(/^dataLogDir=\/data\/txnlog$/m);
    expect(cfg).toMatch(/^4lw\.commands\.whitelist=ruok,srvr,mntr$/m);
    expect(cfg).toMatch(/^autopurge\.purgeInterval=1$/m);
  });

  test('writes myid from the pod ordinal at start, into the data directory on the claim', () => {
    const objects = zookeeper();
    const c = main(objects);
    expect(c.image).toBe('zookeeper:3.9.3');
    expect(c.command[0]).toBe('bash');
    expect(c.command[2]).toContain('echo "$((ordinal + 1))" > "$ZOO_DATA_DIR/myid"');
    expect(c.command[2]).toMatch(/exec zkServer\.sh start-foreground$/);
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'ZOO_DATA_DIR', value: '/data/snapshot' }, { name: 'ZOOCFGDIR', value: '/conf' }]));
    expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: 'data', mountPath: '/data' }, { name: 'config', mountPath: '/conf', readOnly: true }]));
  });

  test('probes liveness with ruok and readiness with srvr on the client port', () => {
    const c = main(zookeeper());
    expect(c.livenessProbe.exec.command.join(' ')).toMatch(/\/dev\/tcp\/127\.0\.0\.1\/2181 .*printf ruok .*imok/);
    expect(c.readinessProbe.exec.command.join(' ')).toMatch(/printf srvr .*\^Mode: /);
  });

  test('runs as the image user 1000 with the heap at half the memory limit', () => {
    const objects = zookeeper({ resources: { memoryLimit: Size.gibibytes(2), memory: Size.gibibytes(1) } });
    const spec = find(objects, 'StatefulSet').spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true });
    expect(spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'ZK_SERVER_HEAP', value: '1024' }]));
    expect(spec.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'tmp' })]));
  });

  test('rolls the members when the membership changes (the config hash)', () => {
    const hash = (o: any[]) => find(o, 'StatefulSet').spec.template.metadata.annotations['stateful.cdk8s.io/config-hash'];
    expect(hash(zookeeper({ replicas: 3 }))).not.toBe(hash(zookeeper({ replicas: 5 })));
  });
});

describe('ConsensusCluster member counts and budgets', () => {
  test.each([[1, 1], [3, 1], [5, 2], [7, 3], [9, 4]])('%i members get a budget of maxUnavailable %i', (replicas, max) => {
    for (const objects of [build({ replicas }), zookeeper({ replicas })]) {
      expect(find(objects, 'StatefulSet').spec.replicas).toBe(replicas);
      expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(max);
    }
  });

  test.each([2, 4, 6])('rejects %i members with an error naming the quorum', (replicas) => {
    expect(() => build({ replicas })).toThrow(new RegExp('ConsensusCluster \'.*kv\': replicas must be an odd number for a quorum engine \\(etcd\\)'));
    expect(() => zookeeper({ replicas })).toThrow(/odd number for a quorum engine \(zookeeper\)/);
  });

  test.each([0, -1, 11, 2.5])('rejects %p members', (replicas) => {
    expect(() => build({ replicas })).toThrow(StatefulError);
  });

  test('rejects an engine that is not a ConsensusEngine', () => {
    expect(() => build({ engine: { name: 'etcd' } as any })).toThrow(/engine must be a ConsensusEngine/);
  });

  test.each(['3.5.21', '3.6', 'latest', 'v3.6.5', '4.0.0', ''])('rejects etcd version %p', (version) => {
    expect(() => ConsensusEngine.etcd({ version })).toThrow(/ConsensusEngine\.etcd: version must be an etcd version such as '3\.6\.5'/);
  });

  test.each(['3.7.2', '3.9', 'latest', '3.9.3-jre-17'])('rejects ZooKeeper version %p', (version) => {
    expect(() => ConsensusEngine.zookeeper({ version })).toThrow(/ConsensusEngine\.zookeeper: version must be/);
  });

  test('passes the common props to the shared renderer', () => {
    const sts = find(build({ antiAffinity: AntiAffinity.PREFERRED, terminationGracePeriod: Duration.seconds(30), spreadAcrossZones: true }), 'StatefulSet');
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(sts.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(sts.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });
});

describe('ConsensusCluster and the guards', () => {
  test.each([1, 3, 5])('%i etcd or ZooKeeper members get no guard finding at all', (replicas) => {
    for (const objects of [build({ replicas }), zookeeper({ replicas })]) {
      const report = Guards.check(objects);
      expect(report.findings.map(f => `${f.ruleId} ${f.severity}: ${f.message}`)).toEqual([]);
    }
  });

  test('a hand-written etcd StatefulSet of four members still gets the even-quorum finding', () => {
    // GIVEN our output edited by hand to four members
    const objects = JSON.parse(JSON.stringify(build()));
    find(objects, 'StatefulSet').spec.replicas = 4;
    // WHEN
    const findings = Guards.check(objects).findings.filter(f => f.ruleId === 'SG012');
    // THEN
    expect(findings.map(f => f.message)).toEqual([expect.stringMatching(/runs etcd, a quorum system, with an even number of replicas \(4\)/)]);
  });

  test('a hand-widened budget that lets two of three etcd members go gets the majority finding', () => {
    const objects = JSON.parse(JSON.stringify(build()));
    find(objects, 'PodDisruptionBudget').spec.maxUnavailable = 2;
    const findings = Guards.check(objects).findings.filter(f => f.ruleId === 'SG012');
    expect(findings.map(f => f.message)).toEqual([expect.stringMatching(/lets 2 of the 3 etcd members .* be evicted at once; a quorum needs 2/)]);
  });
});
