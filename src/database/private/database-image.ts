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
