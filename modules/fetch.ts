// fetch: copy a file from the host to the controller (Ansible's meaning), into
// dest/INVENTORY_HOSTNAME/SRC-PATH, or straight to dest with flat. Compared by SHA-256 first.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { z } from 'zod';
import { fileChecksumFact } from '../src/facts/file-checksum.js';
import { fileContentFact } from '../src/facts/file-content.js';
import { fileStatFact } from '../src/facts/file-stat.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { diffSide, sha256 } from './support/diff-text.js';

const params = z.strictObject({
  src: z.string().min(1).describe('The file on the host.'),
  dest: z.string().min(1).describe('A controller directory (files land in DEST/HOST/SRC), or with flat the file itself (ending in / means DEST/BASENAME); relative to the playbook\'s directory.'),
  flat: z.boolean().default(false).describe('Write to dest itself instead of dest/HOST/SRC.'),
  fail_on_missing: z.boolean().default(true).describe('Fail when src does not exist on the host.'),
  validate_checksum: z.boolean().default(true).describe('Check that the bytes received have the checksum the host reported.'),
});

type Params = z.output<typeof params>;

/** Where the file goes on the controller; a relative dest is taken from the playbook's directory, as Ansible does. */
export function fetchDestination(p: Params, host: string, playbookDir?: string): string {
  const dest = playbookDir === undefined || isAbsolute(p.dest) ? p.dest : join(playbookDir, p.dest);
  if (p.flat) return p.dest.endsWith('/') ? join(dest, posix.basename(p.src)) : dest;
  return join(dest, host, p.src);
}

/** The host file (checksum, and bytes when they differ from the controller copy) and the controller copy. */
export interface FetchFacts {
  readonly localPath: string;
  readonly local: Buffer | undefined;
  readonly remote: { readonly kind: 'missing' | 'not-a-file' } | { readonly kind: 'file'; readonly sha256: string; readonly content?: Buffer };
}

/** Fetch when the controller copy is missing or differs. */
export function planFetch(p: Params, facts: FetchFacts): Plan {
  if (facts.remote.kind !== 'file') {
    const why = facts.remote.kind === 'missing' ? `the remote file does not exist: ${p.src}` : `${p.src} is not a regular file`;
    return p.fail_on_missing ? { steps: [], failure: why } : { steps: [{ kind: 'noop', reason: `not fetched: ${why}` }] };
  }
  const values = { dest: facts.localPath, checksum: facts.remote.sha256, file: p.src };
  if (facts.local !== undefined && sha256(facts.local) === facts.remote.sha256) {
    return { steps: [{ kind: 'noop', reason: `${facts.localPath} matches ${p.src}` }], values };
  }
  return {
    steps: [
      {
        kind: 'change',
        summary: `fetch ${p.src} to ${facts.localPath}`,
        actions: [],
        diff: { header: facts.localPath, before: diffSide(facts.local), after: diffSide(facts.remote.content) },
      },
    ],
    values,
  };
}

async function readLocal(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export default defineModule({
  name: 'fetch',
  summary: 'Copy a file from the host to the controller',
  description:
    "Ansible's fetch: the host file's SHA-256 is compared with the controller copy's and the bytes are " +
    'transferred only when they differ; by default into DEST/INVENTORY_HOSTNAME/SRC so several hosts do ' +
    'not overwrite each other. The received bytes are checked against the host\'s checksum. changed ' +
    'means the controller file was written. Differences from Ansible: no become-specific options.',
  params,
  example: `- name: Keep each host's rc.conf
  fetch:
    src: /etc/rc.conf
    dest: backups/`,
  // The content is read only when the checksum differs from the local copy's: read when it runs.
  needs: (p) => [fileStatFact(p.src), fileChecksumFact(p.src)],
  async observe(host, p): Promise<FetchFacts> {
    const name = typeof host.vars['inventory_hostname'] === 'string' ? host.vars['inventory_hostname'] : host.host;
    const playbookDir = typeof host.vars['playbook_dir'] === 'string' ? host.vars['playbook_dir'] : undefined;
    const localPath = fetchDestination(p, name, playbookDir);
    const local = await readLocal(localPath);
    const [stat, checksum] = await host.facts(fileStatFact(p.src), fileChecksumFact(p.src));
    if (stat === undefined) return { localPath, local, remote: { kind: 'missing' } };
    if (checksum === undefined) return { localPath, local, remote: { kind: 'not-a-file' } };
    if (local !== undefined && sha256(local) === checksum) return { localPath, local, remote: { kind: 'file', sha256: checksum } };
    const [content] = await host.facts(fileContentFact(p.src));
    return { localPath, local, remote: { kind: 'file', sha256: checksum, ...(content.kind === 'file' ? { content: content.content } : {}) } };
  },
  plan({ params: p, facts }) {
    return planFetch(p, facts);
  },
  // The write happens on the controller, which the runner's host actions cannot reach.
  async apply(_context, { params: p, facts }) {
    if (facts.remote.kind !== 'file' || facts.remote.content === undefined) return { changed: false, failure: `${p.src} could not be read from the host` };
    if (p.validate_checksum && sha256(facts.remote.content) !== facts.remote.sha256) {
      return { changed: false, failure: `checksum mismatch: ${p.src} has sha256 ${facts.remote.sha256} on the host, received ${sha256(facts.remote.content)}` };
    }
    await mkdir(dirname(facts.localPath), { recursive: true });
    await writeFile(facts.localPath, facts.remote.content);
    return { changed: true, values: { dest: facts.localPath, checksum: facts.remote.sha256 } };
  },
});
