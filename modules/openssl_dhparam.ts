// openssl_dhparam: community.crypto's module as its openssl backend does it (DHParameterOpenSSL),
// on the host's base-system openssl(1): parameters are valid when `openssl dhparam -check -text
// -noout -in PATH` succeeds, says "Parameters: (N bit)" with N = size and prints no WARNING; new
// ones are made by `openssl dhparam -out TMP SIZE` in the path's directory and renamed over it.
import { posix } from 'node:path';
import { z } from 'zod';
import { raw, sh, type Command } from '../src/command/command.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from '../src/facts/fact.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';
import type { CommandResult } from '../src/transport/transport.js';
import { attributeCommands, attributeDifferences, withAttributesNotes, fileAttributeParams } from './support/file-attributes.js';
import { backupCommand, backupFileOf } from './support/write-safety.js';
import { stillNotAsWanted } from '../src/module-api/changes-left.js';
import { pathOperand } from '../src/command/path-operand.js';
import { keepAttributes, printAfter, printedAfter, privateWriteCommand } from './support/private-write.js';

const params = z.strictObject({
  path: z.string().min(1).describe('The parameters file on the host.'),
  state: z.enum(['present', 'absent']).default('present').describe('present: valid parameters of size bits; absent: removed.'),
  size: z.number().int().default(4096).describe('Bits of the prime.'),
  force: z.boolean().default(false).describe('Generate new parameters even when they are valid.'),
  backup: z.boolean().default(false).describe('Copy the old file to PATH.PID.YYYY-MM-DD@HH:MM:SS~ before replacing or removing it.'),
  select_crypto_backend: z.enum(['auto', 'cryptography', 'openssl']).default('auto').describe("Accepted; beastie's backend is always the host's openssl(1), community.crypto's openssl backend."),
  return_content: z.boolean().default(false).describe('Register the parameters\' PEM as dhparams.'),
  ...fileAttributeParams,
});

type Params = z.output<typeof params>;

/** The parameters file as `openssl dhparam -check` reads it. */
export interface DhFile {
  readonly baseDir: boolean;
  readonly exists: boolean;
  /** Bits when the check passed without a WARNING; undefined otherwise (unreadable, broken, weak). */
  readonly bits?: number;
  readonly pem?: string;
}

/** _check_params_valid's reading of openssl's output, plus the file's existence and directory. */
export function parseDhFile(output: FactOutput): DhFile {
  const lines = output.stdout.split('\n');
  const baseDir = lines.includes('basedir');
  if (!lines.includes('exists')) return { baseDir, exists: false };
  const pemAt = lines.indexOf('pem');
  const check = (pemAt < 0 ? lines : lines.slice(0, pemAt)).join('\n');
  const rc = /^rc (\d+)$/m.exec(check)?.[1];
  const bits = /Parameters:\s+\((\d+) bit\)/.exec(check)?.[1];
  const valid = rc === '0' && bits !== undefined && !check.includes('WARNING');
  return { baseDir, exists: true, ...(valid ? { bits: Number(bits) } : {}), ...(pemAt < 0 ? {} : { pem: lines.slice(pemAt + 1).join('\n') }) };
}

/** `openssl dhparam -check -text -noout -in PATH` (stdout and stderr, as run_command's out and err) and its exit code. */
export function dhFileFact(path: string, withPem: boolean): Fact<DhFile> {
  const operand = pathOperand(path);
  return defineFact(
    `openssl-dhparam:${withPem ? 'pem' : '-'}:${path}`,
    sh`if [ -d ${posix.dirname(operand)} ]; then echo basedir; fi
if [ ! -e ${operand} ]; then exit 0; fi
echo exists
openssl dhparam -check -text -noout -in ${operand} 2>&1; echo "rc $?"${withPem ? raw(`\nif [ -f ${sh`${operand}`.text} ]; then echo pem; cat ${sh`${operand}`.text}; fi`) : raw('')}`,
    parseDhFile,
    [fileSubject(path)],
  );
}

/**
 * openssl dhparam into `f` in the install script's private directory beside the path
 * (src/transport/install-file.ts: mktemp -d, entered and checked), then renamed over the path
 * without following a link planted there, as atomic_move: a new file gets 0666 less the umask, an
 * existing one keeps its mode, owner and group. Before (issue 17) a `mktemp DIR/.beastie-dhparam.XXXXXX`
 * file beside it was named again for openssl, chmod and chown, which a user who can write DIR swapped.
 */
