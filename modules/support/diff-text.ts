// How file content appears in a --diff: text as it is, binary as a one-line summary.
import { createHash } from 'node:crypto';

/** Whether bytes are text a diff can show: valid UTF-8 without NUL. */
export function isText(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/** The SHA-256 of bytes, lower-case hex, as `sha256 -q` prints it. */
export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Content for a diff side: the text itself, or `(binary: N bytes, sha256 …)`; '' for a missing file. */
export function diffSide(content: Buffer | undefined): string {
  if (content === undefined) return '';
  if (isText(content)) return content.toString('utf8');
  return `(binary: ${content.length} bytes, sha256 ${sha256(content)})\n`;
}
