import { k8s } from 'cdk8s-plus-28';
import { renderCpu } from '../../internal/cpu';
import { AgentEnvValue } from '../agent-env';
import { AgentApiVerb, AgentPolicyRule } from '../agent-policy-rule';
import { AgentPort, AgentPortProtocol } from '../agent-port';
import { AgentResources } from '../agent-resources';
import { AgentTaintEffect, AgentTolerationOperator, NodeLabelOperator } from '../agent-scheduling';
import { MaxUnavailable } from '../max-unavailable';
import { checkPort, checkStringMap, isLabelKey, isLabelValue, isPrintable } from './daemon-checks';
import { fail } from '../../internal/errors';
import { checkDnsLabel, checkDnsSubdomain, checkNonEmptyString, checkOneOf, checkPinnedImage } from '../../internal/validate';
import { renderSize } from '../../storage/private/claim-spec';
import { NodeAgentOptions } from '../node-agent-props';

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The scheduling fields of the pod spec, rendered once from the props. */
export type RenderedScheduling = Pick<k8s.PodSpec, 'nodeSelector' | 'affinity' | 'tolerations' | 'priorityClassName'>;

export function checkName(who: string, name: unknown): string {
  const value = checkDnsLabel(who, 'name', name, 50);
  if (!/^[a-z]/.test(value)) fail(who, 'name', name, 'a DNS-1035 label (starting with a letter; it also names the Service)');
  return value;
}

export function checkImage(who: string, image: unknown): string {
  const value = checkNonEmptyString(who, 'image', image);
  if (/\s/.test(value)) fail(who, 'image', image, 'an image reference without spaces');
  return checkPinnedImage(who, 'image', value, "an image pinned to a tag other than 'latest' or to a digest (a node agent rolls on every node)");
}

export function checkStringList(who: string, property: string, value: unknown): string[] {
  if (!Array.isArray(value)) fail(who, property, value, 'a list of strings');
  value.forEach((v, i) => {
    if (!isPrintable(v)) fail(who, `${property}[${i}]`, v, 'a string without control characters');
  });
  return value;
}

export function checkAgentPort(who: string, property: string, port: AgentPort): Required<AgentPort> {
  if (!port || typeof port !== 'object') fail(who, property, port, 'a port { name, containerPort }');
  if (typeof port.name !== 'string' || port.name.length > 15 || !PORT_NAME.test(port.name) || port.name.includes('--')) {
    fail(who, `${property}.name`, port.name, "an IANA service name (at most 15 lower-case letters, digits and '-', with a letter)");
  }
  const containerPort = checkPort(who, `${property}.containerPort`, port.containerPort);
  const protocol = checkOneOf(who, `${property}.protocol`, port.protocol ?? AgentPortProtocol.TCP, Object.values(AgentPortProtocol));
  return { name: port.name, containerPort, protocol };
}

export function renderEnv(who: string, env: { [name: string]: AgentEnvValue } | undefined): k8s.EnvVar[] {
  if (env === undefined) return [];
  if (!env || typeof env !== 'object' || Array.isArray(env)) fail(who, 'env', env, 'a map of variable names to AgentEnvValue');
  return Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) fail(who, 'env', name, 'variable names of letters, digits, \'_\', \'-\' and \'.\' not starting with a digit');
    if (!(value instanceof AgentEnvValue)) fail(who, `env.${name}`, value, 'an AgentEnvValue (fromValue, fromSecret or fromFieldPath)');
    return value._toKube(who, name);
  });
}

export function renderResources(who: string, r: Required<AgentResources>): k8s.ResourceRequirements {
  const cpuRequest = renderCpu(who, 'resources.cpuRequest', r.cpuRequest);
  const cpuLimit = renderCpu(who, 'resources.cpuLimit', r.cpuLimit);
  const memoryRequest = renderSize(who, 'resources.memoryRequest', r.memoryRequest);
  const memoryLimit = renderSize(who, 'resources.memoryLimit', r.memoryLimit);
  if (cpuRequest.millis > cpuLimit.millis) fail(who, 'resources.cpuLimit', cpuLimit.quantity, `at least the CPU request (${cpuRequest.quantity})`);
  if (r.memoryRequest.toKibibytes() > r.memoryLimit.toKibibytes()) fail(who, 'resources.memoryLimit', memoryLimit, `at least the memory request (${memoryRequest})`);
  return {
    requests: { cpu: k8s.Quantity.fromString(cpuRequest.quantity), memory: k8s.Quantity.fromString(memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(cpuLimit.quantity), memory: k8s.Quantity.fromString(memoryLimit) },
  };
}

export function renderMaxUnavailable(who: string, value: MaxUnavailable): k8s.IntOrString {
  const accepted = 'MaxUnavailable.count(n) with a whole n of at least 1, or MaxUnavailable.percent(p) with a whole p from 1 to 100';
  if (!(value instanceof MaxUnavailable)) fail(who, 'maxUnavailable', value, accepted);
  if (value.percentage !== undefined) {
    const p = value.percentage;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 100) fail(who, 'maxUnavailable', typeof p === 'number' ? `${p}%` : p, accepted);
    return k8s.IntOrString.fromString(`${p}%`);
  }
  const n = value.nodes;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 2147483647) fail(who, 'maxUnavailable', n, accepted);
  return k8s.IntOrString.fromNumber(n);
}

