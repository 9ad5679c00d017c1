import { GuardSeverity } from '../finding';
import { GuardRule, RuleFinding } from '../rule';

/**
 * SG008: a node-local or topology-bound StorageClass with Immediate binding, or a local
 * PersistentVolume without a required node affinity.
 */
export const SG008: GuardRule = {
  id: 'SG008',
  severity: GuardSeverity.ERROR,
  title: 'Local or topology-bound storage without WaitForFirstConsumer binding or node affinity',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const sc of graph.storageClasses) {
      const caps = sc.capabilities;
      if (!caps || !(caps.nodeLocal || caps.topologyBound) || sc.bindingMode !== 'Immediate') continue;
      // A zonal class that names its zones (allowedTopologies, or the in-tree provisioners' deprecated
      // zone/zones/availability parameters) says where volumes go: the breakage is no longer certain
      // from the manifest (StorageClass accepts this form too).
      const parameters = sc.obj.raw.parameters ?? {};
      const zonesNamed = (Array.isArray(sc.obj.raw.allowedTopologies) && sc.obj.raw.allowedTopologies.length > 0)
        || ['zone', 'zones', 'availability'].some(k => typeof parameters[k] === 'string' && parameters[k] !== '');
      if (!caps.nodeLocal && zonesNamed) continue;
      findings.push({
        object: sc.obj,
        message: `${sc.obj.display} uses ${caps.nodeLocal ? 'node-local' : 'topology-bound (zonal)'} provisioner ${sc.provisionerName} with volumeBindingMode Immediate${sc.obj.raw.volumeBindingMode ? '' : ' (the default)'}.`,
        impact: caps.nodeLocal
          ? 'The volume is bound before the scheduler picks a node: the pod is then pinned to a node that may lack CPU or memory for it, or is scheduled where the volume is not, and stays Pending.'
          : 'The volume is created in a zone before the pod is scheduled: the pod can only run in that zone and stays Pending when that zone has no room (or conflicts with its affinity).',
        fix: 'Set volumeBindingMode: WaitForFirstConsumer on the StorageClass (it is immutable: create a new class).',
      });
    }
    for (const pv of graph.volumes) {
      if (!pv.local || pv.requiredNodeAffinity) continue;
      findings.push({
        object: pv.obj,
        message: `${pv.obj.display} is a local volume (${pv.obj.spec.local?.path ?? 'a node disk'}) without spec.nodeAffinity.required.`,
        impact: 'A local volume is a disk in one node: without a required node affinity the scheduler may run the pod on any node, where the disk does not exist (the API server rejects such volumes).',
        fix: 'Add spec.nodeAffinity.required.nodeSelectorTerms selecting the node that holds the disk (kubernetes.io/hostname In [<node>]).',
      });
    }
    return findings;
  },
};
