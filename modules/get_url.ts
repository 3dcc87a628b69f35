// get_url: a file downloaded ON THE HOST with FreeBSD's fetch(1) — Ansible's get_url. Into a private
// temporary file next to dest, checked against `checksum`, then renamed over dest, so dest is never
// half-written. Not downloaded again when dest exists (unless force) or already has the checksum.
import { posix } from 'node:path';
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { DIGEST_LENGTHS, fileDigestFact, type DigestAlgorithm } from '../src/facts/file-checksum.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import type { CommandResult } from '../src/transport/transport.js';
import { ENTER_PRIVATE_DIRECTORY, MV_NOFOLLOW } from '../src/transport/install-file.js';
import { attributeCommands, fileAttributeParams } from './support/file-attributes.js';

const algorithms = Object.keys(DIGEST_LENGTHS) as DigestAlgorithm[];

/** `sha256:HEX` as Ansible takes it; a checksum URL is refused (it would be a second download to trust). */
const checksumParam = z
  .string()
  .transform((value, context) => {
    const [algorithm = '', digest = ''] = value.split(/:(.*)/s);
    if (!(algorithms as string[]).includes(algorithm)) {
      context.addIssue({ code: 'custom', message: `The checksum parameter has to be in format <algorithm>:<checksum>, with algorithm one of ${algorithms.join(', ')}` });
      return z.NEVER;
    }
    if (/^[a-z]+:\/\//.test(digest)) {
      context.addIssue({ code: 'custom', message: 'a checksum URL is not supported: give the digest itself' });
      return z.NEVER;
    }
    const length = DIGEST_LENGTHS[algorithm as DigestAlgorithm];
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digest)) {
      context.addIssue({ code: 'custom', message: `a ${algorithm} checksum is ${length} hexadecimal digits` });
      return z.NEVER;
    }
    return { algorithm: algorithm as DigestAlgorithm, digest: digest.toLowerCase() };
  });

const params = withAliases(
  {
    url: z.string().regex(/^(https?|ftp|file):\/\/[^\s]+$/, 'an http, https, ftp or file URL').describe('What to download (fetch(1) URL schemes).'),
    dest: z.string().min(1).describe('The file to write, or a directory (the URL\'s last path part is the name).'),
    checksum: checksumParam.optional().describe("'sha256:HEX' (md5, sha1, sha224, sha256, sha384, sha512): the download must have it; a dest that has it is not downloaded again."),
    force: z.boolean().default(false).describe('Download again even when dest exists.'),
    timeout: z.number().int().positive().default(10).describe('Seconds fetch waits for the server (fetch -T).'),
    validate_certs: z.boolean().default(true).describe('false: fetch --no-verify-peer --no-verify-hostname.'),
    ...fileAttributeParams,
  },
  {},
);

type Params = z.output<typeof params>;

/** The URL's last path part, as Ansible names a download into a directory. */
export function urlFilename(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/^[a-z]+:\/\/[^/]*/, '');
  return posix.basename(path) || 'index.html';
}

/** What get_url reads: dest, and dest/FILENAME in case dest is a directory. */
export interface GetUrlFacts {
  readonly dest: FileStat | undefined;
  readonly destDigest: string | undefined;
  readonly inDir: FileStat | undefined;
  readonly inDirDigest: string | undefined;
}

const algorithmOf = (p: Params): DigestAlgorithm => p.checksum?.algorithm ?? 'sha1';

/** The facts, from the params alone. */
function getUrlFacts(p: Params) {
  const inDir = posix.join(p.dest, urlFilename(p.url));
  return [fileStatFact(p.dest), fileDigestFact(p.dest, algorithmOf(p)), fileStatFact(inDir), fileDigestFact(inDir, algorithmOf(p))] as const;
}

/**
 * Download into the install script's private directory beside the target (src/transport/install-file.ts:
 * only the writer can enter it, a swap before the `cd` is refused), verify, chmod, rename without
 * following a link planted at the target; print the new file's sha1 and size. Before (issue 17) the
 * download went to a `mktemp DIR/.get_url.XXXXXXXXXX` file that fetch and chmod then named again:
 * a user who can write DIR swapped it for a link and root downloaded into the file it pointed to.
 */
