import { GuardFinding, GuardReport, Guards } from '../../../src/guards';

/**
 * Objects of one deployment in two versions, for the baseline rules (SU001...): plain JSON as a
 * cdk8s dist/ or a Helm chart holds them, each accepted by the API server as it is.
 */

export const REASON = 'Reviewed by the platform team: the migration runbook was followed.';

export const restrictedPod = {
  securityContext: { runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{
    name: 'postgres',
    image: 'postgres:16.4',
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  }],
};

const labels = { app: 'db' };

/** A deep copy, changed by `edit`. */
export function changed<T>(o: T, edit: (copy: any) => void): T {
  const copy = JSON.parse(JSON.stringify(o));
  edit(copy);
  return copy;
}

export function claimTemplate(size = '10Gi', storageClassName = 'fast'): any {
  return { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: size } } } };
}

export function statefulSet(spec: Record<string, unknown> = {}, namespace?: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', ...(namespace ? { namespace } : {}) },
    spec: {
      serviceName: 'db',
      replicas: 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: restrictedPod },
      volumeClaimTemplates: [claimTemplate()],
      ...spec,
    },
  };
}

export function claim(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', ...metadata },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } }, ...spec },
  };
}

export function storageClass(fields: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'fast' },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    ...fields,
  };
}

export function persistentVolume(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'disk-1' },
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'manual',
      csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123456789abcdef0' },
      ...spec,
    },
  };
}

export function workload(kind: string, selector: Record<string, string> = { app: 'web' }, extra: Record<string, unknown> = {}): any {
  const pod = {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    ...(kind === 'Job' ? { restartPolicy: 'Never' } : {}),
  };
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name: 'web' },
    spec: {
      ...(kind === 'Job' ? { manualSelector: true } : {}),
      selector: { matchLabels: selector },
      template: { metadata: { labels: selector }, spec: pod },
      ...extra,
    },
  };
}

/** The findings of a baseline rule when `current` follows `previous`. */
export function compare(previous: any[], current: any[], options: { defaultNamespace?: string } = {}): GuardReport {
  return Guards.check(current, { baseline: previous, ...options });
}

/** The findings of the baseline rules (SU...) only. */
export function su(report: GuardReport, ruleId?: string): GuardFinding[] {
  return report.findings.filter(f => (ruleId ? f.ruleId === ruleId : f.ruleId.startsWith('SU')));
}
