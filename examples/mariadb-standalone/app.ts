/**
 * A standalone MariaDB for a small app: one replica, its claim on the cluster's default class,
 * credentials from an existing Secret, daily dumps kept for two weeks.
 */
import { App, Chart, Size } from 'cdk8s';
import { BackupPolicy, DatabaseCredentials, DatabaseEngine, StatefulDatabase } from '../../src/database';

export function build(app: App): void {
  const chart = new Chart(app, 'mariadb-standalone', { namespace: 'wiki' });
  new StatefulDatabase(chart, 'wiki-db', {
    engine: DatabaseEngine.mariadb({ version: '11.4' }),
    storage: { size: Size.gibibytes(20) },
    credentials: DatabaseCredentials.fromSecret('wiki-db-passwords', { superuserPasswordKey: 'root', replicationPasswordKey: 'replication' }),
    parameters: { 'character-set-server': 'utf8mb4', 'innodb_buffer_pool_size': '256M' },
    backup: BackupPolicy.logical({ schedule: '30 1 * * *', keep: 14, storage: { size: Size.gibibytes(40) } }),
  });
}
