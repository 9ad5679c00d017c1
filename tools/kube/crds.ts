/**
 * The CustomResourceDefinitions of the custom resources our manifests use, installed into the
 * test API server so that those resources are validated like built-in kinds (structural schemas,
 * unknown fields rejected under strict field validation, CEL rules evaluated by the server).
 *
 * The schemas are written by hand from the published Go API types (their fields, json tags,
 * `+required`/`+optional`/omitempty and `+kubebuilder:validation:*` / `+kubebuilder:default`
 * markers); they are not copies of the upstream CRD YAML files:
 *
 * - snapshot.storage.k8s.io/v1 VolumeSnapshot, VolumeSnapshotClass, VolumeSnapshotContent:
 *   github.com/kubernetes-csi/external-snapshotter, package client/apis/volumesnapshot/v1
 *   (types.go), release v8.6.0 (client/v8), plus the core/v1 ObjectReference they embed.
 * - monitoring.coreos.com/v1 ServiceMonitor: github.com/prometheus-operator/prometheus-operator,
 *   package pkg/apis/monitoring/v1 (servicemonitor_types.go, types.go, http_config.go,
 *   tls_types.go, prometheus_types.go), release v0.93.0, plus the core/v1 SecretKeySelector,
 *   ConfigMapKeySelector and meta/v1 LabelSelector they embed. Its ServiceMonitorSpec is a
 *   superset of the v0.80 - v0.89 ones: no field of those releases was removed.
 *
 * Nothing here is free-form: no schema uses `x-kubernetes-preserve-unknown-fields` (none of the
 * Go types has a free-form field); `metadata` is a bare object, which the API server validates
 * itself as ObjectMeta.
 */

type Schema = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Schema builders
// ---------------------------------------------------------------------------------------------

const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const int64 = (extra: Schema = {}): Schema => ({ type: 'integer', format: 'int64', ...extra });
const bool = (): Schema => ({ type: 'boolean' });
const enumOf = (...values: string[]): Schema => str({ enum: values });
/** metav1.Time. */
const dateTime = (): Schema => str({ format: 'date-time' });

/** An object with the given properties; `required` lists the fields the Go type requires. */
function obj(properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...extra };
}
const arr = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
/** map[string]T. */
const map = (values: Schema, extra: Schema = {}): Schema => ({ type: 'object', additionalProperties: values, ...extra });

