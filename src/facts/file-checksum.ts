// The SHA-256 of a file on the host, so copy and template compare checksums before sending
// content: FreeBSD's `sha256 -q`, or coreutils' `sha256sum` where sha256 does not exist (Linux).
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** The first 64-hex-digit word of a successful command, lower-cased; undefined otherwise. */
export function parseSha256(output: FactOutput): string | undefined {
  if (output.exitCode !== 0) return undefined;
  const match = /^([0-9a-fA-F]{64})(?:\s|$)/.exec(output.stdout.trim());
  return match?.[1]?.toLowerCase();
}

/** SHA-256 of the regular file at `path` (following links); undefined when it is not readable. */
export function fileChecksumFact(path: string): Fact<string | undefined> {
  return defineFact(
    `file-sha256:${path}`,
    sh`[ -f ${path} ] || exit 1
if command -v sha256 >/dev/null 2>&1; then sha256 -q ${path}; else sha256sum < ${path}; fi`,
    parseSha256,
  );
}
