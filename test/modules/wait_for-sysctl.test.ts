import { describe, expect, it } from 'vitest';
import sysctl, { fileValue, fixLines, planSysctl, sameValue } from '../../modules/sysctl.js';
import wait_for, { activeConnections, planWaitFor, probeCommand, readProbe, waitFor } from '../../modules/wait_for.js';
import type { CommandResult } from '../../src/transport/transport.js';

const w = (p: Record<string, unknown>) => wait_for.params.parse(p);
const out = (stdout: string, exitCode = 0) => ({ stdout, stderr: '', exitCode });

describe('wait_for probes', () => {
  it.each([
    ['a port', { port: 22 }, 'nc -z -w 5 127.0.0.1 22'],
    ['a banner', { port: 22, host: '10.0.0.2', search_regex: 'OpenSSH', connect_timeout: 2 }, 'nc -w 2 10.0.0.2 22 </dev/null'],
    ['a port stopped', { port: 8080, state: 'stopped' }, 'nc -z -w 5 127.0.0.1 8080'],
    ['drained', { port: 80, state: 'drained' }, 'sockstat -4 -6 -c -P tcp -p 80'],
    ['a file', { path: '/var/run/x.pid' }, "[ -e /var/run/x.pid ] && echo present || echo absent"],
    ['a file gone', { path: '/tmp/lock', state: 'absent' }, "[ -e /tmp/lock ] && echo present || echo absent"],
  ])('%s', (_name, p, expected) => {
    expect(probeCommand(w(p)).text).toBe(expected);
  });

  it('reads what the probes print', () => {
    expect(readProbe(w({ port: 22 }), out('', 0))).toEqual({ done: true });
    expect(readProbe(w({ port: 22 }), out('', 1))).toEqual({ done: false });
    expect(readProbe(w({ port: 22, state: 'stopped' }), out('', 1))).toEqual({ done: true });
    expect(readProbe(w({ port: 22, search_regex: 'OpenSSH_(\\d+)' }), out('SSH-2.0-OpenSSH_9.2\r\n'))).toMatchObject({ done: true, match: expect.arrayContaining(['OpenSSH_9', '9']) });
    expect(readProbe(w({ path: '/f', search_regex: '^ready (?<n>\\w+)$' }), out('file\n 61 0a 72 65 61 64 79 20 6f 6b 0a\n'))).toMatchObject({ done: true });
    expect(readProbe(w({ path: '/f', search_regex: 'ready' }), out('absent\n'))).toEqual({ done: false });
    expect(readProbe(w({ path: '/f', state: 'absent' }), out('absent\n'))).toEqual({ done: true });
  });

  it('drained counts connections to the local port, not listeners or excluded hosts', () => {
    const table = 'USER COMMAND PID FD PROTO LOCAL FOREIGN\n? ? ? ? tcp4 10.0.0.1:80 10.0.0.9:5000\n? ? ? ? tcp4 10.0.0.1:80 10.0.0.8:5001\n? ? ? ? tcp4 10.0.0.1:5002 10.0.0.7:80\n';
    expect(activeConnections(table, w({ port: 80, state: 'drained' }))).toBe(2);
    expect(activeConnections(table, w({ port: 80, state: 'drained', exclude_hosts: ['10.0.0.9'] }))).toBe(1);
  });

  it('refuses what Ansible refuses, with its messages', () => {
    expect(() => w({ port: 1, path: '/x' })).toThrow(/port and path parameter can not both be passed to wait_for/);
    expect(() => w({ path: '/x', state: 'stopped' })).toThrow(/state=stopped should only be used for checking a port/);
    expect(() => w({ port: 1, exclude_hosts: ['a'] })).toThrow(/exclude_hosts should only be with state=drained/);
    expect(() => w({ path: '/x', search_regex: '(' })).toThrow(/Invalid regular expression/);
  });
});

describe('wait_for polling (a fake clock, no real waiting)', () => {
  const clock = () => {
    let now = 0;
    return { now: () => now, sleep: async (ms: number) => { now += ms; } };
  };
  const runner = (outputs: number[]) => ({ run: async () => ({ stdout: '', stderr: '', exitCode: outputs.shift() ?? 1 }) as unknown as CommandResult });

  it('ok once the port opens, with Ansible\'s keys and the elapsed seconds', async () => {
    const outcome = await waitFor(runner([1, 1, 0]), w({ port: 22, delay: 2 }), clock());
    expect(outcome).toEqual({ changed: false, values: { state: 'started', port: 22, path: null, search_regex: null, match_groups: [], match_groupdict: {}, elapsed: 4 } });
  });

  it('fails with Ansible\'s message, or msg, after timeout', async () => {
    expect(await waitFor(runner([]), w({ port: 22, timeout: 3 }), clock())).toEqual({ changed: false, failure: 'Timeout when waiting for 127.0.0.1:22', values: { elapsed: 3 } });
    expect((await waitFor(runner([]), w({ port: 22, timeout: 1, msg: 'no sshd' }), clock())).failure).toBe('no sshd');
    expect((await waitFor(runner([]), w({ path: '/f', timeout: 1 }), clock())).failure).toBe('Timeout when waiting for file /f');
    expect((await waitFor(runner([0, 0]), w({ port: 8, state: 'stopped', timeout: 1 }), clock())).failure).toBe('Timeout when waiting for 127.0.0.1:8 to stop.');
  });

  it('without port or path it sleeps timeout seconds; the plan is one wait step', async () => {
    expect((await waitFor(runner([]), w({ timeout: 7 }), clock())).values).toMatchObject({ elapsed: 7 });
    expect(planWaitFor(w({ port: 22 })).steps).toEqual([{ kind: 'change', summary: 'wait for 127.0.0.1:22 to be started (up to 300 s)', actions: [] }]);
  });
});

