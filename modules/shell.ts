// shell: run a command line through /bin/sh as written — pipes, redirections, variables.
import { z } from 'zod';
import { sh, userShell } from '../src/command/command.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { inDirectory } from './command.js';
import { runTimes, unstrippedStreams } from './support/run-times.js';
import { guardFacts, guardReason, observeGuards, type GuardFacts } from './support/run-guard.js';

const params = z.strictObject({
  cmd: z.string().min(1).describe('The shell command line, run by /bin/sh -c. Also given free-form: `shell: a | b`.'),
  chdir: z.string().optional().describe('Change into this directory first.'),
  creates: z.string().optional().describe('Do not run when this path or glob pattern matches (relative to chdir), as glob.glob in Ansible.'),
  removes: z.string().optional().describe('Run only when this path or glob pattern matches (relative to chdir).'),
  stdin: z.string().optional().describe('Text fed to the command on stdin.'),
  stdin_add_newline: z.boolean().default(true).describe('Append a newline to stdin.'),
  strip_empty_ends: z.boolean().default(true).describe('Remove trailing newlines from stdout and stderr (false: registered as printed).'),
  executable: z.string().optional().describe('Another shell to run the line with (`/usr/local/bin/bash`); its -c takes the line.'),
});

type Params = z.output<typeof params>;

/** Run the line unless a creates/removes guard says the work is done. */
export function planShell(p: Params, facts: GuardFacts): Plan {
  const reason = guardReason(p, facts);
  if (reason !== undefined) {
    return { steps: [{ kind: 'noop', reason }], values: { cmd: p.cmd, rc: 0, stdout: reason, stderr: '', stdout_lines: [reason], stderr_lines: [] } };
  }
  const line = p.executable === undefined ? userShell(p.cmd) : { text: sh`${p.executable} -c ${p.cmd}`.text, display: p.cmd };
  const stdin = p.stdin === undefined ? undefined : `${p.stdin}${p.stdin_add_newline ? '\n' : ''}`;
  return { steps: [{ kind: 'change', summary: `run ${p.cmd}`, actions: [{ kind: 'run', command: inDirectory(line, p.chdir), ...(stdin === undefined ? {} : { stdin }) }] }] };
}

export default defineModule({
  name: 'shell',
  summary: 'Run a command line through /bin/sh on the host',
  description:
    'The line is run verbatim by /bin/sh -c with LC_ALL=C (never the login shell, which may be csh). ' +
    'Reports changed whenever it runs; `creates`/`removes` make it idempotent (skipped when the path ' +
    'exists / does not exist, also in --check). Registers rc, stdout, stderr, their _lines and cmd. ' +
    'A non-zero exit fails the task.',
  params,
  example: `- name: Record the PCI devices once
  shell: pciconf -lv > /root/pci.txt
  args:
    creates: /root/pci.txt`,
  needs: (p) => guardFacts(p),
  async observe(host, p) {
    return observeGuards(host, p);
  },
  plan({ params: p, facts }) {
    return planShell(p, facts);
  },
  register({ params: p, results }) {
    return { ...runTimes(results, Date.now()), ...(p.strip_empty_ends ? {} : unstrippedStreams(results)) };
  },
});
