// vbotka.freebsd.service: one `service SCRIPT COMMAND` of vbotka's FreeBSD collection (version
// 0.8.25, plugins/modules/service.py), the module 304 tasks of its roles call. Read-only commands
// (rcvar, status, enabled, describe, extracommands; list_enabled's `service -e`) are facts;
// start and stop act only when the status says they would change it, enable and disable only when
// `service SCRIPT enabled` says so; other commands (restart, reload, keygen…) always run.
// docs/freebsd/pkg-service.md says what rc.subr does with each, and what differs from vbotka's.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import type { Fact } from '../src/facts/fact.js';
import { enabledServicesFact, rcScriptOutputFact, type RcScriptOutput } from '../src/facts/rc-script-output.js';
import { MISSING_SCRIPT, serviceCall, serviceStatusFact, type ServiceStatus } from '../src/facts/service-status.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

/** An rc.d script's name, as service(8) looks it up in /etc/rc.d and local_startup. */
const SCRIPT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const params = z
  .strictObject({
    script: z.string().regex(SCRIPT_NAME, 'an rc.d script name such as sshd').optional().describe('The rc.d script (required unless list_enabled).'),
    command: z.string().regex(/^[A-Za-z0-9_]+$/, 'an rc.d command such as start or onestatus').optional().describe('The rc.d command, with its rc.subr prefix (fast, force, one, quiet) if any.'),
    jail: z.union([z.string().min(1), z.number().int()]).transform(String).optional().describe('Name or jid of a running jail: the command runs inside it (service -j), as with the task keyword jail:.'),
    list_enabled: z.boolean().default(false).describe('List the enabled services (service -e) and nothing else.'),
    wait: z.number().min(0).default(0.5).describe('Seconds to wait after start or stop before the status is read again.'),
    synopsis: z.boolean().default(false).describe("vbotka's synopsis (the script's usage line): not supported, refused when true."),
  })
  .superRefine((p, context) => {
    if (p.synopsis) context.addIssue({ code: 'custom', path: ['synopsis'], message: 'synopsis is not supported by beastie (it runs the rc.d script without a command to read its usage line)' });
    if (p.list_enabled) return;
    if (p.script === undefined) context.addIssue({ code: 'custom', path: ['script'], message: 'Script is required.' });
    else if (p.command === undefined) context.addIssue({ code: 'custom', path: ['command'], message: `Command is required for script ${p.script}.` });
  });

type Params = z.output<typeof params>;

/** rc.subr's command prefixes (run_rc_command): fast, force, one, quiet. */
const PREFIX = /^(fast|force|one|quiet)/;

/** A command split into its rc.subr prefix and the verb run_rc_command dispatches on. */
export function rcVerb(command: string): { readonly prefix: string; readonly verb: string } {
  const prefix = PREFIX.exec(command)?.[1] ?? '';
  return { prefix, verb: command.slice(prefix.length) };
}

/** What the module does with a command, by its verb. */
export type CommandKind = 'read' | 'start' | 'stop' | 'enable' | 'disable' | 'other';

/** Commands rc.subr answers without changing anything. */
const READ_VERBS = new Set(['status', 'rcvar', 'enabled', 'describe', 'extracommands']);

export function commandKind(command: string): CommandKind {
  const { verb } = rcVerb(command);
  if (READ_VERBS.has(verb)) return 'read';
  if (verb === 'start' || verb === 'stop' || verb === 'enable' || verb === 'disable') return verb;
  return 'other';
}

/**
 * Whether rc.subr checks the script's rcvar before running the command: without the `one` or
 * `force` prefix, every command but rcvar, stop, delete, enable, describe and status is refused
 * ("Cannot 'start' NAME…", exit 0) when the rcvar is not YES (run_rc_command in rc.subr).
 */
