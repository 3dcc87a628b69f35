// Where copy and template write, and what is there: a `dest` that ends in / or is a directory
// gets the source's base name, as in Ansible. Stat and checksum come in one round trip; the old
// bytes only when they differ and are small enough to show in a diff. A destination that is a
// symbolic link is replaced by the file, or with `follow` written through to the file it resolves
// to, as Ansible's copy module does (docs/ansible-parameters.md, "follow").
import { posix } from 'node:path';
import { fileChecksumFact } from '../../src/facts/file-checksum.js';
import { fileContentFact } from '../../src/facts/file-content.js';
import { fileStatFact, type FileStat } from '../../src/facts/file-stat.js';
import type { Fact } from '../../src/facts/fact.js';
import { realPathFact } from '../../src/facts/real-path.js';
import type { HostContext } from '../../src/module-api/module.js';
import { sha256 } from './diff-text.js';
import type { CurrentFile } from './file-write.js';

/** Above this size the old content is not fetched for --diff; the diff shows its size and checksum. */
export const DIFF_MAX_BYTES = 256 * 1024;

/** The resolved destination path and what it holds now. */
export interface Destination {
  readonly path: string;
  readonly current: CurrentFile;
}

/** `dest` as named before the host says whether it is a directory: ending in / means dest/NAME. */
function destinationPath(dest: string, sourceName: string | undefined): string {
  return dest.endsWith('/') && sourceName !== undefined ? posix.join(dest, sourceName) : dest;
}

/** The facts {@link observeDestination} reads first: what the module declares it needs. */
export function destinationFacts(dest: string, sourceName: string | undefined): [Fact<FileStat | undefined>, Fact<string | undefined>] {
  const path = destinationPath(dest, sourceName);
  return [fileStatFact(path), fileChecksumFact(path)];
}

/**
 * Resolve `dest` on the host and read what the plan compares against `content`. A link is
 * resolved with realpath(1) when it exists: to a directory, `dest/NAME` is written through it
 * (Ansible's copy module tests os.path.isdir, which follows links, whatever `follow` says), and
 * content, which has no NAME, fails as for a directory; to
 * anything else, with `follow` the resolved path is the destination (os.path.realpath), without
 * it the link itself is, and it is replaced by a regular file (unlink, then atomic_move). A
 * dangling link is replaced either way (os.path.exists is false for it).
 */
export async function observeDestination(host: HostContext, dest: string, content: Buffer | undefined, sourceName: string | undefined, follow = false): Promise<Destination> {
  let path = destinationPath(dest, sourceName);
  let [stat, checksum] = await host.facts(...destinationFacts(dest, sourceName));
  if (stat?.type === 'link') {
    const [resolved] = await host.facts(realPathFact(path));
    const [target] = resolved === undefined ? [undefined] : await host.facts(fileStatFact(resolved));
    if (resolved !== undefined && target !== undefined && (follow || target.type === 'directory')) {
      path = target.type === 'directory' ? path : resolved;
      stat = target;
      [checksum] = await host.facts(fileChecksumFact(path));
    } else {
      // A link that is not followed is no regular file: its target's checksum says nothing.
      return { path, current: { stat, sha256: undefined } };
    }
  }
  if (stat?.type === 'directory' && sourceName !== undefined) {
    path = posix.join(path, sourceName);
    [stat, checksum] = await host.facts(fileStatFact(path), fileChecksumFact(path));
  }
  const differs = content !== undefined && checksum !== undefined && checksum !== sha256(content);
  if (differs && stat !== undefined && stat.size <= DIFF_MAX_BYTES) {
    const [old] = await host.facts(fileContentFact(path));
    return { path, current: { stat, sha256: checksum, content: old.kind === 'file' ? old.content : undefined } };
  }
  return { path, current: { stat, sha256: checksum } };
}
