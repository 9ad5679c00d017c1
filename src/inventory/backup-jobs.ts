/**
 * Which CronJobs back up which data stores. Internal: not part of the jsii API.
 *
 * A CronJob is a backup job when its own manifest says so: a dump or snapshot tool in its command,
 * a `SNAPSHOT_CLASS` variable, or a name or `app.kubernetes.io/component` label that says backup,
 * dump or snapshot. It is linked to a data store by what it names: a claim of the data store in a
 * literal environment value or argument (snapshot jobs list their claims), a Service selecting the
 * data store's pods (logical dumps connect to one), or, failing both, the
 * `app.kubernetes.io/instance` label both carry.
 */
import { ManifestGraph, str, WorkloadNode } from '../guards/graph';

/** Commands that take logical or physical backups through the database. */
const DUMP_TOOLS = /(^|[\s/;|&(])(pg_dump|pg_dumpall|pg_basebackup|mysqldump|mariadb-dump|mariadb-backup|mariabackup|xtrabackup|mongodump|redis-cli\s+[^;|&]*--rdb|etcdctl\s+[^;|&]*snapshot\s+save|cqlsh\s+[^;|&]*COPY|nodetool\s+snapshot|logical-backup)\b/i;
/** Commands that take CSI VolumeSnapshots. */
const SNAPSHOT_TOOLS = /volumesnapshot|snapshot-backup/i;
const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** A recognized backup job and the data stores it serves. */
export interface BackupJob {
  readonly cronJob: WorkloadNode;
  readonly type: 'logical' | 'snapshot';
  readonly schedule: string;
  readonly timeZone?: string;
  readonly suspended: boolean;
  readonly keep?: number;
  readonly snapshotClass?: string;
  readonly targets: WorkloadNode[];
  readonly snapshotClaims: string[];
  readonly destinationClaims: string[];
  readonly evidence: string[];
}

/** What a data store is known by: its claim names, per replica. */
export interface DataStoreClaims {
  readonly workload: WorkloadNode;
  readonly claimNames: readonly string[];
}

/** The words of a CronJob's literal env values and arguments (hosts lose their `.ns.svc...` suffix). */
function wordsOf(w: WorkloadNode): { words: Map<string, string>; text: string } {
  const words = new Map<string, string>();
  const texts: string[] = [];
  for (const c of w.allContainers) {
    for (const [name, value] of c.env) {
      texts.push(value);
      for (const word of value.split(/[\s,;=]+/)) if (word && !words.has(word)) words.set(word, `env ${name}`);
    }
    for (const a of c.argv) {
      texts.push(a);
      for (const word of a.split(/[\s,;=]+/)) if (word && !words.has(word)) words.set(word, 'arguments');
    }
  }
  return { words, text: texts.join('\n') };
}

/** The Services of the input selecting the pods of `target` (one pod or all of them). */
function servicesOf(graph: ManifestGraph, target: WorkloadNode): string[] {
  const names: string[] = [];
  for (const s of graph.services) {
    if (s.obj.namespace !== target.obj.namespace || !s.selector || Object.keys(s.selector).length === 0) continue;
    const { [POD_NAME_LABEL]: pod, ...rest } = s.selector;
    if (pod !== undefined && (target.kind !== 'StatefulSet' || !new RegExp(`^${escapeRegExp(target.obj.name)}-\\d+$`).test(pod))) continue;
    if (Object.entries(rest).every(([k, v]) => target.podLabels[k] === v)) names.push(s.obj.name);
  }
  return names;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every CronJob of the graph that backs up, with the data stores it serves. */
export function findBackupJobs(graph: ManifestGraph, stores: readonly DataStoreClaims[]): BackupJob[] {
  const jobs: BackupJob[] = [];
  const servicesByStore = new Map<WorkloadNode, string[]>();
  for (const s of stores) servicesByStore.set(s.workload, servicesOf(graph, s.workload));
  for (const w of graph.workloads) {
    if (w.kind !== 'CronJob') continue;
    const { words, text } = wordsOf(w);
    const component = w.obj.labels['app.kubernetes.io/component'] ?? '';
    const name = w.obj.name;
    const env = (key: string): string | undefined => w.allContainers.map(c => c.env.get(key)).find(v => v !== undefined);
    const evidence: string[] = [];
    let type: 'logical' | 'snapshot' | undefined;
    const snapshotClass = env('SNAPSHOT_CLASS');
    if (snapshotClass !== undefined) { type = 'snapshot'; evidence.push('env SNAPSHOT_CLASS'); } else if (SNAPSHOT_TOOLS.test(text)) { type = 'snapshot'; evidence.push('its command takes VolumeSnapshots'); } else if (DUMP_TOOLS.test(text)) { type = 'logical'; evidence.push('its command runs a dump tool'); } else if (/snapshot/i.test(component) || /snapshot/i.test(name)) { type = 'snapshot'; evidence.push(/snapshot/i.test(component) ? `label component=${component}` : 'its name'); } else if (/backup|dump/i.test(component) || /backup|dump/i.test(name)) { type = 'logical'; evidence.push(/backup|dump/i.test(component) ? `label component=${component}` : 'its name'); }
    if (!type) continue;

    const ns = w.obj.namespace;
    const targets: WorkloadNode[] = [];
    const snapshotClaims: string[] = [];
    for (const s of stores) {
      if (s.workload.obj.namespace !== ns) continue;
      const named = s.claimNames.filter(c => words.has(c));
      if (named.length > 0) {
        targets.push(s.workload);
        snapshotClaims.push(...named);
        evidence.push(`${words.get(named[0])} names claim ${named[0]}`);
        continue;
      }
      const host = (servicesByStore.get(s.workload) ?? []).find(svc => [...words.keys()].some(word => word === svc || word.startsWith(`${svc}.${ns}.`) || word === `${svc}.${ns}`));
      if (host) {
        targets.push(s.workload);
        evidence.push(`connects to Service ${host}`);
      }
    }
    const instance = w.obj.labels[INSTANCE_LABEL];
    if (targets.length === 0 && instance) {
      for (const s of stores) {
        if (s.workload.obj.namespace === ns && s.workload.podLabels[INSTANCE_LABEL] === instance) {
          targets.push(s.workload);
          evidence.push(`label ${INSTANCE_LABEL}=${instance}`);
        }
      }
    }
    const keepText = env('BACKUP_KEEP');
    const keep = keepText !== undefined && /^\d+$/.test(keepText) ? parseInt(keepText, 10) : undefined;
    const destinationClaims = type === 'logical'
      ? w.claimUses.filter(u => !u.readOnly && u.volume.claimName).map(u => u.volume.claimName!) : [];
    const timeZone = str(w.obj.spec.timeZone);
    jobs.push({
      cronJob: w,
      type,
      schedule: str(w.obj.spec.schedule) ?? '',
      ...(timeZone ? { timeZone } : {}),
      suspended: w.obj.spec.suspend === true,
      ...(keep !== undefined ? { keep } : {}),
      ...(type === 'snapshot' && snapshotClass ? { snapshotClass } : {}),
      targets,
      snapshotClaims: type === 'snapshot' ? [...new Set(snapshotClaims)] : [],
      destinationClaims,
      evidence,
    });
  }
  return jobs;
}

/** The one pod a Service selects by `statefulset.kubernetes.io/pod-name`, and its StatefulSet. */
export function singlePodOf(graph: ManifestGraph, selector: Record<string, string> | undefined, namespace: string | undefined):
{ pod: string; workload?: WorkloadNode } | undefined {
  const pod = selector?.[POD_NAME_LABEL];
  if (pod === undefined) return undefined;
  const m = /^(.+)-(\d+)$/.exec(pod);
  const workload = m ? graph.workload(namespace, 'StatefulSet', m[1]) : undefined;
  const { [POD_NAME_LABEL]: _, ...rest } = selector!;
  const matches = workload && Object.entries(rest).every(([k, v]) => workload.podLabels[k] === v)
    && parseInt(m![2], 10) < Math.max(workload.replicas, workload.maxReplicas);
  return matches ? { pod, workload } : { pod };
}
