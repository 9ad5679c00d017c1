/**
 * A strict checker of Fluent Bit's YAML configuration format, for the configurations the
 * LogCollectorDaemon generates. The YAML itself is parsed by the `yaml` package (strict, unique
 * keys, no anchors, aliases or tags); the structure and the property names follow Fluent Bit
 * v5.1.1 (the default image of the collector; every name used here also exists in v3.1.9):
 *
 * - sections and their shapes: src/config_format/flb_cf_yaml.c (`service` a map of scalars,
 *   `pipeline` with `inputs`/`filters`/`outputs`, each a list of maps with a `name`);
 * - service keys: the service_configs table of src/flb_config.c (FLB_CONF_* names);
 * - generic plugin properties: the prop_key_check calls of src/flb_input.c, flb_filter.c, flb_output.c;
 * - plugin properties: the config maps of plugins/in_tail/tail.c, filter_kubernetes/kubernetes.c,
 *   out_loki/loki.c, out_es/es.c, out_forward/forward.c, out_stdout/stdout.c.
 *
 * Property names are case-insensitive in Fluent Bit; the checker compares them lower-cased.
 */
import * as YAML from 'yaml';

const SERVICE_KEYS = [
  'flush', 'grace', 'json.convert_nan_to_null', 'daemon', 'log_file', 'parsers_file', 'plugins_file', 'log_level', 'http_server', 'http_listen',
  'http_port', 'health_check', 'hc_errors_count', 'hc_retry_failure_count', 'hc_period', 'coro_stack_size', 'scheduler.cap', 'scheduler.base',
  'streams_file', 'sp.convert_from_str_to_num', 'enable_chunk_trace', 'hot_reload', 'hot_reload.ensure_thread_safety', 'dns.mode', 'dns.resolver',
  'dns.prefer_ipv4', 'dns.prefer_ipv6', 'storage.path', 'storage.sync', 'storage.metrics', 'storage.checksum', 'storage.backlog.mem_limit',
  'storage.max_chunks_up', 'storage.delete_irrecoverable_chunks', 'storage.trim_files',
  // New since 3.1.9.
  'flush.adaptive', 'flush.adaptive.min_interval', 'flush.adaptive.max_interval', 'flush.adaptive.low_pressure', 'flush.adaptive.medium_pressure',
  'flush.adaptive.high_pressure', 'flush.adaptive.up_steps', 'flush.adaptive.down_steps', 'security.fips_mode', 'storage.backlog.flush_on_shutdown',
  'storage.type', 'storage.inherit', 'storage.keep.rejected', 'storage.rejected.path', 'storage.rejected.limit', 'multiline_buffer_limit',
  'json.escape_unicode', 'hot_reload.timeout',
];

const TLS = ['tls', 'tls.verify', 'tls.verify_hostname', 'tls.debug', 'tls.vhost', 'tls.ca_path', 'tls.ca_file', 'tls.crt_file', 'tls.key_file', 'tls.key_passwd'];

const GENERIC: Record<'inputs' | 'filters' | 'outputs', string[]> = {
  inputs: ['name', 'tag', 'log_level', 'log_suppress_interval', 'routable', 'alias', 'mem_buf_limit', 'listen', 'host', 'port', 'ipv6', ...TLS,
    'storage.type', 'threaded', 'storage.pause_on_chunks_overlimit'],
  filters: ['name', 'match', 'match_regex', 'alias', 'log_level', 'log_suppress_interval'],
  outputs: ['name', 'match', 'match_regex', 'alias', 'log_level', 'log_suppress_interval', 'host', 'port', 'ipv6', 'retry_limit', ...TLS,
    'storage.total_limit_size', 'workers'],
};

