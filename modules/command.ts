// command: run a program with arguments, no shell. Ansible's command passes `|`, `>` on as
// literal words, which never does what the author meant: beastie refuses them at load time and
// points at `shell`. `$NAME`, `${NAME}` and a leading `~` are expanded on the host as Ansible's
// run_command expands them (modules/support/expand-argv.ts), as data: every word is quoted for
// /bin/sh, so nothing else is interpreted.
import { z } from 'zod';
import { joinCommands, sh, type Command } from '../src/command/command.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { isReadOnlyCommand } from '../src/command/read-only-programs.js';
import { splitArgv } from './support/argv.js';
import { expandedCommand, expandedPathWord, expandsOnHost } from './support/expand-argv.js';
import { runTimes, unstrippedStreams } from './support/run-times.js';
import { guardFacts, guardReason, observeGuards, type GuardFacts } from './support/run-guard.js';

const params = z
  .strictObject({
    cmd: z.string().min(1).optional().describe('The command line: a program and its arguments, quoted as in sh. Also given free-form: `command: ls -l`.'),
    argv: z.array(z.string()).min(1).optional().describe('The program and its arguments as a list (instead of cmd); nothing is split or interpreted.'),
    chdir: z.string().optional().describe('Change into this directory first.'),
    creates: z.string().optional().describe('Do not run when this path or glob pattern matches (relative to chdir), as glob.glob in Ansible.'),
    removes: z.string().optional().describe('Run only when this path or glob pattern matches (relative to chdir).'),
    stdin: z.string().optional().describe('Text fed to the command on stdin.'),
    stdin_add_newline: z.boolean().default(true).describe('Append a newline to stdin.'),
    strip_empty_ends: z.boolean().default(true).describe('Remove trailing newlines from stdout and stderr (false: registered as printed).'),
    executable: z.string().optional().describe("Accepted and not used, with Ansible's warning (command runs no shell; use shell)."),
  })
  .superRefine((p, context) => {
    if ((p.cmd === undefined) === (p.argv === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of cmd (or the free-form string) and argv' });
      return;
    }
    if (p.cmd === undefined) return;
    const split = splitArgv(p.cmd, { dollar: 'word' });
    if (split.kind === 'shell-syntax') {
      context.addIssue({
        code: 'custom',
        path: ['cmd'],
        message: `'${split.character}' is shell syntax and command runs no shell — use the shell module, or quote it ('${split.character}') to pass it as a word`,
      });
    } else if (split.kind === 'unterminated') {
      context.addIssue({ code: 'custom', path: ['cmd'], message: `unterminated ${split.quote} quote in the command` });
    }
  });

type Params = z.output<typeof params>;

/** The words to run: argv as given, or cmd split as sh would (validated at load). */
export function commandWords(p: Params): string[] {
  if (p.argv !== undefined) return p.argv;
  const split = splitArgv(p.cmd ?? '', { dollar: 'word' });
  return split.kind === 'words' ? split.words : [];
}

/** `cd DIR || exit` before the command when chdir is set. */
export function inDirectory(command: Command, chdir: string | undefined): Command {
  if (chdir === undefined) return command;
  // chdir is type='path' (check_type_path): $NAME and a leading ~ are expanded on the host first.
  const enter = expandsOnHost(chdir) ? { text: `${expandedPathWord(chdir).text}\ncd "$w" || exit`, display: `cd ${chdir} || exit` } : sh`cd ${chdir} || exit`;
  return joinCommands([enter, command], ';');
}

/** Run the words unless a creates/removes guard says the work is done. */
export function planCommand(p: Params, facts: GuardFacts): Plan {
  const words = commandWords(p);
  const reason = guardReason(p, facts);
  if (reason !== undefined) {
    return { steps: [{ kind: 'noop', reason }], values: { cmd: words, rc: 0, stdout: reason, stderr: '', stdout_lines: [reason], stderr_lines: [] } };
  }
  const stdin = p.stdin === undefined ? undefined : `${p.stdin}${p.stdin_add_newline ? '\n' : ''}`;
  const command = inDirectory(expandedCommand(words), p.chdir);
  // As Ansible's command module since 2.4: the parameter is taken, warned about, and not used.
  const notes = p.executable === undefined ? [] : [`[WARNING]: As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${p.executable}'.`];
  return { steps: [{ kind: 'change', summary: `run ${sh`${words}`.display}`, actions: [{ kind: 'run', command, ...(stdin === undefined ? {} : { stdin }) }] }], ...(notes.length === 0 ? {} : { notes }) };
}

/**
 * The plan's command when it runs on every call and only reads the host: no creates/removes (their
 * guard is read at the task's turn), no stdin, no chdir, a program and form of read-only-programs.ts.
 */
export function readOnlyRun(p: Params): Command | undefined {
  if (p.creates !== undefined || p.removes !== undefined || p.stdin !== undefined || p.chdir !== undefined) return undefined;
  const words = commandWords(p);
  // A word the host expands is only known when it runs.
  return isReadOnlyCommand(words) && !words.some(expandsOnHost) ? sh`${words}` : undefined;
}

export default defineModule({
  name: 'command',
  summary: 'Run a program with arguments on the host, without a shell',
  description:
    'Reports changed whenever it runs the program; `creates`/`removes` make it idempotent (skipped when ' +
    'the path exists / does not exist, also in --check). Words are quoted for /bin/sh, so globs reach ' +
    'the program literally, as in Ansible; $NAME, ${NAME} (from the environment the program runs in; ' +
    'unset: left as written) and a leading ~ or ~USER are expanded in every word, quoted or not, as ' +
    "Ansible's run_command expands them. Unquoted shell syntax (| & ; < > ( ) `) is refused at load " +
    'time rather than passed on, since it never does what was meant — use `shell`. ' +
    'Registers rc, stdout, stderr, stdout_lines, stderr_lines and cmd. A non-zero exit fails the task.',
  params,
  example: `- name: Initialise vm-bhyve once
  command: vm init
  args:
    creates: /vms/.config/system.conf

- name: Read the loaded modules
  command:
    argv: [kldstat, -q, -m, vmm]
  register: vmm`,
  needs: (p) => guardFacts(p),
  readsOnly: (p) => readOnlyRun(p),
  async observe(host, p) {
    return observeGuards(host, p);
  },
  plan({ params: p, facts }) {
    return planCommand(p, facts);
  },
  register({ params: p, results }) {
    return { ...runTimes(results, Date.now()), ...(p.strip_empty_ends ? {} : unstrippedStreams(results)) };
  },
});
