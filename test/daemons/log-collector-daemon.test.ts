import { createHash } from 'crypto';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { parseFluentBitYaml } from './fluent-bit-yaml';
import {
  AgentPodSecurityLevel, FluentBitLogLevel, LogCollectorDaemon, LogCollectorDaemonProps, LogOutput, NodeAgentNamespace,
} from '../../src/daemons';
import { StatefulError } from '../../src/internal/errors';
import { find, synth } from '../harness';

const LOKI = LogOutput.loki({ host: 'loki-gateway.monitoring.svc' });

function build(props: Partial<LogCollectorDaemonProps> = {}, namespace = 'logging') {
  const c = new Chart(Testing.app(), 'test', { namespace });
  const collector = new LogCollectorDaemon(c, 'logs', { output: LOKI, name: 'fluent-bit', ...props });
  // The cluster admin labels the collector's namespace with the level the collector declares.
  const objects = synth(c, { podSecurity: collector.podSecurityLevel });
  const ds = find(objects, 'DaemonSet');
  const cm = find(objects, 'ConfigMap');
  return {
    collector,
    objects,
    ds,
    cm,
    pod: ds.spec.template.spec,
    container: ds.spec.template.spec.containers[0],
    config: parseFluentBitYaml(cm.data['fluent-bit.yaml']),
  };
}

