import { applyForReal, serverVersion, updateVerdict, verdicts } from '.';
import { PodSecurityLevel } from './api-server';

// The API server is the oracle of every manifest in the suite. These tests pin down what it
// checks that the in-process schema harness it replaced could not (each case below was accepted
// by that harness), and the immutable-field facts the library and its guards rely on.

const labels = { app: 'db' };
const restrictedPod = {
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{
    name: 'db',
    image: 'postgres:16.4',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  }],
};

function statefulSet(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: restrictedPod },
      volumeClaimTemplates: [claimTemplate('10Gi')],
      ...spec,
    },
  };
}

function claimTemplate(size: string, storageClassName = 'fast'): any {
  return { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: size } } } };
}

function claim(size: string, storageClassName = 'fast'): any {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: claimTemplate(size, storageClassName).spec };
}

function deployment(podSpec: Record<string, unknown> = restrictedPod, selector = labels): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: podSpec } },
  };
}

async function one(object: unknown, podSecurity?: PodSecurityLevel) {
  const [verdict] = await verdicts([object], podSecurity ? { podSecurity } : undefined);
  return verdict;
}

describe('kube-apiserver dry-run', () => {
  test('reports the Kubernetes release it runs', () => {
    expect(serverVersion()).toMatch(/^v1\.35\.\d+$/);
  });

  test('accepts a StatefulSet that runs under the restricted profile', async () => {
    expect(await one(statefulSet())).toEqual({ ref: 'StatefulSet default/db', accepted: true, warnings: [] });
  });

  test('rejects a StatefulSet whose selector does not match its template labels', async () => {
    const v = await one(statefulSet({ selector: { matchLabels: { app: 'other' } } }));
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('spec.template.metadata.labels: Invalid value');
    expect(v.message).toContain('`selector` does not match template `labels`');
  });

  test('warns about a Deployment whose pods run as root in a restricted namespace', async () => {
    const v = await one(deployment({ containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    expect(v.accepted).toBe(true);
    expect(v.warnings).toEqual([expect.stringContaining('would violate PodSecurity "restricted:latest"')]);
    expect(v.warnings[0]).toContain('runAsNonRoot != true');
  });

  test('accepts the same Deployment where the namespace is privileged', async () => {
    const v = await one(deployment({ containers: [{ name: 'web', image: 'nginx:1.27' }] }), PodSecurityLevel.PRIVILEGED);
    expect(v).toMatchObject({ accepted: true, warnings: [] });
  });

  test('rejects an unknown field (strict field validation)', async () => {
    const d = deployment();
    d.spec.replica = 3;
    const v = await one(d);
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('unknown field "spec.replica"');
  });

  test('rejects a claim asking for "10 gigs"', async () => {
    const v = await one(claim('10 gigs'));
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('quantities must match the regular expression');
  });

  test('rejects a StatefulSet under apiVersion v1 and a Deployment under a made-up group', async () => {
    expect(await one({ ...statefulSet(), apiVersion: 'v1' })).toMatchObject({ accepted: false, message: 'no kind "StatefulSet" is served in apiVersion "v1"' });
    expect(await one({ ...deployment(), apiVersion: 'foo.bar/v1' })).toMatchObject({ accepted: false, message: 'no kind "Deployment" is served in apiVersion "foo.bar/v1"' });
  });

  test('rejects a name that is not a DNS subdomain', async () => {
    const v = await one({ ...claim('1Gi'), metadata: { name: 'Not_A_DNS' } });
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('a lowercase RFC 1123 subdomain must consist of');
  });

  test('rejects a claim template without a storage request', async () => {
    const template = claimTemplate('1Gi');
    delete template.spec.resources;
    const v = await one(statefulSet({ volumeClaimTemplates: [template] }));
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('spec.volumeClaimTemplates[0].spec.resources[storage]: Required value');
  });

  test('validates the CRDs we install: an unknown VolumeSnapshotClass field and a bad deletion policy', async () => {
    const vsc = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'c' }, driver: 'ebs.csi.aws.com', deletionPolicy: 'Retain' };
    expect(await one(vsc)).toMatchObject({ accepted: true, warnings: [] });
    expect((await one({ ...vsc, drivr: 'x' })).message).toContain('unknown field "drivr"');
    expect((await one({ ...vsc, deletionPolicy: 'Keep' })).message).toContain('Unsupported value: "Keep"');
    const sm = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { selector: {}, endpoints: [{ port: 'metrics', intervall: '30s' }] } };
    expect((await one(sm)).message).toContain('unknown field "spec.endpoints[0].intervall"');
  });

  test('uses a Namespace the input defines as given, even with a name another input uses as restricted', async () => {
    const rootPod = { containers: [{ name: 'web', image: 'nginx:1.27' }] };
    const inNs = (o: any, namespace: string) => ({ ...o, metadata: { ...o.metadata, namespace } });
    const privileged = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'agents', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } };
    const [ns, agent] = await verdicts([privileged, inNs(deployment(rootPod), 'agents')]);
    expect(ns).toMatchObject({ accepted: true, warnings: [] });
    expect(agent).toMatchObject({ ref: 'Deployment agents/web', accepted: true, warnings: [] });
    // Another input that does not define `agents` gets the restricted default there.
    const [again] = await verdicts([inNs(deployment(rootPod), 'agents')]);
    expect(again.warnings).toEqual([expect.stringContaining('restricted:latest')]);
  });
});

