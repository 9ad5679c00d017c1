import { createHash } from 'crypto';

/** sha256 of a text, hex: the content hashes on pod templates that roll pods on a change. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