export function checksRcvar(command: string): boolean {
  const { prefix, verb } = rcVerb(command);
  return prefix !== 'one' && prefix !== 'force' && !['rcvar', 'stop', 'delete', 'enable', 'disable', 'describe', 'status', 'enabled', 'extracommands'].includes(verb);
}

/** What the plan reads. */
export interface VbotkaServiceFacts {
  /** The read-only command's own output, or list_enabled's. */
  readonly output?: RcScriptOutput;
  /** `service SCRIPT onestatus`, for start and stop. */
  readonly status?: ServiceStatus;
  /** `service SCRIPT enabled` (rc 0: the rcvar is YES), for enable/disable and the rcvar check. */
  readonly enabled?: RcScriptOutput;
}

/** The facts, in VbotkaServiceFacts' order: output, status, enabled (each only when needed). */
function factsOf(p: Params): { output?: Fact<RcScriptOutput>; status?: Fact<ServiceStatus>; enabled?: Fact<RcScriptOutput> } {
  if (p.list_enabled) return { output: enabledServicesFact };
  const script = p.script ?? '';
  const command = p.command ?? '';
  const kind = commandKind(command);
  const enabled = kind === 'enable' || kind === 'disable' || checksRcvar(command) ? rcScriptOutputFact(script, 'enabled') : undefined;
  return {
    ...(kind === 'read' ? { output: rcScriptOutputFact(script, command) } : {}),
    ...(kind === 'start' || kind === 'stop' ? { status: serviceStatusFact(script) } : {}),
    ...(enabled === undefined ? {} : { enabled }),
  };
}

/** The facts as [field, fact] pairs, so needs and observe read the same list. */
function factEntries(p: Params): [keyof VbotkaServiceFacts, Fact<unknown>][] {
  const f = factsOf(p);
  const entries: [keyof VbotkaServiceFacts, Fact<unknown> | undefined][] = [['output', f.output], ['status', f.status], ['enabled', f.enabled]];
  return entries.filter((entry): entry is [keyof VbotkaServiceFacts, Fact<unknown>] => entry[1] !== undefined);
}

/**
 * The registered value under the command's own name, as vbotka's _parse_command_output gives it:
 * enabled → a boolean; rcvar → the NAME=value lines as a mapping (the text, when rc is 1); status →
 * running, stopped or unknown; a command ending in start or stop → its message line ('void' when
 * it printed nothing); anything else 'Not parsed.'.
 */
export function parsedOutput(script: string, command: string, output: RcScriptOutput): unknown {
  const data = output.rc === 0 ? output.stdout : output.stderr;
  if (command.endsWith('enabled')) return output.rc === 0;
  if (command.endsWith('rcvar')) {
    if (output.rc === 1) return data;
    const lines = data.split('\n').filter((line) => line !== '' && !line.startsWith('#') && line.includes('='));
    return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).replace(/^"+|"+$/g, '')]));
  }
  if (command.endsWith('status')) {
    if (output.stdout.startsWith(`${script} is not running`)) return 'stopped';
    if (output.stdout.startsWith(`${script} is running`)) return 'running';
    return 'unknown';
  }
  if (command.endsWith('start') || command.endsWith('stop')) {
    const lines = data.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) return 'void';
    if (lines.length === 1) return lines[0];
    return (lines[1] ?? '').slice(0, -1);
  }
  return 'Not parsed.';
}

/** What a command that rc.subr does not know prints (run_rc_command: "unknown directive"). */
const UNKNOWN = /unknown directive '([^']*)'/;

/** The failure for a read command's output, or undefined when it answered (rc 0 or 1, as vbotka accepts). */
function outputFailure(script: string, command: string, output: RcScriptOutput): string | undefined {
  if (MISSING_SCRIPT.test(output.stdout)) return output.stdout.trim().replace(/\n/g, ' ');
  if (UNKNOWN.test(output.stderr)) return `Command ${command} is not a command of ${script}: ${output.stderr.trim().replace(/\n/g, ' ')}`;
  if (output.rc > 1) return `Command failed. (service ${script} ${command}: rc ${output.rc}: ${output.stderr.trim() || output.stdout.trim()})`;
  return undefined;
}