export function downloadCommand(p: Params, target: string): Command {
  const dir = posix.dirname(target);
  const tls = p.validate_certs ? sh`` : sh` --no-verify-peer --no-verify-hostname`;
  const verify = p.checksum === undefined ? sh`:` : sh`got=$(if command -v ${p.checksum.algorithm} >/dev/null 2>&1; then ${p.checksum.algorithm} -q f; else ${p.checksum.algorithm}sum < f | cut -d' ' -f1; fi); [ "$got" = ${p.checksum.digest} ] || { echo "The checksum for $target did not match ${p.checksum.digest}; it was $got." >&2; false; }`;
  return sh`umask 077
target=${target}
dir=${dir}
${ENTER_PRIVATE_DIRECTORY}
${MV_NOFOLLOW}
if fetch -q -T ${p.timeout}${tls} -o f ${p.url} && { ${verify}; } && chmod 0644 f && s=$(if command -v sha1 >/dev/null 2>&1; then sha1 -q f; else sha1sum < f | cut -d' ' -f1; fi) && n=$(wc -c < f | tr -d ' ') && mv -f $nofollow f "$target"; then cd / && rmdir -- "$t" 2>/dev/null; echo "$s $n"; else rc=$?; rm -f f; cd / && rmdir -- "$t" 2>/dev/null; exit $rc; fi`;
}

/** Download when needed, then set the attributes. */
export function planGetUrl(p: Params, facts: GetUrlFacts): Plan {
  const intoDir = facts.dest?.type === 'directory';
  const target = intoDir ? posix.join(p.dest, urlFilename(p.url)) : p.dest;
  const stat = intoDir ? facts.inDir : facts.dest;
  const digest = intoDir ? facts.inDirDigest : facts.destDigest;
  const values = { url: p.url, dest: target, ...(digest === undefined ? {} : { checksum_dest: digest }) };
  if (stat !== undefined && stat.type !== 'file') return { steps: [], failure: `${target} is a ${stat.type}, not a file`, values };
  const have = stat !== undefined && (p.checksum !== undefined ? digest === p.checksum.digest : !p.force);
  if (have) {
    const commands = attributeCommands(target, stat, p);
    const reason = p.checksum !== undefined ? `${target} has the checksum` : `file already exists: ${target}`;
    if (commands.length === 0) return { steps: [{ kind: 'noop', reason }], values: { ...values, msg: 'file already exists', status_code: null } };
    return { steps: [{ kind: 'change', summary: `${target}: attributes`, actions: commands.map((command) => ({ kind: 'run' as const, command })) }], values };
  }
  const attributes = attributeCommands(target, undefined, p);
  return {
    steps: [
      {
        kind: 'change',
        summary: `download ${p.url} to ${target}`,
        actions: [{ kind: 'run', command: downloadCommand(p, target) }, ...attributes.map((command) => ({ kind: 'run' as const, command }))],
        diff: { header: target, before: stat === undefined ? '' : `(${stat.size} bytes${digest === undefined ? '' : `, ${algorithmOf(p)} ${digest}`})\n`, after: `(downloaded from ${p.url})\n` },
      },
    ],
    values,
  };
}

/** checksum_src and size from the download command's last line. */
export function registerGetUrl(results: readonly CommandResult[]): Record<string, unknown> {
  const line = results.find((r) => /^[0-9a-f]{40} \d+\s*$/.test(r.stdout))?.stdout.trim();
  if (line === undefined) return {};
  const [sha1 = '', size = '0'] = line.split(' ');
  return { checksum_src: sha1, checksum_dest: sha1, size: Number(size), status_code: 200, msg: `OK (${size} bytes)` };
}

export default defineModule({
  name: 'get_url',
  summary: 'Download a file on the host with fetch(1)',
  description:
    "Ansible's get_url, downloading on the managed host with FreeBSD's fetch: into a private mktemp -d directory " +
    'beside dest (as every file write), checked against checksum (sha256:HEX…), chmod 0644 then renamed over dest, then mode/owner/' +
    'group. An existing dest is kept unless force (or its checksum differs from checksum); a dest directory ' +
    "gets the URL's file name. Registers url, dest, checksum_dest, checksum_src (sha1), size, status_code, msg. " +
    'Differences from Ansible: no headers, url_username/password, checksum URLs or backup; a directory dest ' +
    'is not downloaded again when the file is already there; with force a download of identical bytes ' +
    'reports changed.',
  params,
  example: `- name: The installer image
  get_url:
    url: https://download.freebsd.org/releases/ISO-IMAGES/14.1/FreeBSD-14.1-RELEASE-amd64-bootonly.iso
    dest: /vms/.iso/
    checksum: "sha256:{{ iso_sha256 }}"`,
  needs: (p) => getUrlFacts(p),
  async observe(host, p) {
    const [dest, destDigest, inDir, inDirDigest] = await host.facts(...getUrlFacts(p));
    return { dest, destDigest, inDir, inDirDigest };
  },
  plan({ params: p, facts }) {
    return planGetUrl(p, facts);
  },
  register({ results }) {
    return registerGetUrl(results);
  },
});
