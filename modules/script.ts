// script: a controller file copied to the host and run there with its arguments (Ansible's
// script). The bytes go on the command's stdin into a private mktemp directory (0700, so nobody
// else can open the file first), the script runs from there and the directory is removed after.
import { posix } from 'node:path';
import { z } from 'zod';
import { raw, sh, type Command } from '../src/command/command.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { inDirectory } from './command.js';
import { readLocalSource, type LocalSource } from './support/local-source.js';
import { guardFacts, guardReason, observeGuards, type GuardFacts } from './support/run-guard.js';

const params = z
  .strictObject({
    cmd: z.string().min(1).describe('The controller script and its arguments, given free-form: `script: files/setup.sh --fast`. The arguments are shell text, as in Ansible.'),
    chdir: z.string().optional().describe('An absolute directory on the host to run the script in.'),
    creates: z.string().optional().describe('Do not run when this path exists on the host.'),
    removes: z.string().optional().describe('Run only when this path exists on the host.'),
    executable: z.string().optional().describe('The interpreter to run the script with (`/usr/local/bin/bash`, `/bin/sh`); otherwise its #! line.'),
    decrypt: z.boolean().default(true).describe('Decrypt a Vault-encrypted script (accepted; see README: Vault).'),
  })
  .superRefine((p, context) => {
    if (p.chdir !== undefined && !p.chdir.startsWith('/')) context.addIssue({ code: 'custom', path: ['chdir'], message: `chdir ${p.chdir} must be an absolute path for a Unix-aware remote node` });
    if (scriptWords(p.cmd) === undefined) context.addIssue({ code: 'custom', path: ['cmd'], message: 'unterminated quote in the script path' });
  });

type Params = z.output<typeof params>;

/** The script's path (first word, quotes removed) and the argument text after it, kept as written. */
export function scriptWords(cmd: string): { readonly path: string; readonly args: string } | undefined {
  const match = /^\s*((?:'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\])+)(.*)$/s.exec(cmd);
  if (match?.[1] === undefined) return undefined;
  const path = match[1].replace(/'([^']*)'|"((?:[^"\\]|\\.)*)"|\\(.)/g, (_all, single?: string, double?: string, escaped?: string) =>
    single ?? (double === undefined ? (escaped ?? '') : double.replace(/\\(.)/g, '$1')),
  );
  return { path, args: (match[2] ?? '').trim() };
}

/** What the plan needs: the creates/removes paths on the host and the script's bytes on the controller. */
export interface ScriptFacts extends GuardFacts {
  readonly source: LocalSource;
}

/**
 * Receive the script on stdin into a private directory, run it there (the arguments are the user's
 * shell text, as Ansible's script passes them), remove the directory and exit with the script's status.
 */
export function scriptCommand(p: Params, path: string, args: string): Command {
  const name = posix.basename(path) || 'script';
  const program = p.executable === undefined ? sh`"$t"/${name}` : sh`${p.executable} "$t"/${name}`;
  const run = inDirectory(sh`${program}${raw(args === '' ? '' : ` ${args}`)} </dev/null`, p.chdir);
  return {
    text: sh`t=$(mktemp -d "\${TMPDIR:-/tmp}/beastie-script.XXXXXXXX") || exit 1; cat > "$t"/${name} && chmod 0700 "$t"/${name} || { rm -rf "$t"; exit 1; }; ( ${run} ); rc=$?; rm -rf "$t"; exit $rc`.text,
    display: `${p.executable === undefined ? '' : `${p.executable} `}${path}${args === '' ? '' : ` ${args}`}`,
  };
}

/** Run the script unless a creates/removes guard says its work is done. */
export function planScript(p: Params, facts: ScriptFacts): Plan {
  const reason = guardReason(p, facts);
  if (reason !== undefined) return { steps: [{ kind: 'noop', reason }], values: { rc: 0, stdout: reason, stderr: '', stdout_lines: [reason], stderr_lines: [] } };
  if (facts.source.kind === 'missing') return { steps: [], failure: facts.source.message };
  const words = scriptWords(p.cmd) ?? { path: p.cmd, args: '' };
  return { steps: [{ kind: 'change', summary: `run ${words.path}${words.args === '' ? '' : ` ${words.args}`}`, actions: [{ kind: 'run', command: scriptCommand(p, words.path, words.args), stdin: facts.source.content }] }] };
}

export default defineModule({
  name: 'script',
  summary: 'Copy a controller script to the host and run it there',
  description:
    "Ansible's script: the first word of the free-form string is a controller file (looked up in role_path/files, " +
    'role_path, playbook_dir/files, playbook_dir, the current directory), the rest its arguments as shell text. ' +
    'The file is sent on stdin into a private mktemp directory, made executable, run (by its #! line or ' +
    '`executable`) with chdir, and removed. creates/removes skip it as in Ansible. Registers rc, stdout, stderr ' +
    'and their _lines; a non-zero exit fails the task. Always changed when it runs. Difference: in --check the ' +
    'task reports changed without running (Ansible skips it unless creates/removes is given).',
  params,
  example: `- name: Prepare the build host once
  script: files/prepare.sh --jobs 4
  args:
    creates: /var/db/prepared`,
  needs: (p) => guardFacts(p, false),
  async observe(host, p): Promise<ScriptFacts> {
    const guards = await observeGuards(host, p, false);
    return { ...guards, source: await readLocalSource(scriptWords(p.cmd)?.path ?? p.cmd, host.vars, 'files') };
  },
  plan({ params: p, facts }) {
    return planScript(p, facts);
  },
});