describe('update oracle: what the API server refuses to change', () => {
  const forbiddenStatefulSet = 'Forbidden: updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'revisionHistoryLimit\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden';

  test.each([
    ['replicas', { replicas: 3 }],
    ['ordinals', { ordinals: { start: 1 } }],
    ['template', { template: { metadata: { labels: { ...labels, tier: 'db' } }, spec: restrictedPod } }],
    ['updateStrategy', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }],
    ['revisionHistoryLimit', { revisionHistoryLimit: 3 }],
    ['persistentVolumeClaimRetentionPolicy', { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }],
    ['minReadySeconds', { minReadySeconds: 10 }],
  ])('a StatefulSet may change %s', async (_field, change) => {
    expect(await updateVerdict(statefulSet(), statefulSet(change))).toEqual({ accepted: true });
  });

  test.each([
    ['a claim template size', { volumeClaimTemplates: [claimTemplate('20Gi')] }],
    ['a claim template class', { volumeClaimTemplates: [claimTemplate('10Gi', 'slow')] }],
    ['a claim template access mode', { volumeClaimTemplates: [{ ...claimTemplate('10Gi'), spec: { ...claimTemplate('10Gi').spec, accessModes: ['ReadWriteOncePod'] } }] }],
    ['the selector', { selector: { matchLabels: { ...labels, tier: 'db' } }, template: { metadata: { labels: { ...labels, tier: 'db' } }, spec: restrictedPod } }],
    ['the serviceName', { serviceName: 'db-headless' }],
    ['the podManagementPolicy', { podManagementPolicy: 'Parallel' }],
  ])('a StatefulSet may not change %s', async (_what, change) => {
    const v = await updateVerdict(statefulSet(), statefulSet(change));
    expect(v.accepted).toBe(false);
    expect(v.message).toContain(forbiddenStatefulSet);
  });

  /** Plays the persistent volume controller: the claim is bound with the capacity it asked for. */
  const bind = async (client: any, created: any, path: string) => {
    const status = { ...created, status: { phase: 'Bound', accessModes: created.spec.accessModes, capacity: { storage: created.spec.resources.requests.storage } } };
    const res = await client.request('PUT', `${path}/status`, status);
    if (res.status !== 200) throw new Error(`cannot bind the claim: ${JSON.stringify(res.body)}`);
  };

  test('a bound claim may grow only when its class allows volume expansion', async () => {
    const v = await updateVerdict(claim('10Gi'), claim('20Gi'), { afterCreate: bind });
    expect(v.message).toContain('only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    await applyForReal([{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'expandable' }, provisioner: 'ebs.csi.aws.com', allowVolumeExpansion: true }]);
    expect(await updateVerdict(claim('10Gi', 'expandable'), claim('20Gi', 'expandable'), { afterCreate: bind })).toEqual({ accepted: true });
  });

  test('a bound claim may not shrink', async () => {
    const v = await updateVerdict(claim('10Gi'), claim('5Gi'), { afterCreate: bind });
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');
  });

  test('a claim may not change its storage class', async () => {
    const v = await updateVerdict(claim('10Gi'), claim('10Gi', 'slow'), { afterCreate: bind });
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
  });

  const storageClass = (extra: Record<string, unknown> = {}) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'fast' },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    ...extra,
  });

  test.each([
    ['parameters', { parameters: { type: 'io2' } }, 'parameters: Forbidden: updates to parameters are forbidden.'],
    ['provisioner', { provisioner: 'efs.csi.aws.com' }, 'provisioner: Forbidden: updates to provisioner are forbidden.'],
    ['reclaimPolicy', { reclaimPolicy: 'Delete' }, 'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.'],
    ['volumeBindingMode', { volumeBindingMode: 'Immediate' }, 'volumeBindingMode: Invalid value: "Immediate": field is immutable'],
  ])('a StorageClass may not change its %s', async (_field, change, message) => {
    const v = await updateVerdict(storageClass(), storageClass(change));
    expect(v.accepted).toBe(false);
    expect(v.message).toContain(message);
  });

  test('a StorageClass may change allowVolumeExpansion', async () => {
    expect(await updateVerdict(storageClass(), storageClass({ allowVolumeExpansion: true }))).toEqual({ accepted: true });
  });

  test.each(['Deployment', 'DaemonSet'])('a %s may not change its selector', async (kind) => {
    const before = { ...deployment(), kind };
    const after = { ...deployment(restrictedPod, { app: 'web2' }), kind };
    const v = await updateVerdict(before, after);
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('spec.selector: Invalid value');
    expect(v.message).toContain('field is immutable');
  });
});
