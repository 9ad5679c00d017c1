import { Duration, Size, Testing } from 'cdk8s';
import { gp3 } from './helpers';
import { AntiAffinity, CassandraRing, CassandraRingProps } from '../../src/database';
import { Guards } from '../../src/guards';
import { StatefulError } from '../../src/internal/errors';
import { all, find, synth } from '../harness';

function build(props: Partial<CassandraRingProps> = {}, id = 'orders'): any[] {
  const chart = Testing.chart();
  new CassandraRing(chart, id, { version: '5.0.4', storage: { size: Size.gibibytes(50), storageClass: gp3 }, ...props });
  return synth(chart);
}
const main = (objects: any[]) => find(objects, 'StatefulSet').spec.template.spec.containers[0];
const config = (objects: any[]) => find(objects, 'ConfigMap').data;
const yamlValue = (yaml: string, key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(yaml)?.[1];

describe('CassandraRing', () => {
  test('renders three seeds from the ordinals through the headless Service and the snitch files', () => {
    // GIVEN / WHEN the defaults
    const objects = build();
    const data = config(objects);
    // THEN
    expect(yamlValue(data['cassandra.yaml'], 'cluster_name')).toBe("'orders'");
    expect(data['cassandra.yaml']).toContain("      - seeds: 'orders-0.orders-headless,orders-1.orders-headless,orders-2.orders-headless'");
    expect(yamlValue(data['cassandra.yaml'], 'endpoint_snitch')).toBe('GossipingPropertyFileSnitch');
    expect(yamlValue(data['cassandra.yaml'], 'num_tokens')).toBe('16');
    expect(yamlValue(data['cassandra.yaml'], 'allocate_tokens_for_local_replication_factor')).toBe('3');
    // listen_address and rpc_address unset: InetAddress.getLocalHost(), the pod IP.
    expect(data['cassandra.yaml']).not.toMatch(/^(listen|rpc|broadcast)_address/m);
    expect(data['cassandra-rackdc.properties']).toBe('dc=dc1\nrack=rack1\n');
    expect(data['logback.xml']).toContain('ConsoleAppender');
  });

  test('takes only the first three members as seeds of a five-member ring, with dc and rack as declared', () => {
    const data = config(build({ replicas: 5, replicationFactor: 3, datacenter: 'eu-west-1', rack: 'eu-west-1a', clusterName: 'Orders Prod' }));
    expect(data['cassandra.yaml']).toContain("seeds: 'orders-0.orders-headless,orders-1.orders-headless,orders-2.orders-headless'");
    expect(yamlValue(data['cassandra.yaml'], 'cluster_name')).toBe("'Orders Prod'");
    expect(data['cassandra-rackdc.properties']).toBe('dc=eu-west-1\nrack=eu-west-1a\n');
  });

  test('keeps data, commit log, hints and caches on the member claim', () => {
    const objects = build();
    const y = config(objects)['cassandra.yaml'];
    expect(y).toContain('data_file_directories:\n  - /var/lib/cassandra/data\n');
    for (const [k, dir] of [['commitlog_directory', 'commitlog'], ['hints_directory', 'hints'], ['saved_caches_directory', 'saved_caches'], ['cdc_raw_directory', 'cdc_raw']]) {
      expect(yamlValue(y, k)).toBe(`/var/lib/cassandra/${dir}`);
    }
    expect(main(objects).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/cassandra' });
    expect(find(objects, 'StatefulSet').spec.volumeClaimTemplates[0].spec).toMatchObject({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '50Gi' } } });
  });

  test('starts the official image with the rendered files instead of its sed-editing entrypoint', () => {
    const c = main(build());
    expect(c.image).toBe('cassandra:5.0.4');
    expect(c.command.slice(0, 2)).toEqual(['bash', '-c']);
    expect(c.command[2]).toContain('getent hosts "$HOSTNAME.orders-headless"');
    expect(c.command[2]).toMatch(/exec cassandra -f -Dcassandra\.config=file:\/\/\/etc\/cassandra-rendered\/cassandra\.yaml -Dcassandra-rackdc\.properties=file:\/\/\/etc\/cassandra-rendered\/cassandra-rackdc\.properties -Dlogback\.configurationFile=\/etc\/cassandra-rendered\/logback\.xml$/);
    expect(c.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/cassandra-rendered', readOnly: true });
  });

  test('sizes the heap at half the memory limit, capped at 8 GiB, and refuses a limit under 1Gi', () => {
    const env = (objects: any[]) => Object.fromEntries(main(objects).env.map((e: any) => [e.name, e.value]));
    expect(env(build())).toMatchObject({ MAX_HEAP_SIZE: '2048M', HEAP_NEWSIZE: '512M' });
    expect(env(build({ resources: { memory: Size.gibibytes(1), memoryLimit: Size.gibibytes(1) } }))).toMatchObject({ MAX_HEAP_SIZE: '512M', HEAP_NEWSIZE: '128M' });
    expect(env(build({ resources: { memory: Size.gibibytes(32), memoryLimit: Size.gibibytes(64) } }))).toMatchObject({ MAX_HEAP_SIZE: '8192M', HEAP_NEWSIZE: '800M' });
    expect(() => build({ resources: { memory: Size.mebibytes(512), memoryLimit: Size.mebibytes(768) } }))
      .toThrow("CassandraRing 'test/orders': resources.memoryLimit must be at least 1Gi");
  });

  test('drains in a preStop hook within a five-minute grace period', () => {
    const spec = find(build(), 'StatefulSet').spec.template.spec;
    expect(spec.containers[0].lifecycle.preStop.exec.command).toEqual(['nodetool', 'drain']);
    expect(spec.terminationGracePeriodSeconds).toBe(300);
    expect(find(build({ terminationGracePeriod: Duration.minutes(15) }), 'StatefulSet').spec.template.spec.terminationGracePeriodSeconds).toBe(900);
  });

  test('probes start and liveness on the storage port and readiness on the CQL port', () => {
    const c = main(build());
    expect(c.startupProbe).toMatchObject({ tcpSocket: { port: 'intra-node' }, periodSeconds: 10, failureThreshold: 90 });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 'intra-node' } });
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 'cql' }, periodSeconds: 10 });
    expect(c.ports).toEqual([{ name: 'cql', containerPort: 9042, protocol: 'TCP' }, { name: 'intra-node', containerPort: 7000, protocol: 'TCP' }]);
  });

  test('runs as the image user 999 under the restricted profile, with emptyDirs for /tmp and the logs', () => {
    const spec = find(build(), 'StatefulSet').spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(spec.volumes.filter((v: any) => v.emptyDir).map((v: any) => v.name).sort()).toEqual(['logs', 'tmp']);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'logs', mountPath: '/var/log/cassandra' });
  });

  test('starts members one at a time, keeps them on separate nodes and publishes them before Ready', () => {
    const objects = build();
    const sts = find(objects, 'StatefulSet');
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    const services = all(objects, 'Service');
    expect(services.find((s: any) => s.metadata.name === 'orders-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(services.find((s: any) => s.metadata.name === 'orders').spec.ports).toEqual([{ name: 'cql', port: 9042, targetPort: 'cql', protocol: 'TCP' }]);
    expect(find(build({ antiAffinity: AntiAffinity.PREFERRED }), 'StatefulSet').spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });

  test.each([
    // [replicas, RF, maxUnavailable]
    [3, 3, 1], [5, 3, 1], [5, 5, 2], [7, 7, 3], [3, 1, 1], [3, 2, 1], [1, 1, 1],
  ])('with %i members and RF %i the budget allows %i member(s) down', (replicas, rf, max) => {
    const chart = Testing.chart();
    const ring = new CassandraRing(chart, 'orders', { version: '5.0.4', replicas, replicationFactor: rf, storage: { size: Size.gibibytes(10), storageClass: gp3 } });
    const objects = synth(chart);
    expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(max);
    expect(ring.maxUnavailable).toBe(max);
    expect(ring.quorum).toBe(Math.floor(rf / 2) + 1);
    // THEN the guards find nothing
    expect(Guards.check(objects).findings).toEqual([]);
  });

  test('exposes contact points, seeds and the heap', () => {
    const chart = Testing.chart();
    const ring = new CassandraRing(chart, 'orders', { version: '5.0.4', storage: { size: Size.gibibytes(10), storageClass: gp3 } });
    expect(ring.contactPoints).toBe('orders-0.orders-headless,orders-1.orders-headless,orders-2.orders-headless');
    expect(ring.seeds).toHaveLength(3);
    expect(ring.heapMib).toBe(2048);
    expect(ring.replicationFactor).toBe(3);
    expect(ring.clientServiceName).toBe('orders');
  });

  test('runs an even ring: four members with RF 3 keep a budget of one and the guards find nothing', () => {
    const objects = build({ replicas: 4, replicationFactor: 3 });
    expect(find(objects, 'StatefulSet').spec.replicas).toBe(4);
    expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(Guards.check(objects).findings).toEqual([]);
  });

  test('rejects a replication factor above the member count, an unpinned version and a bad datacenter', () => {
    expect(() => build({ replicationFactor: 4 })).toThrow("CassandraRing 'test/orders': replicationFactor must be at most replicas (3)");
    expect(() => build({ replicationFactor: 4 })).toThrow(StatefulError);
    expect(() => build({ version: 'latest' })).toThrow(/version must be a Cassandra version such as '5.0.4'/);
    expect(() => build({ version: '4.1.8' })).toThrow(/5\.0\.0 or later/);
    expect(() => build({ datacenter: 'dc 1' })).toThrow(/datacenter must be letters/);
  });
});