function generateCommand(p: Params, stat: FileStat | undefined): Command {
  return privateWriteCommand(p.path, {
    make: sh`openssl dhparam -out f ${String(p.size)} 2>/dev/null`,
    then: [keepAttributes(stat), ...(p.return_content ? [printAfter('pem')] : [])],
    failure: 'openssl dhparam failed',
  });
}

/** dump(): size, filename (and dhparams with return_content). */
function dumpValues(p: Params, pem: string | undefined): Record<string, unknown> {
  return { size: p.size, filename: p.path, ...(p.return_content ? { dhparams: pem ?? null } : {}) };
}

export function planDhparam(p: Params, dh: DhFile, stat: FileStat | undefined): Plan {
  const base = posix.dirname(p.path);
  if (!dh.baseDir) return { steps: [], failure: `The directory '${base}' does not exist or the file is not a directory` };
  const runs = (commands: Command[]) => commands.map((command) => ({ kind: 'run' as const, command }));
  if (p.state === 'absent') {
    const values = dumpValues(p, dh.pem);
    if (!dh.exists) return { steps: [{ kind: 'noop', reason: `${p.path} is absent` }], values };
    return { steps: [{ kind: 'change', summary: `remove ${p.path}`, actions: runs([...(p.backup ? [backupCommand(p.path)] : []), sh`rm -f ${pathOperand(p.path)}`]) }], values };
  }
  const values = dumpValues(p, dh.pem);
  const wanted = { mode: p.mode, owner: p.owner, group: p.group };
  if (p.force || dh.bits !== p.size) {
    const step: Step = {
      kind: 'change',
      summary: `${dh.exists ? 'regenerate' : 'generate'} ${p.size}-bit DH parameters ${p.path}`,
      actions: runs([...(p.backup && dh.exists ? [backupCommand(p.path)] : []), generateCommand(p, stat), ...attributeCommands(p.path, stat, wanted)]),
    };
    return { steps: [step], values };
  }
  const differences = attributeDifferences(stat, wanted);
  if (differences.length === 0) return { steps: [{ kind: 'noop', reason: `${p.path} holds valid ${p.size}-bit DH parameters` }], values };
  return { steps: [{ kind: 'change', summary: `${p.path}: ${differences.join(', ')}`, actions: runs(attributeCommands(p.path, stat, wanted)) }], values };
}

/** After a run: backup_file, and the new PEM for return_content (dump() reads the file again). */
export function registerDhparam(p: Params, results: readonly CommandResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const backup = backupFileOf(results);
  if (backup !== undefined) out['backup_file'] = backup;
  const pem = p.return_content ? printedAfter(results, 'pem') : undefined;
  if (pem !== undefined) out['dhparams'] = pem;
  return out;
}

const facts = (p: Params) => [dhFileFact(p.path, p.return_content), fileStatFact(p.path)] as const;

export default defineModule({
  name: 'openssl_dhparam',
  summary: 'Generate Diffie-Hellman parameters (community.crypto.openssl_dhparam) with the base system\'s openssl',
  description:
    "community.crypto's openssl_dhparam as its openssl backend does it, on FreeBSD's base openssl(1): the file is " +
    'valid when `openssl dhparam -check -text -noout -in PATH` exits 0, says "Parameters: (N bit)" with N = size and ' +
    'prints no WARNING; otherwise (or with force) `openssl dhparam -out TMP SIZE` writes a file of a private ' +
    "directory beside the path (mktemp -d) that is renamed over it without following a link (a new file 0666 less the umask, an existing one keeps its mode and " +
    'owner, as atomic_move). Registers size, filename, backup_file, dhparams (return_content). Slow: 4096 bits ' +
    'takes minutes on most hosts.',
  params,
  example: `- name: DH parameters for the web server
  community.crypto.openssl_dhparam:
    path: /usr/local/etc/ssl/dhparams.pem
    size: 2048`,
  needs: (p) => [...facts(p)],
  async observe(host, p) {
    const [dh, stat] = await host.facts(...facts(p));
    return { dh, stat };
  },
  plan({ params: p, facts: observed }) {
    return withAttributesNotes(planDhparam(p, observed.dh, observed.stat), p);
  },
  verify({ params: p, facts: observed }) {
    const again = planDhparam({ ...p, force: false }, observed.dh, observed.stat);
    return stillNotAsWanted(p.path, again);
  },
  register: ({ params: p, results }) => registerDhparam(p, results),
});