/** Whether `service SCRIPT enabled` said the rcvar is not YES (rc 1 without a usage message: rc.subr knows the command). */
function notEnabled(enabled: RcScriptOutput | undefined): boolean {
  return enabled !== undefined && enabled.rc !== 0 && !/Usage:|unknown directive/.test(enabled.stderr);
}

/** `service SCRIPT COMMAND`, then `wait` seconds when the status is read again after it (the service's exit code kept). */
export function serviceCommand(p: Params, waits: boolean): Command {
  const call = serviceCall(p.script ?? '', p.command ?? '');
  return waits && p.wait > 0 ? sh`${call}; rc=$?; sleep ${String(p.wait)}; exit $rc` : call;
}

export function planVbotkaService(p: Params, facts: VbotkaServiceFacts): Plan {
  if (p.list_enabled) {
    const output = facts.output ?? { rc: 1, stdout: '', stderr: 'not read' };
    if (output.rc !== 0) return { steps: [], failure: `Command failed. (service -e: rc ${output.rc}: ${output.stderr.trim()})` };
    const stdout = output.stdout.split('\n').filter((line) => line !== '').sort().join('\n');
    return { steps: [{ kind: 'noop', reason: 'service -e lists the enabled services' }], values: { rc: 0, stdout, stderr: output.stderr } };
  }
  const script = p.script ?? '';
  const command = p.command ?? '';
  const kind = commandKind(command);
  if (kind === 'read') {
    const output = facts.output ?? { rc: 1, stdout: '', stderr: 'not read' };
    const failure = outputFailure(script, command, output);
    if (failure !== undefined) return { steps: [], failure };
    return {
      steps: [{ kind: 'noop', reason: `service ${script} ${command} changes nothing` }],
      values: { rc: 0, stdout: output.stdout, stderr: output.stderr, [command]: parsedOutput(script, command, output) },
    };
  }
  if (facts.status?.kind === 'missing') return { steps: [], failure: facts.status.output.replace(/\n/g, ' ') };
  const enabled = facts.enabled;
  if (enabled !== undefined && MISSING_SCRIPT.test(enabled.stdout)) return { steps: [], failure: enabled.stdout.trim().replace(/\n/g, ' ') };
  const running = facts.status?.kind === 'running';
  if (kind === 'start' && running) return { steps: [{ kind: 'noop', reason: `${script} is running` }] };
  if (kind === 'stop' && facts.status !== undefined && !running) return { steps: [{ kind: 'noop', reason: `${script} is not running` }] };
  if (kind === 'enable' && enabled?.rc === 0) return { steps: [{ kind: 'noop', reason: `${script} is enabled` }] };
  if (kind === 'disable' && notEnabled(enabled)) return { steps: [{ kind: 'noop', reason: `${script} is not enabled` }] };
  if (checksRcvar(command) && notEnabled(enabled)) {
    return { steps: [{ kind: 'noop', reason: `${script} is not enabled: rc.subr refuses '${command}' (use one${rcVerb(command).verb})` }] };
  }
  const waits = kind === 'start' || kind === 'stop';
  const before = kind === 'start' || kind === 'stop' ? (running ? 'running\n' : 'stopped\n') : kind === 'enable' || kind === 'disable' ? (enabled?.rc === 0 ? 'enabled\n' : 'not enabled\n') : undefined;
  const after = kind === 'start' ? 'running\n' : kind === 'stop' ? 'stopped\n' : kind === 'enable' ? 'enabled\n' : kind === 'disable' ? 'not enabled\n' : undefined;
  return {
    steps: [
      {
        kind: 'change',
        summary: `service ${script} ${command}`,
        // vbotka's module takes exit code 1 for an answer ("already running?", "not running?").
        actions: [{ kind: 'run', command: serviceCommand(p, waits), okExitCodes: [0, 1] }],
        ...(before === undefined || after === undefined ? {} : { diff: { header: `service ${script}`, before, after } }),
      },
    ],
  };
}

