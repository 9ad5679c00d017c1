import { fail } from '../../internal/errors';
import { checkNonEmptyString, checkPinnedImage } from '../../internal/validate';

/**
 * Every image property of the database layer (custom engine, metrics exporter, kubectl): pinned to
 * a tag other than `latest` or to a digest, since a database pod restarted onto a moved tag runs
 * software nobody chose.
 */
export function checkDatabaseImage(subjectText: string, property: string, value: unknown, example: string): string {
  return checkPinnedImage(subjectText, property, checkNonEmptyString(subjectText, property, value),
    `an image reference with a pinned tag or digest, such as '${example}' (not 'latest')`);
}

/**
 * The `repository` prop of every engine (a mirror of the official image; the tag is always the
 * version): `official` when unset, else a repository without a tag, checked once here for all.
 */
export function imageRepository(who: string, value: unknown, official: string): string {
  if (value === undefined) return official;
  const repo = checkNonEmptyString(who, 'repository', value);
  if (!/^[a-z0-9]([a-z0-9._/:-]*[a-z0-9])?$/.test(repo) || /:[^/]*$/.test(repo.replace(/^[^/]*\//, '')) || repo.includes('//')) {
    fail(who, 'repository', repo, `an image repository without a tag, such as 'registry.example.com/mirror/${official.split('/').pop()}'`);
  }
  return repo;
}