const PLUGINS: Record<string, { kind: 'inputs' | 'filters' | 'outputs'; keys: string[] }> = {
  tail: {
    kind: 'inputs',
    keys: ['path', 'exclude_path', 'key', 'read_from_head', 'refresh_interval', 'watcher_interval', 'progress_check_interval',
      'progress_check_interval_nsec', 'rotate_wait', 'docker_mode', 'docker_mode_flush', 'docker_mode_parser', 'path_key', 'offset_key', 'ignore_older',
      'buffer_chunk_size', 'buffer_max_size', 'static_batch_size', 'event_batch_size', 'skip_long_lines', 'exit_on_eof', 'skip_empty_lines',
      'file_cache_advise', 'inotify_watcher', 'parser', 'tag_regex', 'db', 'db.sync', 'db.locking', 'db.journal_mode', 'db.compare_filename',
      'multiline', 'multiline_flush', 'parser_firstline', 'multiline.parser',
      'generic.encoding', 'ignore_active_older_files', 'read_newly_discovered_files_from_head', 'truncate_long_lines', 'unicode.encoding',
      'windows.path_encoding'],
  },
  kubernetes: {
    kind: 'filters',
    keys: ['buffer_size', 'tls.debug', 'tls.verify', 'tls.vhost', 'tls.verify_hostname', 'merge_log', 'merge_parser', 'merge_log_key', 'merge_log_trim',
      'keep_log', 'kube_url', 'kube_meta_preload_cache_dir', 'kube_ca_file', 'kube_ca_path', 'kube_tag_prefix', 'kube_token_file', 'kube_token_command',
      'labels', 'annotations', 'namespace_labels', 'namespace_annotations', 'namespace_metadata_only', 'k8s-logging.parser', 'k8s-logging.exclude',
      'use_journal', 'regex_parser', 'dummy_meta', 'dns_retries', 'dns_wait_time', 'cache_use_docker_id', 'use_tag_for_meta', 'use_kubelet',
      'kubelet_host', 'kubelet_port', 'kube_token_ttl', 'kube_meta_cache_ttl', 'kube_meta_namespace_cache_ttl',
      'kube_namespace_file', 'owner_references', 'set_platform', 'use_pod_association', 'aws_use_pod_association', 'aws_pod_association_endpoint',
      'aws_pod_association_host', 'aws_pod_association_port', 'aws_pod_association_host_client_cert_file',
      'aws_pod_association_host_client_key_file', 'aws_pod_association_host_server_ca_file', 'aws_pod_association_host_tls_debug',
      'aws_pod_association_host_tls_verify', 'aws_pod_service_map_refresh_interval', 'aws_pod_service_map_ttl', 'aws_pod_service_preload_cache_dir'],
  },
  loki: {
    kind: 'outputs',
    keys: ['uri', 'tenant_id', 'tenant_id_key', 'labels', 'structured_metadata', 'auto_kubernetes_labels', 'drop_single_key', 'label_keys',
      'remove_keys', 'line_format', 'label_map_path', 'http_user', 'http_passwd', 'buffer_size', 'bearer_token', 'compress',
      'structured_metadata_map_keys', 'tenant_id_key_error_handling'],
  },
  es: {
    kind: 'outputs',
    keys: ['index', 'type', 'suppress_type_name', 'http_user', 'http_passwd', 'compress', 'cloud_id', 'cloud_auth', 'aws_auth', 'aws_region',
      'aws_sts_endpoint', 'aws_role_arn', 'aws_external_id', 'aws_service_name', 'aws_profile', 'logstash_format', 'logstash_prefix',
      'logstash_prefix_separator', 'logstash_prefix_key', 'logstash_dateformat', 'time_key', 'time_key_format', 'time_key_nanos', 'include_tag_key',
      'tag_key', 'buffer_size', 'path', 'pipeline', 'generate_id', 'write_operation', 'id_key', 'replace_dots', 'current_time_index', 'trace_output',
      'trace_error', 'http_api_key', 'upstream'],
  },
  forward: {
    kind: 'outputs',
    keys: ['time_as_integer', 'retain_metadata_in_forward_mode', 'shared_key', 'self_hostname', 'empty_shared_key', 'send_options',
      'require_ack_response', 'username', 'password', 'unix_path', 'upstream', 'tag', 'compress', 'fluentd_compat'],
  },
  stdout: { kind: 'outputs', keys: ['format', 'json_date_format', 'json_date_key'] },
};

/** Properties read with flb_utils_bool (on/off, true/false, yes/no, 1/0... we accept on/off/true/false). */
const BOOLEAN_KEYS = new Set(['http_server', 'health_check', 'tls', 'tls.verify', 'db.locking', 'skip_long_lines', 'merge_log', 'keep_log',
  'kubernetes:labels', 'annotations', 'k8s-logging.parser', 'k8s-logging.exclude', 'suppress_type_name', 'replace_dots', 'trace_error', 'logstash_format']);
const INTEGER_KEYS = new Set(['flush', 'http_port', 'port', 'refresh_interval', 'retry_limit']);
const SIZE_KEYS = new Set(['mem_buf_limit']);
const MULTILINE_BUILTINS = ['docker', 'cri', 'go', 'python', 'java', 'ruby'];

