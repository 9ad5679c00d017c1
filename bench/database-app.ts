/**
 * The app the database benchmark measures: N databases in one chart, each a three-member
 * PostgreSQL with logical backups, metrics and a NetworkPolicy (every feature that emits objects),
 * plus every third one a MariaDB with volume snapshots.
 */
import { ApiObject, App, Chart, Size } from 'cdk8s';
// Import through the package index, as users do: that also loads the guards, which turn on for
// every chart holding one of our constructs.
import { BackupPolicy, DatabaseEngine, IStorageClass, Provisioner, StatefulDatabase } from '../src';
import { withoutLibraryConstructHook } from '../src/internal/library-marker';

const gp3: IStorageClass = { storageClassName: 'ebs-gp3', provisioner: Provisioner.awsEbs() };

/** Add N databases to a chart. */
export function addDatabases(chart: Chart, n: number): void {
  for (let i = 0; i < n; i++) {
    if (i % 3 === 2) {
      new StatefulDatabase(chart, `maria-${i}`, {
        engine: DatabaseEngine.mariadb({ version: '11.4' }),
        replicas: 2,
        storage: { size: Size.gibibytes(20), storageClass: gp3 },
        backup: BackupPolicy.volumeSnapshots({ schedule: '0 * * * *', keep: 24, snapshotClass: { volumeSnapshotClassName: 'ebs-snapshots' } }),
      });
    } else {
      const db = new StatefulDatabase(chart, `pg-${i}`, {
        engine: DatabaseEngine.postgres({ version: '16.4' }),
        replicas: 3,
        storage: { size: Size.gibibytes(50), storageClass: gp3 },
        metrics: {},
        backup: BackupPolicy.logical({ schedule: '0 3 * * *', keep: 7, storage: { size: Size.gibibytes(100), storageClass: gp3 } }),
      });
      db.allowFromLabels({ app: `client-${i}` });
    }
  }
}

/** An app with one chart of N databases. */
export function buildDatabaseApp(n: number): App {
  const app = new App({ outdir: '.bench-out' });
  addDatabases(new Chart(app, 'bench', { namespace: 'bench' }), n);
  return app;
}

/** The same app with the guards switched off: what the constructs alone cost. */
export function buildDatabaseAppWithoutGuards(n: number): App {
  return withoutLibraryConstructHook(() => buildDatabaseApp(n));
}

/** The floor: the very same manifests as plain ApiObjects from precomputed JSON. */
export function buildFloorApp(manifests: any[]): App {
  const app = new App({ outdir: '.bench-out' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  manifests.forEach((m, i) => new ApiObject(chart, `o${i}`, m));
  return app;
}
