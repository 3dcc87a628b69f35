// wait_for: wait until a TCP port accepts connections (or refuses them, or has no connections
// left), a file exists (with a regular expression in it) or is gone, or simply for some seconds —
// Ansible's wait_for, probed ON THE HOST with FreeBSD's nc(1), sockstat(1) and test(1). Waiting
// changes nothing, so the task is ok (never changed); the wait happens only when applying: in
// --check the task says what it would wait for (Ansible skips wait_for in check mode).
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { fileContentFact } from '../src/facts/file-content.js';
import { defineModule, type ApplyContext, type Plan } from '../src/module-api/module.js';
import type { Clock } from './reboot.js';

const seconds = z.number().int().nonnegative();

/** A JavaScript regular expression, checked at load time. */
const regexParam = z.string().superRefine((value, context) => {
  try {
    new RegExp(value, 'm');
  } catch (error) {
    context.addIssue({ code: 'custom', message: `Invalid regular expression: ${(error as Error).message}` });
  }
});

const params = z
  .strictObject({
    host: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'a host name or address').default('127.0.0.1').describe('The address to connect to, from the managed host.'),
    port: z.number().int().min(1).max(65535).optional().describe('A TCP port to wait for.'),
    path: z.string().min(1).optional().describe('A file to wait for (state present/started) or to be gone (absent).'),
    search_regex: regexParam.optional().describe('With path: wait until the file matches it (multiline). With port: until what the server sends matches it (a banner).'),
    state: z.enum(['started', 'present', 'stopped', 'absent', 'drained']).default('started').describe('started/present: port open or file there; stopped: port closed; absent: file gone; drained: no active connections on port.'),
    timeout: seconds.default(300).describe('Seconds to wait at most.'),
    delay: seconds.default(0).describe('Seconds before the first check.'),
    sleep: seconds.default(1).describe('Seconds between checks.'),
    connect_timeout: seconds.default(5).describe('Seconds each connection attempt may take (nc -w).'),
    exclude_hosts: z.array(z.string()).optional().describe('drained: foreign addresses whose connections do not count.'),
    msg: z.string().optional().describe('The failure message instead of the default.'),
  })
  .superRefine((p, context) => {
    if (p.port !== undefined && p.path !== undefined) context.addIssue({ code: 'custom', message: 'port and path parameter can not both be passed to wait_for' });
    if (p.path !== undefined && p.state === 'stopped') context.addIssue({ code: 'custom', message: 'state=stopped should only be used for checking a port in the wait_for module' });
    if (p.path !== undefined && p.state === 'drained') context.addIssue({ code: 'custom', message: 'state=drained should only be used for checking a port in the wait_for module' });
    if (p.exclude_hosts !== undefined && p.state !== 'drained') context.addIssue({ code: 'custom', message: 'exclude_hosts should only be with state=drained' });
    if (p.state === 'drained' && p.port === undefined) context.addIssue({ code: 'custom', path: ['port'], message: 'state=drained needs a port' });
  });

type Params = z.output<typeof params>;

/** What one probe found: the condition holds (with the match), or not yet. */
export type ProbeResult = { readonly done: true; readonly match?: RegExpExecArray } | { readonly done: false };

/** The one /bin/sh command of a probe. */
export function probeCommand(p: Params): Command {
  if (p.path !== undefined) {
    if (p.state === 'absent') return sh`[ -e ${p.path} ] && echo present || echo absent`;
    if (p.search_regex !== undefined) return fileContentFact(p.path).command;
    return sh`[ -e ${p.path} ] && echo present || echo absent`;
  }
  const port = p.port ?? 0;
  if (p.state === 'drained') return sh`sockstat -4 -6 -c -P tcp -p ${port}`;
  if (p.search_regex !== undefined && p.state !== 'stopped') return sh`nc -w ${p.connect_timeout} ${p.host} ${port} </dev/null`;
  return sh`nc -z -w ${p.connect_timeout} ${p.host} ${port}`;
}

/** Ansible's active connections (drained): sockstat rows with PORT as the local port, foreign not excluded. */
export function activeConnections(stdout: string, p: Params): number {
  const excluded = new Set(p.exclude_hosts ?? []);
  return stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 7)
    .filter(([, , , , , local = '', foreign = '']) => local.endsWith(`:${p.port ?? 0}`) && foreign !== '*:*' && !excluded.has(foreign.replace(/:\d+$/, ''))).length;
}

