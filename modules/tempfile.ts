// tempfile: a new, uniquely named temporary file or directory on the host (Ansible's tempfile).
// Created exclusively by mktemp(1) — mode 0600 for a file, 0700 for a directory, as mkstemp and
// mkdtemp make them — so nobody else can open it first. Every run creates a new one: always changed.
import { z } from 'zod';
import { raw, sh, type Command } from '../src/command/command.js';
import type { CommandResult } from '../src/transport/transport.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

/** A name part: no slash (it would escape `path`) and no newline (the path is read back as a line). */
const namePart = z.string().regex(/^[^/\n]*$/, 'no / or newline in a name part');

const params = z.strictObject({
  state: z.enum(['file', 'directory']).default('file').describe('Create a file or a directory.'),
  path: z.string().min(1).optional().describe('The directory to create it in (default: $TMPDIR on the host, else /tmp).'),
  prefix: namePart.default('ansible.').describe('Start of the name.'),
  suffix: namePart.default('').describe('End of the name.'),
});

type Params = z.output<typeof params>;

/**
 * The creating command; prints the new path. FreeBSD's mktemp(1) replaces only trailing X's, so a
 * suffix is added by drawing a name with `mktemp -u` and creating it exclusively (mkdir, or
 * noclobber `>`, which is O_EXCL), again on a collision.
 */
export function tempfileCommand(p: Params): Command {
  const dir = p.path === undefined ? raw('"${TMPDIR:-/tmp}"') : sh`${p.path.replace(/\/+$/, '') || '/'}`;
  const directory = p.state === 'directory';
  if (p.suffix === '') return sh`mktemp ${raw(directory ? '-d ' : '')}${dir}/${p.prefix}XXXXXXXXXX`;
  const create = directory ? raw('mkdir "$t" 2>/dev/null') : raw('( set -C; : > "$t" ) 2>/dev/null');
  return sh`umask 077; i=0; while :; do b=$(mktemp -u ${dir}/${p.prefix}XXXXXXXXXX) || exit 1; t="$b"${p.suffix}; if ${create}; then echo "$t"; exit 0; fi; i=$((i + 1)); [ $i -lt 100 ] || { echo "tempfile: cannot create a unique name in ${raw('${b%/*}')}" >&2; exit 1; }; done`;
}

/** Always one change: create it. */
export function planTempfile(p: Params): Plan {
  const where = p.path ?? '$TMPDIR or /tmp';
  return { steps: [{ kind: 'change', summary: `create a temporary ${p.state} in ${where}`, actions: [{ kind: 'run', command: tempfileCommand(p) }] }] };
}

/** `path`: the line mktemp printed. */
export function tempfilePath(results: readonly CommandResult[]): Record<string, unknown> {
  const path = results.at(-1)?.stdout.trim();
  return path === undefined || path === '' ? {} : { path };
}

export default defineModule({
  name: 'tempfile',
  summary: 'Create a temporary file or directory and return its path',
  description:
    "Ansible's tempfile: registers `path`. mktemp(1) creates it exclusively (file 0600, directory 0700) " +
    'under `path`, $TMPDIR or /tmp, named PREFIX + 10 random characters + SUFFIX. Always changed; nothing ' +
    'is created in --check, so `path` is only set by a real run. Remove it with `file: state=absent` when done.',
  params,
  example: `- name: A scratch directory
  tempfile:
    state: directory
    suffix: .build
  register: scratch`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: p }) {
    return planTempfile(p);
  },
  register({ results }) {
    return tempfilePath(results);
  },
});