export function renderScheduling(who: string, props: NodeAgentOptions): RenderedScheduling {
  const nodeSelector = props.nodeSelector === undefined ? { 'kubernetes.io/os': 'linux' }
    : checkStringMap(who, 'nodeSelector', props.nodeSelector, isLabelKey, isLabelValue, 'a map of node label keys to label values');
  let affinity: k8s.Affinity | undefined;

  if (props.nodeAffinity !== undefined) {
    if (!Array.isArray(props.nodeAffinity) || props.nodeAffinity.length === 0) fail(who, 'nodeAffinity', props.nodeAffinity, 'a non-empty list of node label requirements');
    const matchExpressions = props.nodeAffinity.map((req, i): k8s.NodeSelectorRequirement => {
      const where = `nodeAffinity[${i}]`;
      if (!req || typeof req !== 'object') fail(who, where, req, 'a requirement { key, operator, values? }');
      if (typeof req.key !== 'string' || !isLabelKey(req.key)) fail(who, `${where}.key`, req.key, 'a node label key');
      const operator = checkOneOf(who, `${where}.operator`, req.operator, Object.values(NodeLabelOperator));
      const needsValues = operator === NodeLabelOperator.IN || operator === NodeLabelOperator.NOT_IN;
      if (needsValues) {
        if (!Array.isArray(req.values) || req.values.length === 0 || !req.values.every(isLabelValue)) {
          fail(who, `${where}.values`, req.values, `a non-empty list of label values for ${operator}`);
        }
        return { key: req.key, operator, values: [...req.values] };
      }
      if (req.values !== undefined) fail(who, `${where}.values`, req.values, `left out for ${operator}`);
      return { key: req.key, operator };
    });
    affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } };
  }

  const tolerations = props.tolerations ?? [{ operator: AgentTolerationOperator.EXISTS }];
  if (!Array.isArray(tolerations)) fail(who, 'tolerations', tolerations, 'a list of tolerations');
  const renderedTolerations = tolerations.map((t, i): k8s.Toleration => {
    const where = `tolerations[${i}]`;
    if (!t || typeof t !== 'object') fail(who, where, t, 'a toleration { key?, operator?, value?, effect? }');
    const operator = checkOneOf(who, `${where}.operator`, t.operator ?? AgentTolerationOperator.EXISTS, Object.values(AgentTolerationOperator));
    if (t.key !== undefined && (typeof t.key !== 'string' || !isLabelKey(t.key))) fail(who, `${where}.key`, t.key, 'a taint key');
    if (operator === AgentTolerationOperator.EQUAL) {
      if (t.key === undefined) fail(who, `${where}.key`, t.key, 'a taint key for the Equal operator');
      if (t.value === undefined || !isLabelValue(t.value)) fail(who, `${where}.value`, t.value, 'a taint value for the Equal operator');
    } else if (t.value !== undefined) {
      fail(who, `${where}.value`, t.value, 'left out for the Exists operator');
    }
    const effect = t.effect === undefined ? undefined : checkOneOf(who, `${where}.effect`, t.effect, Object.values(AgentTaintEffect));
    return {
      ...(t.key !== undefined ? { key: t.key } : {}),
      operator,
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(effect ? { effect } : {}),
    };
  });
  return {
    nodeSelector,
    ...(affinity ? { affinity } : {}),
    ...(renderedTolerations.length ? { tolerations: renderedTolerations } : {}),
    ...(props.priorityClassName !== undefined ? { priorityClassName: checkDnsSubdomain(who, 'priorityClassName', props.priorityClassName) } : {}),
  };
}

export function renderRule(who: string, where: string, rule: AgentPolicyRule): k8s.PolicyRule {
  if (!rule || typeof rule !== 'object') fail(who, where, rule, 'a rule { apiGroups?, resources, verbs }');
  const apiGroups = rule.apiGroups ?? [''];
  if (!Array.isArray(apiGroups) || apiGroups.length === 0 || !apiGroups.every(g => typeof g === 'string' && (g === '' || /^[a-z0-9.-]{1,253}$/.test(g)))) {
    fail(who, `${where}.apiGroups`, apiGroups, "a non-empty list of API groups ('' for core; no wildcards)");
  }
  if (!Array.isArray(rule.resources) || rule.resources.length === 0 || !rule.resources.every(r => typeof r === 'string' && /^[a-z][a-z0-9]*(\/[a-z]+)?$/.test(r))) {
    fail(who, `${where}.resources`, rule.resources, "a non-empty list of resource names such as 'pods' (no wildcards)");
  }
  if (!Array.isArray(rule.verbs) || rule.verbs.length === 0) fail(who, `${where}.verbs`, rule.verbs, 'a non-empty list of AgentApiVerb');
  rule.verbs.forEach(v => checkOneOf(who, `${where}.verbs`, v, Object.values(AgentApiVerb)));
  return { apiGroups: [...apiGroups], resources: [...rule.resources], verbs: [...new Set(rule.verbs)] };
}
