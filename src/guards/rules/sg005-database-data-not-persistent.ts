import { GuardSeverity } from '../finding';
import { ContainerView, dataDirEvidence, ManifestGraph, persistenceOff, REPLICA_KINDS, VolumeView, WorkloadNode } from '../graph';
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

/** The deepest mount at or above `dir` in a container, with its volume. */
function mountAt(w: WorkloadNode, c: ContainerView, dir: string): { path: string; volume: VolumeView } | undefined {
  let best: { path: string; volume: VolumeView } | undefined;
  for (const m of c.mounts) {
    if (!m.mountPath || !covers(m.mountPath, dir)) continue;
    const volume = w.volumes.get(m.volumeName);
    if (volume && (!best || m.mountPath.length > best.path.length)) best = { path: m.mountPath, volume };
  }
  return best;
}

const PERSISTENT = new Set(['claim', 'template', 'hostPath', 'other']);
const KINDS = new Set(['StatefulSet', 'Pod', ...REPLICA_KINDS]);
/** A configuration file named on the command line (`redis-server /etc/redis/redis.conf`). */
const CONFIG_FILE = /^\/\S+\.(conf|cnf|cfg|ya?ml|properties|ini|json|xml|hcl)$/;
const KIND_OF: Record<string, string> = { emptyDir: 'an emptyDir', ephemeral: 'a generic ephemeral volume', config: 'a configuration volume' };

interface Verdict {
  readonly container: ContainerView;
  readonly message: string;
  readonly dir: string;
  /** What makes the finding uncertain: a warning, not an error. */
  readonly doubts: string[];
  readonly ephemeral: boolean;
}

/** What is wrong with one database container's data directory; undefined when it is persistent or keeps nothing. */
function judge(graph: ManifestGraph, w: WorkloadNode, c: ContainerView): Verdict | undefined {
  const engine = c.engine!;
  const { files, unknown } = graph.mountedConfigFiles(w, c);
  const off = persistenceOff(engine, c.env, c.argv, files);
  if (off === true) return undefined; // a cache by design
  const data = dataDirEvidence(engine, c.env, c.argv, files);
  const found = data.dirs.map(dir => ({ dir, mount: mountAt(w, c, dir) }));
  if (found.some(f => f.mount && PERSISTENT.has(f.mount.volume.type))) return undefined;

  const doubts: string[] = [];
  if (c.engineEvidence === 'convention') doubts.push(`image '${c.image}' is not one the guards know: ${engine.engine} was recognized by its environment and port only`);
  if (off === 'unknown') doubts.push('the append-only file is turned off (--appendonly no): if snapshots are off too, this is a cache that keeps nothing');
  // A config file that names the image's own default directory agrees with it: no doubt.
  if (data.fromConfig && !engine.dataDirs.includes(data.dirs[0])) doubts.push(`the data directory comes from ${data.movedBy}, which the server reads only when started with that file`);
  if (!data.movedBy) {
    for (const m of c.mounts) {
      const v = w.volumes.get(m.volumeName);
      if (v && PERSISTENT.has(v.type) && !m.readOnly && !v.readOnly) doubts.push(`${v.type === 'template' ? 'claim template' : v.type === 'claim' ? 'claim' : 'volume'} '${v.claimName ?? v.name}' is mounted at ${m.mountPath}, where a custom build of the image may keep its data`);
    }
    for (const u of unknown) doubts.push(`ConfigMap '${u.name}' mounted at ${u.mountPath} is not in the input and may move the data directory`);
    const configArg = c.argv.find(a => CONFIG_FILE.test(a) && !files.some(f => covers(f.mountPath, a)) && !unknown.some(u => covers(u.mountPath, a)));
    if (configArg) doubts.push(`it starts with ${configArg}, a configuration file the manifest does not show`);
  }

  const ephemeral = found.find(f => f.mount);
  const dirText = data.movedBy ? `${data.dirs[0]} (${data.movedBy})` : data.dirs.length === 1 ? data.dirs[0] : `any of ${data.dirs.join(', ')}`;
  const base = ephemeral
    ? `${w.obj.display}: ${engine.engine} container '${c.name}' keeps its data in ${ephemeral.dir}${data.movedBy ? ` (${data.movedBy})` : ''} on volume '${ephemeral.mount!.volume.name}', ${KIND_OF[ephemeral.mount!.volume.type] ?? 'a volume'} mounted at ${ephemeral.mount!.path}.`
    : `${w.obj.display}: ${engine.engine} container '${c.name}' (image '${c.image}') has no volume mounted at its data directory ${dirText}.`;
  return {
    container: c,
    message: doubts.length ? `${base} Not certain: ${doubts.join('; ')}.` : base,
    dir: data.dirs[0],
    doubts,
    ephemeral: !!ephemeral,
  };
}

/**
 * SG005: a database whose data directory is not on a persistent volume. One finding per workload
 * (sidecars of the same image, sentinels and clients do not add findings); an error when the
 * manifest makes it certain, a warning when the evidence is ambiguous (a claim mounted elsewhere,
 * a configuration the input does not show, a data directory set in a config file, an image
 * recognized by its conventions only). Redis/Valkey with persistence off are caches: no finding.
 */
export const SG005: GuardRule = {
  id: 'SG005',
  severity: GuardSeverity.ERROR,
  title: 'Database data directory on an emptyDir or not mounted at all',
  check(graph) {
    const findings: RuleFinding[] = [];
    for (const w of graph.workloads) {
      if (!KINDS.has(w.kind) || w.databaseContainers.length === 0) continue;
      const verdicts: Verdict[] = [];
      let persisted = false;
      for (const c of w.databaseContainers) {
        const v = judge(graph, w, c);
        if (!v) {
          persisted = true;
          break;
        }
        verdicts.push(v);
      }
      if (persisted) continue;
      const pick = verdicts.find(v => v.doubts.length > 0) ?? verdicts.find(v => v.ephemeral) ?? verdicts[0];
      findings.push({
        object: w.obj,
        message: pick.message,
        impact: 'The data lives in the pod (its writable layer or an emptyDir) and is deleted with it: every restart, rollout, eviction or node drain starts an empty database.',
        fix: w.kind === 'StatefulSet'
          ? `Mount a volumeClaimTemplate at ${pick.dir} (or a parent directory).`
          : `Mount a PersistentVolumeClaim at ${pick.dir} (or a parent directory), or run the database in a StatefulSet with volumeClaimTemplates.`,
        ...(pick.doubts.length > 0 ? { severity: GuardSeverity.WARNING } : {}),
      });
    }
    return findings;
  },
};
