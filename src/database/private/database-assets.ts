import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The shell scripts shipped in `assets/database/` (see the pods <-> scripts contract). */
export const DATABASE_SCRIPTS = [
  'postgres-replica-init.sh',
  'postgres-primary-init.sh',
  'postgres-start.sh',
  'mysql-server-id.sh',
  'mysql-replication-init.sh',
  'mysql-start.sh',
  'mysql-seed.sh',
  'database-ready.sh',
  'logical-backup.sh',
  'snapshot-backup.sh',
] as const;

let cache: { data: Record<string, string>; hash: string } | undefined;

/** Contents of every script by file name, read once per process, and their sha256. */
export function databaseScripts(): { data: Record<string, string>; hash: string } {
  if (cache) return cache;
  // src/database/private (lib/database/private once compiled) -> the package root's assets/.
  const dir = path.join(__dirname, '..', '..', '..', 'assets', 'database');
  const data: Record<string, string> = {};
  const hash = createHash('sha256');
  for (const name of DATABASE_SCRIPTS) {
    data[name] = fs.readFileSync(path.join(dir, name), 'utf-8');
    hash.update(name).update('\0').update(data[name]).update('\0');
  }
  cache = { data, hash: hash.digest('hex') };
  return cache;
}