/** A parsed configuration: every value kept as the raw text Fluent Bit would read. */
export interface FluentBitConfig {
  readonly service: Record<string, string>;
  readonly inputs: Array<Record<string, string>>;
  readonly filters: Array<Record<string, string>>;
  readonly outputs: Array<Record<string, string>>;
  /** Every `${VAR}` the configuration references. */
  readonly envReferences: string[];
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkValue(where: string, key: string, value: unknown, plugin = ''): string {
  if (typeof value !== 'string') throw new Error(`${where}.${key}: expected a scalar, got ${JSON.stringify(value)}`);
  if (value.includes('\n')) throw new Error(`${where}.${key}: a value must fit on one line`);
  if ((BOOLEAN_KEYS.has(key) || BOOLEAN_KEYS.has(`${plugin}:${key}`)) && !/^(on|off|true|false)$/i.test(value)) throw new Error(`${where}.${key}: expected on/off, got "${value}"`);
  if (INTEGER_KEYS.has(key) && !/^[0-9]+$/.test(value)) throw new Error(`${where}.${key}: expected an integer, got "${value}"`);
  if (SIZE_KEYS.has(key) && !/^[0-9]+[KMG]?B?$/i.test(value)) throw new Error(`${where}.${key}: expected a size, got "${value}"`);
  if (key === 'multiline.parser') {
    for (const p of value.split(',').map(s => s.trim())) {
      if (!MULTILINE_BUILTINS.includes(p)) throw new Error(`${where}.${key}: unknown built-in multiline parser "${p}"`);
    }
  }
  return value;
}

/** Parse and check a generated configuration; throws on the first violation. */
export function parseFluentBitYaml(text: string): FluentBitConfig {
  const doc = YAML.parseDocument(text, { strict: true, uniqueKeys: true, schema: 'failsafe', prettyErrors: false });
  if (doc.errors.length) throw new Error(`YAML: ${doc.errors[0].message}`);
  if (doc.warnings.length) throw new Error(`YAML: ${doc.warnings[0].message}`);
  YAML.visit(doc, {
    Alias() { throw new Error('YAML: aliases are not used in Fluent Bit configurations'); },
    Node(_k, node) {
      if ((node as any).anchor) throw new Error('YAML: anchors are not used in Fluent Bit configurations');
      if ((node as any).tag) throw new Error('YAML: tags are not used in Fluent Bit configurations');
    },
  });
  const root = doc.toJS();
  if (!isMap(root)) throw new Error('root: expected a map of sections');
  for (const section of Object.keys(root)) {
    if (!['service', 'pipeline'].includes(section.toLowerCase())) throw new Error(`root: unexpected section "${section}"`);
  }
  const service: Record<string, string> = {};
  if (root.service !== undefined) {
    if (!isMap(root.service)) throw new Error('service: expected a map');
    for (const [k, v] of Object.entries(root.service)) {
      const key = k.toLowerCase();
      if (!SERVICE_KEYS.includes(key)) throw new Error(`service: unknown key "${k}"`);
      service[key] = checkValue('service', key, v);
    }
  }
  if (!isMap(root.pipeline)) throw new Error('pipeline: expected a map');
  const out: Record<'inputs' | 'filters' | 'outputs', Array<Record<string, string>>> = { inputs: [], filters: [], outputs: [] };
  for (const [kindKey, entries] of Object.entries(root.pipeline)) {
    const kind = kindKey.toLowerCase() as 'inputs' | 'filters' | 'outputs';
    if (!(kind in out)) throw new Error(`pipeline: unexpected key "${kindKey}"`);
    if (!Array.isArray(entries)) throw new Error(`pipeline.${kind}: expected a list`);
    entries.forEach((entry, i) => {
      const where = `pipeline.${kind}[${i}]`;
      if (!isMap(entry)) throw new Error(`${where}: expected a map`);
      const lower: Record<string, string> = {};
      for (const [k, v] of Object.entries(entry)) {
        if (k.toLowerCase() in lower) throw new Error(`${where}: duplicate key "${k}"`);
        lower[k.toLowerCase()] = v as string;
      }
      const plugin = PLUGINS[String(lower.name)];
      if (!plugin || plugin.kind !== kind) throw new Error(`${where}.name: unknown ${kind} plugin "${lower.name}"`);
      const props: Record<string, string> = {};
      for (const [key, v] of Object.entries(lower)) {
        if (!GENERIC[kind].includes(key) && !plugin.keys.includes(key)) throw new Error(`${where}: unknown property "${key}" of ${lower.name}`);
        props[key] = checkValue(where, key, v, String(lower.name));
      }
      if (kind !== 'inputs' && props.match === undefined && props.match_regex === undefined) throw new Error(`${where}: no match`);
      out[kind].push(props);
    });
  }
  if (out.inputs.length === 0 || out.outputs.length === 0) throw new Error('pipeline: needs at least one input and one output');
  const envReferences = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map(m => m[1]);
  return { service, ...out, envReferences };
}
