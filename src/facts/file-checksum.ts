// The digest of a file on the host, so copy and template compare checksums before sending content
// and stat/get_url report Ansible's checksums: FreeBSD's md5(1) family (`sha256 -q`, `sha1 -q`,
// `md5 -q`…), or coreutils' `sha256sum`… where those do not exist (Linux).
import { raw, sh } from '../command/command.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from './fact.js';
import { pathOperand } from '../command/path-operand.js';

/** The digests FreeBSD's base system computes (md5(1)), with their hex length. */
export const DIGEST_LENGTHS = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 } as const;

/** A digest algorithm name: Ansible's checksum_algorithm choices. */
export type DigestAlgorithm = keyof typeof DIGEST_LENGTHS;

/** The first word of a successful command if it is `length` hex digits, lower-cased; undefined otherwise. */
export function parseDigest(output: FactOutput, length: number): string | undefined {
  if (output.exitCode !== 0) return undefined;
  const match = new RegExp(`^([0-9a-fA-F]{${length}})(?:\\s|$)`).exec(output.stdout.trim());
  return match?.[1]?.toLowerCase();
}

/** The first 64-hex-digit word of a successful command, lower-cased; undefined otherwise. */
export function parseSha256(output: FactOutput): string | undefined {
  return parseDigest(output, DIGEST_LENGTHS.sha256);
}

/** The digest of the regular file at `path` (following links); undefined when it is not readable. */
export function fileDigestFact(path: string, algorithm: DigestAlgorithm): Fact<string | undefined> {
  // The algorithm comes from a closed list, so it is a trusted literal in the command.
  return defineFact(
    `file-${algorithm}:${path}`,
    sh`[ -f ${pathOperand(path)} ] || exit 1
if command -v ${raw(algorithm)} >/dev/null 2>&1; then ${raw(algorithm)} -q ${pathOperand(path)}; else ${raw(algorithm)}sum < ${pathOperand(path)}; fi`,
    (output) => parseDigest(output, DIGEST_LENGTHS[algorithm]),
    [fileSubject(path)],
  );
}

/** SHA-256 of the regular file at `path` (following links); undefined when it is not readable. */
export function fileChecksumFact(path: string): Fact<string | undefined> {
  return fileDigestFact(path, 'sha256');
}
