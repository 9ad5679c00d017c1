/** The database families this library knows how to bootstrap, replicate and back up. */
export enum EngineKind {
  /** PostgreSQL (official `postgres` image): streaming replication, pg_dumpall backups. */
  POSTGRES = 'postgres',
  /** MySQL (official `mysql` image): GTID replication, mysqldump backups. */
  MYSQL = 'mysql',
  /** MariaDB (official `mariadb` image): GTID replication, mariadb-dump backups. */
  MARIADB = 'mariadb',
  /** Any other image: standalone only, no built-in replication or logical backups. */
  CUSTOM = 'custom',
}
