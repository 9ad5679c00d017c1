import { Chart, Testing } from 'cdk8s';
import {
  AgentPodSecurityLevel, LogCollectorDaemon, LogOutput, NodeAgentDaemon, NodeAgentDaemonProps, NodeExporterDaemon,
} from '../../src/daemons';
import { find, PodSecurityLevel, synth, verdicts } from '../harness';

// An agent's podSecurityLevel tells the cluster admin how to label its namespace. Pod Security
// admission is the judge: at the declared level the agent is admitted without a warning, and at
// the next stricter level it is not (so the level asks for no more than the agent needs).

const IMAGE = 'example.com/agent:1.2.3';

/** The next stricter Pod Security level, if any. */
const STRICTER: Record<AgentPodSecurityLevel, AgentPodSecurityLevel | undefined> = {
  [AgentPodSecurityLevel.PRIVILEGED]: AgentPodSecurityLevel.BASELINE,
  [AgentPodSecurityLevel.BASELINE]: AgentPodSecurityLevel.RESTRICTED,
  [AgentPodSecurityLevel.RESTRICTED]: undefined,
};

/** The same level, as the API server harness names it (the two enums share their values). */
function serverLevel(level: AgentPodSecurityLevel): PodSecurityLevel {
  return level as string as PodSecurityLevel;
}

function nodeAgent(props: Omit<NodeAgentDaemonProps, 'image'>) {
  return (c: Chart) => new NodeAgentDaemon(c, 'agent', { image: IMAGE, ...props });
}

const cases: Array<[string, (c: Chart) => NodeAgentDaemon, AgentPodSecurityLevel]> = [
  ['a NodeAgentDaemon with defaults', nodeAgent({}), AgentPodSecurityLevel.RESTRICTED],
  ['a NodeAgentDaemon adding NET_BIND_SERVICE (the one capability restricted allows)', nodeAgent({ addCapabilities: ['NET_BIND_SERVICE'] }),
    AgentPodSecurityLevel.RESTRICTED],
  ['a NodeAgentDaemon running as root', nodeAgent({ runAsUser: 0 }), AgentPodSecurityLevel.BASELINE],
  ['a NodeAgentDaemon adding CHOWN (a baseline capability)', nodeAgent({ addCapabilities: ['CHOWN'] }), AgentPodSecurityLevel.BASELINE],
  ['a NodeAgentDaemon adding SYS_PTRACE (outside the baseline capabilities)', nodeAgent({ addCapabilities: ['SYS_PTRACE'] }),
    AgentPodSecurityLevel.PRIVILEGED],
  ['a NodeAgentDaemon with a read-only host path', nodeAgent({ hostMounts: [{ hostPath: '/var/log', mountPath: '/host/var/log' }] }),
    AgentPodSecurityLevel.PRIVILEGED],
  ['a NodeAgentDaemon on the host network with a port', nodeAgent({ hostNetwork: true, ports: [{ name: 'metrics', containerPort: 9000 }] }),
    AgentPodSecurityLevel.PRIVILEGED],
  ['a NodeAgentDaemon in the host PID namespace', nodeAgent({ hostPID: true }), AgentPodSecurityLevel.PRIVILEGED],
  ['a NodeExporterDaemon with defaults', c => new NodeExporterDaemon(c, 'node-exporter'), AgentPodSecurityLevel.PRIVILEGED],
  ['a LogCollectorDaemon with defaults', c => new LogCollectorDaemon(c, 'logs', { output: LogOutput.loki({ host: 'loki-gateway.monitoring.svc' }) }),
    AgentPodSecurityLevel.PRIVILEGED],
];

describe('declared Pod Security level is exactly what admission requires', () => {
  test.each(cases)('%s', async (_name, build, expected) => {
    // GIVEN an agent in a namespace the app does not define
    const c = new Chart(Testing.app(), 'test');
    const agent = build(c);
    const declared = agent.podSecurityLevel;
    expect(declared).toBe(expected);
    // (recorded for the end-of-file check with the level the admin labels the namespace with)
    const objects = synth(c, { podSecurity: declared });
    const ref = (ds: any) => `DaemonSet default/${ds.metadata.name}`;
    const daemonSet = find(objects, 'DaemonSet');

    // WHEN the namespace enforces (and warns at) the declared level
    const atDeclared = await verdicts(objects, { podSecurity: serverLevel(declared) });
    // THEN every object, the DaemonSet included, is admitted without a warning
    expect(atDeclared.find(v => v.ref === ref(daemonSet))).toEqual({ ref: ref(daemonSet), accepted: true, warnings: [] });
    expect(atDeclared.filter(v => !v.accepted || v.warnings.length > 0)).toEqual([]);

    // WHEN the namespace is one level stricter
    const stricter = STRICTER[declared];
    if (stricter === undefined) return;
    const atStricter = await verdicts(objects, { podSecurity: serverLevel(stricter) });
    // THEN Pod Security warns about the DaemonSet's pods (enforcement applies to the pods it would create)
    const verdict = atStricter.find(v => v.ref === ref(daemonSet));
    expect(verdict?.accepted).toBe(true);
    expect(verdict?.warnings).toEqual([expect.stringContaining(`would violate PodSecurity "${stricter}:latest"`)]);
  });
});
