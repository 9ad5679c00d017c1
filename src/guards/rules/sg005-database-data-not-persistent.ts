import { GuardSeverity } from '../finding';
import { dataDirsOf, ContainerView, VolumeView, WorkloadNode } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

/** Whether `mountPath` is `dir` or one of its parents. */
export function covers(mountPath: string, dir: string): boolean {
  const m = trimSlashes(mountPath);
  const d = trimSlashes(dir);
  return m === '' || d === m || (d.startsWith(m) && d.charAt(m.length) === '/');
}

function trimSlashes(p: string): string {
  let end = p.length;
  while (end > 0 && p.charAt(end - 1) === '/') end--;
  return end === p.length ? p : p.slice(0, end);
}

/** The deepest volume mounted at or above `dir` in a container. */
function volumeAt(w: WorkloadNode, c: ContainerView, dir: string): VolumeView | undefined {
  let best: { length: number; volume: VolumeView | undefined } | undefined;
  for (const m of c.mounts) {
    if (!m.mountPath || !covers(m.mountPath, dir)) continue;
    if (!best || m.mountPath.length > best.length) best = { length: m.mountPath.length, volume: w.volumes.get(m.volumeName) };
  }
  return best?.volume;
}

const PERSISTENT = new Set(['claim', 'template', 'hostPath', 'other']);

/** SG005: a database whose data directory is not on a persistent volume. */
export const SG005: GuardRule = {
  id: 'SG005',
  severity: GuardSeverity.ERROR,
  title: 'Database data directory on an emptyDir or not mounted at all',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (!['StatefulSet', 'Deployment', 'ReplicaSet'].includes(w.kind)) continue;
      for (const c of w.databaseContainers) {
        const dirs = dataDirsOf(c.engine!, c.env, c.argv);
        const found = dirs.map(dir => ({ dir, volume: volumeAt(w, c, dir) }));
        if (found.some(f => f.volume && PERSISTENT.has(f.volume.type))) continue;
        const ephemeral = found.find(f => f.volume);
        const where = dirs.length === 1 ? dirs[0] : `any of ${dirs.join(', ')}`;
        findings.push({
          object: w.obj,
          message: ephemeral
            ? `${w.obj.display}: ${c.engine!.engine} container '${c.name}' keeps its data in ${ephemeral.dir} on volume '${ephemeral.volume!.name}', a ${ephemeral.volume!.type} volume.`
            : `${w.obj.display}: ${c.engine!.engine} container '${c.name}' (image '${c.image}') has no volume mounted at its data directory (${where}).`,
          impact: 'The data lives in the pod (its writable layer or an emptyDir) and is deleted with it: every restart, rollout, eviction or node drain starts an empty database.',
          fix: w.kind === 'StatefulSet'
            ? `Mount a volumeClaimTemplate at ${dirs[0]} (or a parent directory).`
            : `Mount a PersistentVolumeClaim at ${dirs[0]} (or a parent directory), or run the database in a StatefulSet with volumeClaimTemplates.`,
        });
      }
    }
    return findings;
  },
};
