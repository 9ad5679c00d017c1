import { GuardSeverity } from '../finding';
import { ClaimNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/** SG006: a claim asking for an access mode its provisioner cannot serve in its volume mode. */
export const SG006: GuardRule = {
  id: 'SG006',
  severity: GuardSeverity.ERROR,
  title: 'Claim asks for an access mode its provisioner cannot serve in that volume mode',
  check(graph) {
    const findings: RuleFinding[] = [];
    const claims: ClaimNode[] = [...graph.claims, ...graph.workloads.flatMap(w => w.claimTemplates)];
    for (const claim of claims) {
      const caps = claim.capabilities; // undefined: unknown provisioner or class, never guessed
      if (!caps) continue;
      const served = claim.volumeMode === 'Block' ? caps.blockAccessModes ?? [] : caps.filesystemAccessModes;
      const missing = claim.accessModes.filter(m => !(served as string[]).includes(m));
      if (missing.length === 0) continue;
      const sc = claim.storageClass!;
      findings.push({
        object: claim.subject,
        message: `${claim.display} asks for ${missing.join(', ')} in ${claim.volumeMode} mode from StorageClass '${sc.name}', whose provisioner ${sc.provisionerName} serves ${served.length ? served.join(', ') : 'nothing'} in ${claim.volumeMode} mode.`,
        impact: 'The claim stays Pending forever (or the volume fails to attach): the pods that mount it never start.',
        fix: missing.some(m => m === 'ReadWriteMany' || m === 'ReadOnlyMany')
          ? 'Use a file-storage class for shared access (EFS, Azure Files, Filestore, CephFS, NFS), or give each replica its own ReadWriteOnce claim.'
          : `Ask for one of ${served.join(', ') || 'the modes the provisioner serves'}, or use a class whose provisioner serves ${missing.join(', ')}.`,
      });
    }
    return findings;
  },
};
