/**
 * Schemas for the custom resources this project emits, in the same shape as the 1.28 models
 * (see k8s-schema.ts). Kept by hand from the CRDs of their upstream projects:
 * - snapshot.storage.k8s.io/v1 (kubernetes-csi/external-snapshotter, client/config/crd,
 *   VolumeSnapshotClass and VolumeSnapshot, v6+);
 * - monitoring.coreos.com/v1 ServiceMonitor (prometheus-operator, the fields we emit or that
 *   users commonly set; an unknown field still fails).
 *
 * Top-level entries are keyed `<apiVersion>/<kind>`; nested ones by an invented model name.
 */
import type { ModelSchema } from './k8s-schema';

const req = (type: string) => ({ type, required: true });
const opt = (type: string) => ({ type, required: false });

export const CRD_SCHEMAS: Record<string, ModelSchema> = {
  'snapshot.storage.k8s.io/v1/VolumeSnapshotClass': {
    apiVersion: req('string'),
    kind: req('string'),
    metadata: opt('V1ObjectMeta'),
    driver: req('string'),
    deletionPolicy: req('string'), // enum Delete|Retain: see ENUMS in k8s-schema.ts
    parameters: opt('{ [key: string]: string; }'),
  },
  'snapshot.storage.k8s.io/v1/VolumeSnapshot': {
    apiVersion: req('string'),
    kind: req('string'),
    metadata: opt('V1ObjectMeta'),
    spec: req('SnapshotV1VolumeSnapshotSpec'),
  },
  'SnapshotV1VolumeSnapshotSpec': {
    source: req('SnapshotV1VolumeSnapshotSource'),
    volumeSnapshotClassName: opt('string'),
  },
  'SnapshotV1VolumeSnapshotSource': {
    persistentVolumeClaimName: opt('string'),
    volumeSnapshotContentName: opt('string'),
  },

  'monitoring.coreos.com/v1/ServiceMonitor': {
    apiVersion: req('string'),
    kind: req('string'),
    metadata: opt('V1ObjectMeta'),
    spec: req('MonitoringV1ServiceMonitorSpec'),
  },
  'MonitoringV1ServiceMonitorSpec': {
    selector: req('V1LabelSelector'),
    endpoints: opt('Array<MonitoringV1Endpoint>'),
    namespaceSelector: opt('MonitoringV1NamespaceSelector'),
    jobLabel: opt('string'),
    targetLabels: opt('Array<string>'),
    podTargetLabels: opt('Array<string>'),
    sampleLimit: opt('number'),
  },
  'MonitoringV1NamespaceSelector': {
    any: opt('boolean'),
    matchNames: opt('Array<string>'),
  },
  'MonitoringV1Endpoint': {
    port: opt('string'),
    targetPort: opt('IntOrString'),
    path: opt('string'),
    scheme: opt('string'),
    interval: opt('string'),
    scrapeTimeout: opt('string'),
    honorLabels: opt('boolean'),
    honorTimestamps: opt('boolean'),
    params: opt('{ [key: string]: Array<string>; }'),
    relabelings: opt('Array<object>'),
    metricRelabelings: opt('Array<object>'),
    tlsConfig: opt('object'),
    bearerTokenSecret: opt('V1SecretKeySelector'),
  },
};
