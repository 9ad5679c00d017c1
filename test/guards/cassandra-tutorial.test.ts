import { Guards } from '../../src/guards';
import { checkedByApiServer } from '../harness';

/**
 * Our own fixture modelled on the official Kubernetes Cassandra tutorial
 * (kubernetes/website content/en/examples/application/cassandra/: cassandra-statefulset.yaml and
 * cassandra-service.yaml): a three-member StatefulSet of the sample image `gcr.io/google-samples/cassandra`,
 * which keeps its data on a claim template mounted at /cassandra_data (not the official image's
 * /var/lib/cassandra), a headless Service, and a StorageClass on the minikube hostpath provisioner.
 */
function tutorial(): Array<Record<string, any>> {
  const labels = { 'app.kubernetes.io/name': 'cassandra' };
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cassandra', labels }, spec: { clusterIP: 'None', ports: [{ port: 9042 }], selector: labels } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'cassandra', labels },
      spec: {
        serviceName: 'cassandra',
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 500,
            containers: [{
              name: 'cassandra',
              image: 'gcr.io/google-samples/cassandra:v13',
              ports: [{ containerPort: 7000, name: 'intra-node' }, { containerPort: 7001, name: 'tls-intra-node' }, { containerPort: 7199, name: 'jmx' }, { containerPort: 9042, name: 'cql' }],
              resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } },
              securityContext: { capabilities: { add: ['IPC_LOCK'] } },
              lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'nodetool drain'] } } },
              env: [
                { name: 'MAX_HEAP_SIZE', value: '512M' },
                { name: 'HEAP_NEWSIZE', value: '100M' },
                { name: 'CASSANDRA_SEEDS', value: 'cassandra-0.cassandra.default.svc.cluster.local' },
                { name: 'CASSANDRA_CLUSTER_NAME', value: 'K8Demo' },
                { name: 'CASSANDRA_DC', value: 'DC1-K8Demo' },
                { name: 'CASSANDRA_RACK', value: 'Rack1-K8Demo' },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              ],
              readinessProbe: { exec: { command: ['/bin/bash', '-c', '/ready-probe.sh'] }, initialDelaySeconds: 15, timeoutSeconds: 5 },
              volumeMounts: [{ name: 'cassandra-data', mountPath: '/cassandra_data' }],
            }],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'cassandra-data' },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
        }],
      },
    },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'k8s.io/minikube-hostpath', parameters: { type: 'pd-ssd' } },
  ];
}

describe('the official Cassandra tutorial (StatefulSet and Service together)', () => {
  // The tutorial adds IPC_LOCK: its namespace must allow privileged pods.
  const check = () => Guards.check(checkedByApiServer(tutorial(), { podSecurity: 'privileged' }));

  test('gives warnings only', () => {
    const report = check();
    expect(report.findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(report.failed).toBe(false);
  });

  test('SG005 is a warning that names the claim the sample image keeps its data on', () => {
    const report = check();
    const [f] = report.findings.filter(x => x.ruleId === 'SG005');
    expect(f).toMatchObject({ severity: 'warning', resource: { kind: 'StatefulSet', name: 'cassandra' } });
    expect(f.message).toMatch(/claim template 'cassandra-data' is mounted at \/cassandra_data/);
  });

  test('the other warnings are the true ones: no spread, no budget, data on a Delete class', () => {
    const report = check();
    expect(report.findings.map(f => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`)).toEqual([
      'SG005 StatefulSet/cassandra', 'SG011 StatefulSet/cassandra', 'SG012 StatefulSet/cassandra', 'SG013 StatefulSet/cassandra',
    ]);
  });
});