/** Read a probe's output: is the condition met? */
export function readProbe(p: Params, result: { readonly stdout: string; readonly stderr: string; readonly exitCode: number }): ProbeResult {
  const regex = p.search_regex === undefined ? undefined : new RegExp(p.search_regex, 'm');
  if (p.path !== undefined) {
    if (p.state === 'absent') return { done: result.stdout.trim() === 'absent' };
    if (regex === undefined) return { done: result.stdout.trim() === 'present' };
    const content = fileContentFact(p.path).parse(result);
    if (content.kind !== 'file') return { done: false };
    const match = regex.exec(content.content.toString('utf8'));
    return match === null ? { done: false } : { done: true, match };
  }
  if (p.state === 'drained') return { done: result.exitCode === 0 && activeConnections(result.stdout, p) === 0 };
  if (p.state === 'stopped') return { done: result.exitCode !== 0 };
  if (regex === undefined) return { done: result.exitCode === 0 };
  const match = regex.exec(result.stdout);
  return match === null ? { done: false } : { done: true, match };
}

/** What the task waits for, for the plan's summary and the failure message. */
function failureMessage(p: Params): string {
  if (p.msg !== undefined) return p.msg;
  const where = `${p.host}:${p.port ?? ''}`;
  if (p.path !== undefined) {
    if (p.state === 'absent') return `Timeout when waiting for ${p.path} to be absent.`;
    return p.search_regex === undefined ? `Timeout when waiting for file ${p.path}` : `Timeout when waiting for search string ${p.search_regex} in ${p.path}`;
  }
  if (p.state === 'stopped') return `Timeout when waiting for ${where} to stop.`;
  if (p.state === 'drained') return `Timeout when waiting for ${where} to drain`;
  return p.search_regex === undefined ? `Timeout when waiting for ${where}` : `Timeout when waiting for search string ${p.search_regex} in ${where}`;
}

function describeWait(p: Params): string {
  if (p.path !== undefined) return p.state === 'absent' ? `${p.path} to be absent` : p.search_regex === undefined ? `file ${p.path}` : `/${p.search_regex}/ in ${p.path}`;
  if (p.port !== undefined) return `${p.host}:${p.port} to be ${p.state === 'present' ? 'started' : p.state}${p.search_regex === undefined ? '' : ` and send /${p.search_regex}/`}`;
  return `${p.timeout} s`;
}

/** Ansible's result keys. */
function resultValues(p: Params, elapsed: number, match: RegExpExecArray | undefined): Record<string, unknown> {
  return {
    state: p.state,
    port: p.port ?? null,
    path: p.path ?? null,
    search_regex: p.search_regex ?? null,
    match_groups: match === undefined ? [] : match.slice(1),
    match_groupdict: match?.groups === undefined ? {} : { ...match.groups },
    elapsed,
  };
}

/** One step: wait (the runner applies it; --check only reports it). */
export function planWaitFor(p: Params): Plan {
  return { steps: [{ kind: 'change', summary: `wait for ${describeWait(p)} (up to ${p.timeout} s)`, actions: [] }] };
}

/** Poll until the condition holds or the timeout passes; never a change. */
export async function waitFor(context: Pick<ApplyContext, 'run'>, p: Params, clock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) }) {
  const started = clock.now();
  const elapsed = () => Math.floor((clock.now() - started) / 1000);
  if (p.delay > 0) await clock.sleep(p.delay * 1000);
  if (p.port === undefined && p.path === undefined) {
    await clock.sleep(p.timeout * 1000);
    return { changed: false, values: resultValues(p, elapsed(), undefined) };
  }
  const end = started + p.timeout * 1000;
  const command = probeCommand(p);
  while (clock.now() < end) {
    const probe = readProbe(p, await context.run(command));
    if (probe.done) return { changed: false, values: resultValues(p, elapsed(), probe.match) };
    await clock.sleep(Math.max(0, Math.min(p.sleep * 1000, end - clock.now())));
  }
  return { changed: false, failure: failureMessage(p), values: { elapsed: elapsed() } };
}

export default defineModule({
  name: 'wait_for',
  summary: 'Wait for a port, a file or a string in it, or some seconds, on the host',
  description:
    "Ansible's wait_for, checked on the managed host with its base tools: `nc -z -w connect_timeout HOST PORT` " +
    '(started/stopped), `nc -w` reading the banner (port with search_regex), `sockstat -46c -P tcp -p PORT` ' +
    '(drained: no connected socket on local PORT, exclude_hosts left out), `test -e` (path ' +
    'present/absent) and the file read as bytes for search_regex (multiline, JavaScript syntax). After `delay`, ' +
    'probes every `sleep` seconds for up to `timeout`; without port or path it waits `timeout` seconds. Never ' +
    "changed; fails with Ansible's message (or msg) on timeout. Registers state, port, path, search_regex, " +
    'match_groups, match_groupdict and elapsed. In --check nothing waits and the task reports the wait it ' +
    'would do (Ansible skips it). Difference: no active_connection_states (sockstat -c lists every connected state).',
  params,
  example: `- name: sshd answers on the new jail
  wait_for:
    host: 192.168.1.225
    port: 22
    search_regex: OpenSSH
    timeout: 60`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: p }) {
    return planWaitFor(p);
  },
  async apply(context, { params: p }) {
    return waitFor(context, p);
  },
});