describe('sysctl', () => {
  const s = (p: Record<string, unknown>) => sysctl.params.parse({ name: 'net.link.tap.up_on_open', ...p });
  const facts = (text: string | undefined, running: string | undefined) => ({
    content: text === undefined ? { kind: 'absent' as const } : { kind: 'file' as const, content: Buffer.from(text) },
    stat: text === undefined ? undefined : { type: 'file' as const, mode: 0o644, owner: 'root', group: 'wheel', size: text.length },
    running: { value: running, error: running === undefined ? "sysctl: unknown oid 'x'" : '' },
  });
  const view = (plan: ReturnType<typeof planSysctl>) =>
    plan.failure ?? plan.steps.flatMap((st) => (st.kind === 'noop' ? [`noop: ${st.reason}`] : st.actions.map((a) => (a.kind === 'run' ? a.command.text : `put ${a.path}: ${String(a.content)}`))));

  it('file lines as ansible.posix fixes them', () => {
    expect(fixLines('# c\na=1\nnet.link.tap.up_on_open=0\nnet.link.tap.up_on_open = 0\n', s({ value: 1 }))).toBe('# c\na=1\nnet.link.tap.up_on_open=1\n');
    expect(fixLines('a=1', s({ value: '1' }))).toBe('a=1\nnet.link.tap.up_on_open=1\n');
    expect(fixLines('net.link.tap.up_on_open=1\nb=2\n', s({ state: 'absent' }))).toBe('b=2\n');
    expect(fixLines('', s({ value: '0', sysctl_file: '/boot/loader.conf' }))).toBe('net.link.tap.up_on_open="0"\n');
    expect(fileValue('x=1\nx = 2\n', 'x')).toBe('2');
    expect(sameValue('4096  87380 ', '4096 87380')).toBe(true);
  });

  it.each([
    ['writes the file and reloads the value', { value: 1 }, facts('', '0'), ['put /etc/sysctl.conf: net.link.tap.up_on_open=1\n', 'sysctl net.link.tap.up_on_open=1']],
    ['the file is right: nothing, even if the kernel differs', { value: '1' }, facts('net.link.tap.up_on_open=1\n', '0'), ['noop: net.link.tap.up_on_open is 1 in /etc/sysctl.conf']],
    ['sysctl_set: sets the kernel too', { value: '1', sysctl_set: true }, facts('net.link.tap.up_on_open=1\n', '0'), ['noop: net.link.tap.up_on_open is 1 in /etc/sysctl.conf', 'sysctl net.link.tap.up_on_open=1']],
    ['reload off: the file only', { value: '1', reload: false }, facts(undefined, '0'), ['mkdir -p /etc', 'put /etc/sysctl.conf: net.link.tap.up_on_open=1\n']],
    ['an unknown variable fails', { value: '1' }, facts('', undefined), "Invalid sysctl: net.link.tap.up_on_open (sysctl: unknown oid 'x')"],
    ['a loader tunable is written quoted, never set at runtime', { name: 'vm.pmap.pti', value: 0, sysctl_file: '/boot/loader.conf' }, facts('vmm_load="YES"\n', undefined), ['put /boot/loader.conf: vmm_load="YES"\nvm.pmap.pti="0"\n']],
    ['absent', { state: 'absent' }, facts('net.link.tap.up_on_open=1\n', '1'), ['put /etc/sysctl.conf: ']],
  ])('%s', (_name, p, f, expected) => {
    expect(view(planSysctl(s(p), f))).toEqual(expected);
  });

  it('validates at load', () => {
    expect(sysctl.params.parse({ key: 'a.b', val: true })).toMatchObject({ name: 'a.b', value: '1' });
    expect(() => s({})).toThrow(/value cannot be None/);
    expect(() => s({ value: '1 # x' })).toThrow(/newline, #/);
    expect(() => s({ value: '1', sysctl_file: '/boot/loader.conf', sysctl_set: true })).toThrow(/read at boot/);
  });
});