/** intstr.IntOrString. */
const intOrString = (): Schema => ({ 'anyOf': [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
/** resource.Quantity. */
const quantity = (): Schema => ({
  ...intOrString(),
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
});

/** One `+kubebuilder:validation:XValidation` rule. */
const rule = (celRule: string, message: string): Schema => ({ rule: celRule, message });
/** Adds CEL rules to a schema. */
const cel = (schema: Schema, ...rules: Schema[]): Schema => ({ ...schema, 'x-kubernetes-validations': rules });

/** A field that cannot change once set (`self == oldSelf`). */
const immutable = (schema: Schema, field: string): Schema => cel(schema, rule('self == oldSelf', `${field} is immutable`));

// ---------------------------------------------------------------------------------------------
// Kubernetes core types embedded by the custom resources
// ---------------------------------------------------------------------------------------------

/** core/v1 SecretKeySelector and ConfigMapKeySelector (LocalObjectReference.name defaults to ""). */
const keySelector = (): Schema => obj(
  { key: str(), name: str({ default: '' }), optional: bool() },
  ['key'],
  { 'x-kubernetes-map-type': 'atomic' },
);
const secretKeySelector = keySelector;
const configMapKeySelector = keySelector;

/** core/v1 ObjectReference (+structType=atomic). */
const objectReference = (): Schema => obj(
  {
    apiVersion: str(),
    fieldPath: str(),
    kind: str(),
    name: str(),
    namespace: str(),
    resourceVersion: str(),
    uid: str(),
  },
  [],
  { 'x-kubernetes-map-type': 'atomic' },
);

/** meta/v1 LabelSelector (+structType=atomic). */
const labelSelector = (): Schema => obj(
  {
    matchExpressions: arr(
      obj({ key: str(), operator: str(), values: arr(str(), { 'x-kubernetes-list-type': 'atomic' }) }, ['key', 'operator']),
      { 'x-kubernetes-list-type': 'atomic' },
    ),
    matchLabels: map(str()),
  },
  [],
  { 'x-kubernetes-map-type': 'atomic' },
);

// ---------------------------------------------------------------------------------------------
// CustomResourceDefinition builder
// ---------------------------------------------------------------------------------------------

interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
}

interface CrdProps {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly shortNames?: string[];
  readonly categories?: string[];
  /** The top-level fields besides apiVersion, kind and metadata (`spec`, `status`, ...). */
  readonly fields: Record<string, Schema>;
  readonly required?: string[];
  /** `+kubebuilder:subresource:status`. */
  readonly statusSubresource?: boolean;
  readonly printerColumns?: PrinterColumn[];
  readonly annotations?: Record<string, string>;
}

function crd(props: CrdProps): any {
  const singular = props.kind.toLowerCase();
  const schema = obj(
    { apiVersion: str(), kind: str(), metadata: { type: 'object' }, ...props.fields },
    props.required ?? [],
  );
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${props.plural}.${props.group}`,
      ...(props.annotations ? { annotations: props.annotations } : {}),
    },
    spec: {
      group: props.group,
      names: {
        kind: props.kind,
        listKind: `${props.kind}List`,
        plural: props.plural,
        singular,
        ...(props.shortNames ? { shortNames: props.shortNames } : {}),
        ...(props.categories ? { categories: props.categories } : {}),
      },
      scope: props.scope,
      versions: [{
        name: props.version,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema },
        ...(props.statusSubresource ? { subresources: { status: {} } } : {}),
        ...(props.printerColumns ? { additionalPrinterColumns: props.printerColumns } : {}),
      }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// snapshot.storage.k8s.io/v1 (external-snapshotter v8.6.0, client/apis/volumesnapshot/v1)
// ---------------------------------------------------------------------------------------------

const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';

/** DeletionPolicy: +kubebuilder:validation:Enum=Delete;Retain. */
const deletionPolicy = (): Schema => enumOf('Delete', 'Retain');

/** VolumeSnapshotError. */
const volumeSnapshotError = (): Schema => obj({ message: str(), time: dateTime() });

/** VolumeSnapshotSource: exactly one member set; members immutable and not removable. */
const volumeSnapshotSource = (): Schema => cel(
  obj({
    persistentVolumeClaimName: immutable(str(), 'persistentVolumeClaimName'),
    volumeSnapshotContentName: immutable(str(), 'volumeSnapshotContentName'),
  }),
  rule('!has(oldSelf.persistentVolumeClaimName) || has(self.persistentVolumeClaimName)', 'persistentVolumeClaimName is required once set'),
  rule('!has(oldSelf.volumeSnapshotContentName) || has(self.volumeSnapshotContentName)', 'volumeSnapshotContentName is required once set'),
  rule(
    '(has(self.volumeSnapshotContentName) && !has(self.persistentVolumeClaimName)) || (!has(self.volumeSnapshotContentName) && has(self.persistentVolumeClaimName))',
    'exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set',
  ),
);

/** VolumeSnapshotContentSource: exactly one member set; members immutable and not removable. */
const volumeSnapshotContentSource = (): Schema => cel(
  obj({
    snapshotHandle: immutable(str(), 'snapshotHandle'),
    volumeHandle: immutable(str(), 'volumeHandle'),
  }),
  rule('!has(oldSelf.volumeHandle) || has(self.volumeHandle)', 'volumeHandle is required once set'),
  rule('!has(oldSelf.snapshotHandle) || has(self.snapshotHandle)', 'snapshotHandle is required once set'),
  rule(
    '(has(self.volumeHandle) && !has(self.snapshotHandle)) || (!has(self.volumeHandle) && has(self.snapshotHandle))',
    'exactly one of volumeHandle and snapshotHandle must be set',
  ),
);

const VOLUME_SNAPSHOT = crd({
  group: SNAPSHOT_GROUP,
  version: 'v1',
  kind: 'VolumeSnapshot',
  plural: 'volumesnapshots',
  scope: 'Namespaced',
  shortNames: ['vs'],
  // *.k8s.io groups need an approved API review; this is the one external-snapshotter cites.
  annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter/pull/814' },
  statusSubresource: true,
  required: ['spec'],
  fields: {
    // VolumeSnapshotSpec
    spec: obj(
      {
        source: volumeSnapshotSource(),
        volumeSnapshotClassName: cel(str(), rule('size(self) > 0', 'volumeSnapshotClassName must not be the empty string when set')),
      },
      ['source'],
    ),
    // VolumeSnapshotStatus
    status: obj({
      boundVolumeSnapshotContentName: str(),
      creationTime: dateTime(),
      error: volumeSnapshotError(),
      readyToUse: bool(),
      restoreSize: quantity(),
      volumeGroupSnapshotName: str(),
    }),
  },
  printerColumns: [
    { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
    { name: 'SourcePVC', type: 'string', jsonPath: '.spec.source.persistentVolumeClaimName' },
    { name: 'SourceSnapshotContent', type: 'string', jsonPath: '.spec.source.volumeSnapshotContentName' },
    { name: 'RestoreSize', type: 'string', jsonPath: '.status.restoreSize' },
    { name: 'SnapshotClass', type: 'string', jsonPath: '.spec.volumeSnapshotClassName' },
    { name: 'SnapshotContent', type: 'string', jsonPath: '.status.boundVolumeSnapshotContentName' },
    { name: 'CreationTime', type: 'date', jsonPath: '.status.creationTime' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

const VOLUME_SNAPSHOT_CLASS = crd({
  group: SNAPSHOT_GROUP,
  version: 'v1',
  kind: 'VolumeSnapshotClass',
  plural: 'volumesnapshotclasses',
  scope: 'Cluster',
  shortNames: ['vsclass', 'vsclasses'],
  annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter/pull/814' },
  // No spec: the class's fields are top-level.
  required: ['driver', 'deletionPolicy'],
  fields: {
    driver: str(),
    parameters: map(str()),
    deletionPolicy: deletionPolicy(),
  },
  printerColumns: [
    { name: 'Driver', type: 'string', jsonPath: '.driver' },
    { name: 'DeletionPolicy', type: 'string', jsonPath: '.deletionPolicy' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

const VOLUME_SNAPSHOT_CONTENT = crd({
  group: SNAPSHOT_GROUP,
  version: 'v1',
  kind: 'VolumeSnapshotContent',
  plural: 'volumesnapshotcontents',
  scope: 'Cluster',
  shortNames: ['vsc', 'vscs'],
  annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter/pull/955' },
  statusSubresource: true,
  required: ['spec'],
  fields: {
    // VolumeSnapshotContentSpec
    spec: cel(
      obj(
        {
          deletionPolicy: deletionPolicy(),
          driver: str(),
          source: volumeSnapshotContentSource(),
          // core/v1 PersistentVolumeMode ("Filesystem" or "Block"); +optional despite the missing omitempty.
          sourceVolumeMode: immutable(str(), 'sourceVolumeMode'),
          volumeSnapshotClassName: str(),
          volumeSnapshotRef: cel(
            objectReference(),
            // `namespace` is a CEL reserved word, hence the escape.
            rule('has(self.name) && has(self.__namespace__)', 'both spec.volumeSnapshotRef.name and spec.volumeSnapshotRef.namespace must be set'),
          ),
        },
        ['deletionPolicy', 'driver', 'source', 'volumeSnapshotRef'],
      ),
      rule('!has(oldSelf.sourceVolumeMode) || has(self.sourceVolumeMode)', 'sourceVolumeMode is required once set'),
    ),
    // VolumeSnapshotContentStatus
    status: obj({
      creationTime: int64(), // Unix nanoseconds
      error: volumeSnapshotError(),
      readyToUse: bool(),
      restoreSize: int64({ minimum: 0 }), // bytes
      snapshotHandle: str(),
      volumeGroupSnapshotHandle: str(),
    }),
  },
  printerColumns: [
    { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
    { name: 'RestoreSize', type: 'integer', jsonPath: '.status.restoreSize' },
    { name: 'DeletionPolicy', type: 'string', jsonPath: '.spec.deletionPolicy' },
    { name: 'Driver', type: 'string', jsonPath: '.spec.driver' },
    { name: 'VolumeSnapshotClass', type: 'string', jsonPath: '.spec.volumeSnapshotClassName' },
    { name: 'VolumeSnapshot', type: 'string', jsonPath: '.spec.volumeSnapshotRef.name' },
    { name: 'VolumeSnapshotNamespace', type: 'string', jsonPath: '.spec.volumeSnapshotRef.namespace' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

// ---------------------------------------------------------------------------------------------
// monitoring.coreos.com/v1 ServiceMonitor (prometheus-operator v0.93.0, pkg/apis/monitoring/v1)
// ---------------------------------------------------------------------------------------------

/** Duration: a Prometheus model.ParseDuration() duration. */
const duration = (): Schema => str({ pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' });
/** ByteSize: `512MB`, `1GiB`, ... */
const byteSize = (): Schema => str({ pattern: '(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$' });
/** URL. */
const url = (): Schema => str({ pattern: '^(http|https)://.+$' });
/** ScrapeProtocol. */
const scrapeProtocol = (): Schema => enumOf('PrometheusProto', 'OpenMetricsText0.0.1', 'OpenMetricsText1.0.0', 'PrometheusText0.0.4', 'PrometheusText1.0.0');
/** TLSVersion. */
const tlsVersion = (): Schema => enumOf('TLS10', 'TLS11', 'TLS12', 'TLS13');

/** SecretOrConfigMap (the operator, not the schema, rejects both set at once). */
const secretOrConfigMap = (): Schema => obj({ configMap: configMapKeySelector(), secret: secretKeySelector() });

/** SafeTLSConfig. */
const safeTlsConfigFields = (): Record<string, Schema> => ({
  ca: secretOrConfigMap(),
  cert: secretOrConfigMap(),
  insecureSkipVerify: bool(),
  keySecret: secretKeySelector(),
  maxVersion: tlsVersion(),
  minVersion: tlsVersion(),
  serverName: str(),
});
const safeTlsConfig = (): Schema => obj(safeTlsConfigFields());
/** TLSConfig: SafeTLSConfig + TLSFilesConfig. */
const tlsConfig = (): Schema => obj({ ...safeTlsConfigFields(), caFile: str(), certFile: str(), keyFile: str() });

/** ProxyConfig (inlined into its parents). */
const proxyConfigFields = (): Record<string, Schema> => ({
  noProxy: str(),
  proxyConnectHeader: map(arr(secretKeySelector()), { 'x-kubernetes-map-type': 'atomic' }),
  proxyFromEnvironment: bool(),
  proxyUrl: str({ pattern: '^(http|https|socks5)://.+$' }),
});

/** OAuth2. */
const oauth2 = (): Schema => obj(
  {
    clientId: secretOrConfigMap(),
    clientSecret: secretKeySelector(),
    endpointParams: map(str()),
    scopes: arr(str()),
    tlsConfig: safeTlsConfig(),
    tokenUrl: url(),
    ...proxyConfigFields(),
  },
  ['clientId', 'clientSecret', 'tokenUrl'],
);

/** SafeAuthorization. */
const safeAuthorization = (): Schema => obj({ credentials: secretKeySelector(), type: str() });

/** BasicAuth. */
const basicAuth = (): Schema => obj({ password: secretKeySelector(), username: secretKeySelector() });

/** RelabelConfig. */
const relabelConfig = (): Schema => obj({
  action: str({
    default: 'replace',
    enum: [
      'replace', 'Replace', 'keep', 'Keep', 'drop', 'Drop', 'hashmod', 'HashMod', 'labelmap', 'LabelMap',
      'labeldrop', 'LabelDrop', 'labelkeep', 'LabelKeep', 'lowercase', 'Lowercase', 'uppercase', 'Uppercase',
      'keepequal', 'KeepEqual', 'dropequal', 'DropEqual',
    ],
  }),
  modulus: int64({ minimum: 0 }),
  regex: str(),
  replacement: str(),
  separator: str(),
  sourceLabels: arr(str()), // LabelName
  targetLabel: str(),
});

/** Endpoint, with the inlined HTTPConfigWithProxyAndTLSFiles (HTTPConfigWithoutTLS + TLSConfig + ProxyConfig). */
const endpoint = (): Schema => obj({
  port: str(),
  targetPort: intOrString(),
  path: str(),
  scheme: enumOf('http', 'https', 'HTTP', 'HTTPS'),
  params: map(arr(str())),
  interval: duration(),
  scrapeTimeout: duration(),
  honorLabels: bool(),
  honorTimestamps: bool(),
  trackTimestampsStaleness: bool(),
  metricRelabelings: arr(relabelConfig()),
  relabelings: arr(relabelConfig()),
  filterRunning: bool(),
  bearerTokenFile: str(), // deprecated
  // HTTPConfigWithoutTLS
  authorization: safeAuthorization(),
  basicAuth: basicAuth(),
  oauth2: oauth2(),
  bearerTokenSecret: secretKeySelector(), // deprecated
  followRedirects: bool(),
  enableHttp2: bool(),
  // HTTPConfigWithTLSFiles
  tlsConfig: tlsConfig(),
  // ProxyConfig
  ...proxyConfigFields(),
});

/** ConfigResourceStatus: the workloads (Prometheus, ...) that select the resource. */
const configResourceStatus = (): Schema => obj({
  bindings: arr(
    obj(
      {
        conditions: arr(
          obj(
            {
              lastTransitionTime: dateTime(),
              message: str(),
              observedGeneration: int64(),
              reason: str(),
              status: str({ minLength: 1 }), // ConditionStatus
              type: str({ enum: ['Accepted'], minLength: 1 }), // ConditionType
            },
            ['lastTransitionTime', 'status', 'type'],
          ),
          { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
        ),
        group: enumOf('monitoring.coreos.com'),
        name: str({ minLength: 1 }),
        namespace: str({ minLength: 1 }),
        resource: enumOf('prometheuses', 'prometheusagents', 'thanosrulers', 'alertmanagers'),
      },
      ['group', 'name', 'namespace', 'resource'],
    ),
    { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['group', 'resource', 'name', 'namespace'] },
  ),
});

const SERVICE_MONITOR = crd({
  group: 'monitoring.coreos.com',
  version: 'v1',
  kind: 'ServiceMonitor',
  plural: 'servicemonitors',
  scope: 'Namespaced',
  shortNames: ['smon'],
  categories: ['prometheus-operator'],
  statusSubresource: true,
  required: ['spec'],
  fields: {
    // ServiceMonitorSpec
    spec: obj(
      {
        jobLabel: str(),
        targetLabels: arr(str()),
        podTargetLabels: arr(str()),
        endpoints: arr(endpoint()),
        selector: labelSelector(),
        selectorMechanism: enumOf('RelabelConfig', 'RoleSelector'),
        namespaceSelector: obj({ any: bool(), matchNames: arr(str()) }),
        sampleLimit: int64({ minimum: 0 }),
        scrapeProtocols: arr(scrapeProtocol(), { 'x-kubernetes-list-type': 'set' }),
        fallbackScrapeProtocol: scrapeProtocol(),
        targetLimit: int64({ minimum: 0 }),
        labelLimit: int64({ minimum: 0 }),
        labelNameLengthLimit: int64({ minimum: 0 }),
        labelValueLengthLimit: int64({ minimum: 0 }),
        // NativeHistogramConfig (inlined)
        scrapeNativeHistograms: bool(),
        scrapeClassicHistograms: bool(),
        nativeHistogramBucketLimit: int64({ minimum: 0 }),
        nativeHistogramMinBucketFactor: quantity(),
        convertClassicHistogramsToNHCB: bool(),
        keepDroppedTargets: int64({ minimum: 0 }),
        attachMetadata: obj({ node: bool() }),
        scrapeClass: str({ minLength: 1 }),
        bodySizeLimit: byteSize(),
        serviceDiscoveryRole: enumOf('Endpoints', 'EndpointSlice'),
      },
      ['endpoints', 'selector'],
    ),
    status: configResourceStatus(),
  },
});

/** The CRDs the test API server installs, in installation order. */
export const CRDS: readonly any[] = [
  VOLUME_SNAPSHOT_CLASS,
  VOLUME_SNAPSHOT,
  VOLUME_SNAPSHOT_CONTENT,
  SERVICE_MONITOR,
];
