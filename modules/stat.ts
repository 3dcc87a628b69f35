// stat: what a path is on the host — Ansible's `stat` result (exists, isdir, mode, pw_name,
// checksum…) from FreeBSD's `stat -f`, test(1), readlink/realpath, md5(1)'s digests and file(1).
// Reading changes nothing, so the task is never changed and --check returns the same result.
import { z } from 'zod';
import { DIGEST_LENGTHS, type DigestAlgorithm } from '../src/facts/file-checksum.js';
import { pathStatFact, type PathStat, type PathStatOptions, type PathStatRecord } from '../src/facts/path-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const algorithms = Object.keys(DIGEST_LENGTHS) as [DigestAlgorithm, ...DigestAlgorithm[]];

const params = withAliases(
  {
    path: z.string().min(1).describe('The path on the host.'),
    follow: z.boolean().default(false).describe('Follow a symbolic link (stat -L) and report what it points to.'),
    get_checksum: z.boolean().default(true).describe('Return `checksum` of a readable regular file.'),
    checksum_algorithm: z.enum(algorithms).default('sha1').describe("Digest for checksum: md5, sha1, sha224, sha256, sha384, sha512 — FreeBSD's md5(1) family."),
    get_mime: z.boolean().default(true).describe('Return mimetype and charset from file(1) -i.'),
    get_attributes: z.boolean().default(true).describe('Accepted for Ansible playbooks: FreeBSD has no lsattr, so `attributes` is empty (flags holds st_flags).'),
  },
  { path: ['dest', 'name'], checksum_algorithm: ['checksum', 'checksum_algo'], get_mime: ['mime', 'mime_type', 'mime-type'], get_attributes: ['attr', 'attributes'] },
);

type Params = z.output<typeof params>;

/** What the fact reads for these parameters (purely from them). */
export function statOptions(p: Params): PathStatOptions {
  return { follow: p.follow, ...(p.get_checksum ? { checksum: p.checksum_algorithm } : {}), mime: p.get_mime };
}

/** The stat(2) part of Ansible's dictionaries (stat's format_output, find's statinfo). */
export function statInfo(s: PathStatRecord): Record<string, unknown> {
  const mode = s.rawMode;
  const type = mode & 0o170000;
  const bit = (b: number) => (mode & b) !== 0;
  return {
    mode: (mode & 0o7777).toString(8).padStart(4, '0'),
    isdir: type === 0o040000,
    ischr: type === 0o020000,
    isblk: type === 0o060000,
    isreg: type === 0o100000,
    isfifo: type === 0o010000,
    islnk: type === 0o120000,
    issock: type === 0o140000,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    inode: s.inode,
    dev: s.dev,
    nlink: s.nlink,
    atime: s.atime,
    mtime: s.mtime,
    ctime: s.ctime,
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o020),
    rgrp: bit(0o040),
    xgrp: bit(0o010),
    woth: bit(0o002),
    roth: bit(0o004),
    xoth: bit(0o001),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    pw_name: s.owner,
    gr_name: s.group,
  };
}

/** Ansible's stat dictionary (stat.py format_output and what main() adds). */
export function statResult(p: Params, found: PathStat): Record<string, unknown> {
  if (!found.exists) return { exists: false };
  const s = found.stat;
  const type = s.rawMode & 0o170000;
  const { pw_name, gr_name, ...info } = statInfo(s);
  const result: Record<string, unknown> = {
    exists: true,
    path: p.path,
    ...info,
    blocks: s.blocks,
    block_size: s.blockSize,
    device_type: s.rdev,
    ...(s.flags !== undefined ? { flags: s.flags } : {}),
    ...(s.birthtime !== undefined && s.birthtime >= 0 ? { birthtime: s.birthtime } : {}),
    readable: found.readable,
    writeable: found.writeable,
    executable: found.executable,
    pw_name,
    gr_name,
  };
  if (type === 0o120000 && found.linkTarget !== undefined) {
    result['lnk_target'] = found.linkTarget;
    if (found.linkSource !== undefined) result['lnk_source'] = found.linkSource;
  }
  if (found.checksum !== undefined) result['checksum'] = found.checksum;
  if (p.get_mime) {
    const [mimetype, charset] = parseMime(found.mime);
    result['mimetype'] = mimetype;
    result['charset'] = charset;
  }
  if (p.get_attributes) result['attributes'] = [];
  return result;
}

/** `text/plain; charset=us-ascii` → [mimetype, charset]; Ansible says 'unknown' for what file(1) did not tell. */
export function parseMime(text: string | undefined): [string, string] {
  const match = /^([^;\s]+)(?:;\s*charset=(\S+))?/.exec(text ?? '');
  return [match?.[1] ?? 'unknown', match?.[2] ?? 'unknown'];
}

/** Never a change: the result is the stat dictionary. */
export function planStat(p: Params, found: PathStat): Plan {
  const reason = found.exists ? `${p.path} exists` : `${p.path} does not exist`;
  return { steps: [{ kind: 'noop', reason }], values: { stat: statResult(p, found) } };
}

export default defineModule({
  name: 'stat',
  summary: 'Report what a path is: type, mode, owner, size, times, checksum',
  description:
    "Ansible's stat: registers `stat` with exists, path, mode ('0644'), isdir/isreg/islnk/…, uid, gid, " +
    'pw_name, gr_name, size, inode, dev, nlink, atime/mtime/ctime (seconds with nanoseconds), the ' +
    'permission bits (rusr, wgrp…), isuid/isgid, blocks, block_size, readable/writeable/executable ' +
    '(access for the connecting user), lnk_target/lnk_source for a link not followed, checksum (sha1 by ' +
    'default, from FreeBSD\'s sha1 -q) of a readable regular file, and mimetype/charset from file(1) -i. ' +
    'One command reads all of it: stat -f on FreeBSD (stat -c where stat is GNU\'s). Never changed. ' +
    'Differences from Ansible: no lsattr on FreeBSD, so `attributes` is empty (FreeBSD\'s st_flags is ' +
    '`flags`, as Python reports it there); `version` is not returned.',
  params,
  example: `- name: Is vm-bhyve initialised?
  stat:
    path: /vms/.config/system.conf
  register: vmconf

- name: Initialise it
  command: vm init
  when: not vmconf.stat.exists`,
  needs: (p) => [pathStatFact(p.path, statOptions(p))],
  async observe(host, p) {
    const [found] = await host.facts(pathStatFact(p.path, statOptions(p)));
    return found;
  },
  plan({ params: p, facts }) {
    return planStat(p, facts);
  },
});