describe('LogCollectorDaemon on the node', () => {
  test('reads /var/log/containers and /var/log/pods read-only and keeps positions in a writable per-node host path', () => {
    // GIVEN / WHEN
    const { collector, container, pod } = build();
    // THEN
    expect(collector.hostPaths).toEqual([
      { hostPath: '/var/log/containers', mountPath: '/var/log/containers', readOnly: true, propagation: 'None', type: '' },
      { hostPath: '/var/log/pods', mountPath: '/var/log/pods', readOnly: true, propagation: 'None', type: '' },
      { hostPath: '/var/lib/fluent-bit', mountPath: '/var/lib/fluent-bit', readOnly: false, propagation: 'None', type: 'DirectoryOrCreate' },
    ]);
    expect(container.volumeMounts.map((m: any) => [m.mountPath, m.readOnly])).toEqual([
      ['/var/log/containers', true], ['/var/log/pods', true], ['/var/lib/fluent-bit', false], ['/fluent-bit/config', true],
    ]);
    expect(pod.volumes.some((v: any) => v.persistentVolumeClaim)).toBe(false);
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
  });

  test('Docker nodes: /var/lib/docker/containers is mounted read-only on request', () => {
    const { collector } = build({ dockerContainerLogs: true });
    expect(collector.hostPaths.find(m => m.hostPath === '/var/lib/docker/containers')?.readOnly).toBe(true);
  });

  test('runs as root without capabilities, escalation or a writable root filesystem; needs privileged', () => {
    const { pod, container, collector } = build();
    expect(pod.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
    expect(collector.podSecurityLevel).toBe(AgentPodSecurityLevel.PRIVILEGED);
  });

  test('reads pods and namespaces from the API: get/list/watch only, token mounted', () => {
    const { objects, pod } = build();
    const role = find(objects, 'ClusterRole');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
    const binding = find(objects, 'ClusterRoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'fluent-bit', namespace: 'logging' }]);
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(find(objects, 'ServiceAccount').automountServiceAccountToken).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  test('tolerates every taint, probes its HTTP server and runs the pinned image on the generated config', () => {
    const { pod, container } = build();
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(container.image).toBe('cr.fluentbit.io/fluent/fluent-bit:5.1.1');
    expect(container.command).toEqual(['/fluent-bit/bin/fluent-bit']);
    expect(container.args).toEqual(['--config=/fluent-bit/config/fluent-bit.yaml']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 2020, protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 'http', scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 'http', scheme: 'HTTP' });
  });
});

describe('LogCollectorDaemon configuration', () => {
  test('the ConfigMap holds the config, mounted read-only, and its SHA-256 is a pod annotation', () => {
    const { cm, ds, pod, collector } = build();
    const text = cm.data['fluent-bit.yaml'];
    expect(text).toBe(collector.config);
    const hash = createHash('sha256').update(text).digest('hex');
    expect(ds.spec.template.metadata.annotations['checksum/config']).toBe(hash);
    expect(pod.volumes.find((v: any) => v.configMap)?.configMap).toEqual({ name: cm.metadata.name });
  });

  test('service section: flush, log level, the stock parsers and the health endpoint', () => {
    const { config } = build({ logLevel: FluentBitLogLevel.WARNING, flushInterval: Duration.seconds(5) });
    expect(config.service).toEqual({
      flush: '5',
      log_level: 'warn',
      parsers_file: '/fluent-bit/etc/parsers.conf',
      http_server: 'on',
      http_listen: '0.0.0.0',
      http_port: '2020',
      health_check: 'on',
    });
  });

  test('a pod annotation naming a stock parser is honoured: the filter reads it, the stock file defines it', () => {
    // The official image copies conf/parsers.conf to /fluent-bit/etc/ (dockerfiles/Dockerfile);
    // pods annotated fluentbit.io/parser: <name> are parsed only when that file is loaded.
    const { config } = build();
    expect(config.service.parsers_file).toBe('/fluent-bit/etc/parsers.conf');
    expect(config.filters[0]['k8s-logging.parser']).toBe('on');
  });

  test('input section: tail of the container logs with the docker and cri parsers and a per-node DB', () => {
    const { config } = build({ memoryBufferLimit: Size.mebibytes(20) });
    expect(config.inputs).toEqual([{
      'name': 'tail',
      'tag': 'kube.*',
      'path': '/var/log/containers/*.log',
      'exclude_path': '/var/log/containers/fluent-bit-*_logging_fluent-bit-*.log',
      'multiline.parser': 'docker, cri',
      'db': '/var/lib/fluent-bit/logging.fluent-bit.db',
      'db.locking': 'true',
      'mem_buf_limit': '20M',
      'skip_long_lines': 'on',
      'refresh_interval': '10',
    }]);
  });

  test('filter section: the kubernetes filter with the in-cluster API and the tag prefix of the tail input', () => {
    const { config } = build();
    expect(config.filters).toEqual([{
      'name': 'kubernetes',
      'match': 'kube.*',
      'kube_url': 'https://kubernetes.default.svc:443',
      'kube_ca_file': '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      'kube_token_file': '/var/run/secrets/kubernetes.io/serviceaccount/token',
      'kube_tag_prefix': 'kube.var.log.containers.',
      'merge_log': 'on',
      'keep_log': 'off',
      'k8s-logging.parser': 'on',
      'k8s-logging.exclude': 'on',
      'labels': 'on',
      'annotations': 'off',
    }]);
    expect(config.inputs[0].tag.replace('*', '')).toBe('kube.');
  });

  test('output section: Loki with static and Kubernetes stream labels', () => {
    const { config, container } = build({ output: LogOutput.loki({ host: 'loki', labels: { job: 'kubernetes', cluster: 'prod-1' }, tenantId: 'team-a' }) });
    expect(config.outputs).toEqual([{
      name: 'loki',
      match: 'kube.*',
      host: 'loki',
      port: '3100',
      uri: '/loki/api/v1/push',
      labels: "job=kubernetes, cluster=prod-1, namespace=$kubernetes['namespace_name'], container=$kubernetes['container_name']",
      line_format: 'json',
      tenant_id: 'team-a',
      retry_limit: '5',
      tls: 'off',
    }]);
    expect(container.env).toBeUndefined();
  });

  test('output section: Elasticsearch credentials come from a Secret through the environment', () => {
    const { config, container, cm } = build({
      output: LogOutput.elasticsearch({ host: 'es.example.com', user: 'fluent', passwordSecret: { secretName: 'es-creds', key: 'password' }, logstashFormat: true }),
    });
    expect(config.outputs[0]).toMatchObject({
      'name': 'es',
      'host': 'es.example.com',
      'port': '9200',
      'logstash_format': 'on',
      'logstash_prefix': 'kubernetes',
      'http_user': 'fluent',
      'http_passwd': '${FLUENT_ELASTICSEARCH_PASSWORD}',
      'tls': 'on',
      'tls.verify': 'on',
      'suppress_type_name': 'on',
    });
    expect(config.envReferences).toEqual(['FLUENT_ELASTICSEARCH_PASSWORD']);
    expect(container.env).toEqual([{ name: 'FLUENT_ELASTICSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-creds', key: 'password' } } }]);
    expect(JSON.stringify(cm)).not.toContain('es-creds');
  });

  test('output section: forward with a Secure Forward shared key over TLS, and stdout', () => {
    const fwd = build({ output: LogOutput.forward({ host: 'fluentd.logging.svc', tls: true, sharedKeySecret: { secretName: 'fwd', key: 'key' } }) });
    expect(fwd.config.outputs[0]).toEqual({
      'name': 'forward',
      'match': 'kube.*',
      'host': 'fluentd.logging.svc',
      'port': '24224',
      'shared_key': '${FLUENT_FORWARD_SHARED_KEY}',
      'retry_limit': '5',
      'tls': 'on',
      'tls.verify': 'on',
    });
    expect(fwd.container.env.map((e: any) => e.name)).toEqual(fwd.config.envReferences);
    expect(build({ output: LogOutput.stdout() }).config.outputs).toEqual([{ name: 'stdout', match: 'kube.*', format: 'json_lines' }]);
  });

  test('every environment variable the config references is set from a Secret', () => {
    for (const output of [
      LogOutput.loki({ host: 'loki', user: 'u', passwordSecret: { secretName: 's', key: 'k' } }),
      LogOutput.elasticsearch({ host: 'es', user: 'u', passwordSecret: { secretName: 's', key: 'k' } }),
      LogOutput.forward({ host: 'fd', tls: true, sharedKeySecret: { secretName: 's', key: 'k' } }),
    ]) {
      const { config, container } = build({ output });
      expect(config.envReferences.length).toBe(1);
      expect(container.env).toEqual(config.envReferences.map(name => ({ name, valueFrom: { secretKeyRef: { name: 's', key: 'k' } } })));
    }
  });

  test('the config hash changes when the config changes, and only then', () => {
    const a = build().collector.configHash;
    expect(build().collector.configHash).toBe(a);
    expect(build({ output: LogOutput.loki({ host: 'other-loki' }) }).collector.configHash).not.toBe(a);
    expect(build({ logLevel: FluentBitLogLevel.DEBUG }).collector.configHash).not.toBe(a);
    const { ds, collector } = build({ logLevel: FluentBitLogLevel.DEBUG });
    expect(ds.spec.template.metadata.annotations['checksum/config']).toBe(collector.configHash);
  });

  test('in a NodeAgentNamespace the namespace is labelled privileged', () => {
    const c = new Chart(Testing.app(), 'test');
    const ns = new NodeAgentNamespace(c, 'ns', { name: 'logging' });
    new LogCollectorDaemon(c, 'logs', { namespace: ns, output: LogOutput.stdout() });
    const objects = synth(c);
    expect(find(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(find(objects, 'ConfigMap').metadata.namespace).toBe('logging');
  });
});

describe('the Fluent Bit YAML checker', () => {
  test('rejects a misspelled property, a non-boolean switch and an unknown section', () => {
    const good = build().collector.config;
    expect(() => parseFluentBitYaml(good)).not.toThrow();
    expect(() => parseFluentBitYaml(good.replace('skip_long_lines', 'skip_long_line'))).toThrow('unknown property "skip_long_line" of tail');
    expect(() => parseFluentBitYaml(good.replace('merge_log: on', 'merge_log: maybe'))).toThrow('expected on/off');
    expect(() => parseFluentBitYaml(`${good}parsers: []\n`)).toThrow('unexpected section "parsers"');
    expect(() => parseFluentBitYaml(good.replace('docker, cri', 'docker, crio'))).toThrow('unknown built-in multiline parser "crio"');
  });
});

describe('LogCollectorDaemon bad input', () => {
  test.each([
    ['no output', { output: undefined as any }, 'output must be a LogOutput such as LogOutput.loki({ host }), got undefined.'],
    ['a host that interpolates', { output: LogOutput.loki({ host: '${SECRET}' }) }, 'output.host must be a host name or IP address, got "${SECRET}".'],
    ['a password without user', { output: LogOutput.loki({ host: 'loki', passwordSecret: { secretName: 's', key: 'k' } }) },
      'output.passwordSecret must be given together with user, got {"secretName":"s","key":"k"}.'],
    ['a shared key without TLS', { output: LogOutput.forward({ host: 'fd', sharedKeySecret: { secretName: 's', key: 'k' } }) },
      'output.sharedKeySecret must be given only with tls: true (Secure Forward runs over TLS), got {"secretName":"s","key":"k"}.'],
    ['a Loki label that would interpolate', { output: LogOutput.loki({ host: 'loki', labels: { job: '$kubernetes' } }) },
      "output.labels.job must be a plain value of letters, digits, '_', '.', ':', '/' and '-' (no '$', spaces or quotes), got \"$kubernetes\"."],
    ['positions under /var/log', { positionsDirectory: '/var/log/fb' },
      'positionsDirectory must be a directory of its own (not /, /proc, /sys or under /var/log), got "/var/log/fb".'],
    ['positions at /proc', { positionsDirectory: '/proc' }, 'positionsDirectory must be a directory of its own (not /, /proc, /sys or under /var/log), got "/proc".'],
    ['a relative positions directory', { positionsDirectory: 'fb' },
      "positionsDirectory must be an absolute path (starting with '/', without '..' segments), got \"fb\"."],
    ['a tiny memory buffer', { memoryBufferLimit: Size.kibibytes(1) }, 'memoryBufferLimit must be a whole number of KiB from 64 KiB to 16 GiB, got "1 KiB".'],
  ])('%s throws', (_name, props, message) => {
    expect(() => build(props)).toThrow(StatefulError);
    expect(() => build(props)).toThrow(`LogCollectorDaemon 'test/logs': ${message}`);
  });
});
