import { baselineOf } from './baseline-diff';
import { imageSeries, seriesMove } from './database-versions';
import { GuardSeverity } from '../finding';
import { WORKLOAD_KINDS } from '../graph';
import { GuardRule, RuleFinding } from '../rule';

const ENGINE_NAMES: Record<string, string> = { postgres: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB' };

interface Verdict {
  readonly impact: string;
  readonly fix: string;
}

function verdict(engine: string, move: NonNullable<ReturnType<typeof seriesMove>>, from: string, to: string): Verdict | undefined {
  if (engine === 'postgres') {
    return move.kind === 'upgrade'
      ? {
        impact: `PostgreSQL ${to} does not read a data directory of ${from}: the new pods refuse to start ("database files are incompatible with server") and the database is down until the image is rolled back.`,
        fix: `Keep ${from} on this data and upgrade deliberately, after a backup: dump and restore (pg_dumpall from ${from}, restored into a new StatefulSet or new claims running ${to}), `
          + 'pg_upgrade over a copy of the data directory (a Job mounting the claim with the binaries of both versions), or logical replication into a new cluster, then switch clients.',
      }
      : {
        impact: `PostgreSQL ${to} does not read a data directory written by ${from}: the pods refuse to start.`,
        fix: `Keep ${from}, or restore a dump (pg_dumpall) into a new ${to} cluster: a major version never goes back in place.`,
      };
  }
  if (engine === 'mysql') {
    if (move.kind === 'downgrade') {
      return {
        impact: `MySQL does not downgrade in place from ${from} to ${to}: the server refuses the newer data dictionary and the pods do not start.`,
        fix: `Keep ${from}, or restore a logical dump (mysqldump, MySQL Shell dump) taken from ${from} into a new ${to} server.`,
      };
    }
    if (!move.skipped) return undefined;
    const stop = move.skipped.join('.');
    return {
      impact: `MySQL upgrades in place only from the previous release series: ${from} to ${to} skips ${stop}, and the server refuses to upgrade the data directory (or leaves it half upgraded).`,
      fix: `Upgrade in steps: first to ${stop} (let it start and finish upgrading the data dictionary), then to ${to}; back up before each step.`,
    };
  }
  if (engine === 'mariadb' && move.kind === 'downgrade') {
    return {
      impact: `MariaDB does not read data files of a newer major release: ${to} refuses the data written by ${from}, or corrupts it.`,
      fix: `Keep ${from}, or restore a dump (mariadb-dump) into a new ${to} server.`,
    };
  }
  return undefined;
}

/**
 * SU007: a database container moves to a release its data cannot follow in place: any PostgreSQL
 * major version change, a MySQL downgrade or an upgrade that skips a release series, a MariaDB
 * downgrade of major version. Only images the list of databases names, with a version in their
 * reference, and data on a claim: an unknown image or tag is no finding.
 */
export const SU007: GuardRule = {
  id: 'SU007',
  severity: GuardSeverity.ERROR,
  title: 'Database image moves to a major version its data cannot be upgraded to in place',
  check(graph) {
    const diff = baselineOf(graph);
    if (!diff) return [];
    const findings: RuleFinding[] = [];
    for (const kind of WORKLOAD_KINDS) {
      for (const { previous, current } of diff.changes(kind)) {
        const before = diff.workload(previous);
        const after = diff.workload(current);
        if (!before || !after) continue;
        for (const c of after.databaseContainers) {
          if (c.engineEvidence !== 'image' || !c.engine || !ENGINE_NAMES[c.engine.engine]) continue;
          // The data must outlive the pod (a claim, or a claim template, mounted read-write).
          if (!after.claimUses.some(u => u.writers.includes(c))) continue;
          const engine = c.engine.engine;
          const sameEngine = before.databaseContainers.filter(o => o.engine?.engine === engine && o.engineEvidence === 'image');
          const old = sameEngine.find(o => o.name === c.name) ?? (sameEngine.length === 1 ? sameEngine[0] : undefined);
          if (!old || old.image === c.image) continue;
          const from = imageSeries(engine, old.image);
          const to = imageSeries(engine, c.image);
          if (!from || !to) continue;
          const move = seriesMove(engine, from, to);
          const v = move ? verdict(engine, move, from.text, to.text) : undefined;
          if (!v) continue;
          findings.push({
            object: current,
            message: `${current.display}: container '${c.name}' moves ${ENGINE_NAMES[engine]} from ${from.text} (${old.image}) to ${to.text} (${c.image}) since the baseline.`,
            impact: v.impact,
            fix: v.fix,
          });
        }
      }
    }
    return findings;
  },
};