/** After start or stop: the status read again says the service got there, or says why not. */
export function verifyVbotkaService(p: Params, facts: VbotkaServiceFacts, ran: RcScriptOutput | undefined): string | undefined {
  const unknown = ran === undefined ? undefined : UNKNOWN.exec(ran.stderr);
  if (unknown) return `Command ${p.command ?? ''} is not a command of ${p.script ?? ''}: ${ran?.stderr.trim().replace(/\n/g, ' ') ?? ''}`;
  const kind = commandKind(p.command ?? '');
  if (facts.status === undefined || (kind !== 'start' && kind !== 'stop')) return undefined;
  const running = facts.status.kind === 'running';
  if (kind === 'start' && !running) return `${p.script ?? ''} is not running after service ${p.script ?? ''} ${p.command ?? ''}: ${facts.status.output}`;
  if (kind === 'stop' && running) return `${p.script ?? ''} is still running after service ${p.script ?? ''} ${p.command ?? ''}: ${facts.status.output}`;
  return undefined;
}

export default defineModule({
  name: 'vbotka_service',
  summary: "vbotka.freebsd.service: run one rc.d command (service SCRIPT COMMAND), as vbotka's FreeBSD collection does",
  description:
    "vbotka's FreeBSD collection's service module (0.8.25): `service SCRIPT COMMAND`, inside `jail` when given. " +
    'Read-only commands (rcvar, status, enabled, describe, extracommands, with any prefix) run as facts, also under ' +
    '--check, and register rc 0, stdout, stderr and the parsed value under the command\'s name (rcvar: a mapping; ' +
    'status: running/stopped/unknown; enabled: a boolean). list_enabled registers `service -e`, sorted. start/stop ' +
    '(any prefix) run only when `service SCRIPT onestatus` says they would change it, wait `wait` seconds and read ' +
    'the status again; enable/disable run only when `service SCRIPT enabled` says so; a command rc.subr refuses ' +
    'because the rcvar is not YES (start, restart, reload without one/force) is not run; other commands always run ' +
    'and report changed. Exit code 1 is an answer, as in vbotka\'s module. Differences from vbotka\'s: changed is ' +
    'decided before the command from the status (vbotka compares the status text before and after, so a restart that ' +
    'changes the pid is changed and a reload is not; here both are); no `state` pre/post, no `env` (service -E), no ' +
    '`synopsis`, and commands are not checked against the script\'s usage line first (rc.subr\'s "unknown directive" ' +
    'fails the task instead).',
  params,
  example: `- name: Restart sshd
  vbotka.freebsd.service:
    script: sshd
    command: restart`,
  jail: (p) => p.jail,
  needs: (p) => factEntries(p).map(([, fact]) => fact),
  async observe(host, p): Promise<VbotkaServiceFacts> {
    const entries = factEntries(p);
    const values = await host.facts(...entries.map(([, fact]) => fact));
    return Object.fromEntries(entries.map(([field], i) => [field, values[i]])) as VbotkaServiceFacts;
  },
  plan({ params: p, facts }) {
    return planVbotkaService(p, facts);
  },
  verify({ params: p, facts, results }) {
    const ran = results[0];
    return verifyVbotkaService(p, facts, ran === undefined ? undefined : { rc: ran.exitCode, stdout: ran.stdout, stderr: ran.stderr });
  },
  register({ params: p, results }) {
    const ran = results[0];
    if (ran === undefined || p.script === undefined || p.command === undefined) return {};
    return { rc: 0, [p.command]: parsedOutput(p.script, p.command, { rc: ran.exitCode, stdout: ran.stdout, stderr: ran.stderr }) };
  },
});
