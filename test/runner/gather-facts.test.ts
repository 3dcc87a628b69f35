// gather_facts (src/runner/gather-facts.ts): one command per host reads every fact, shown as
// Ansible's "Gathering Facts" task; the values become the host's variables; an unreachable host
// leaves the play, a host whose facts cannot be read fails alone, and hosts already out of the
// play are not asked. Over the local connection and scripted transports, without SSH.
import { describe, expect, it } from 'vitest';
import { CommandFailedError } from '../../src/errors.js';
import type { Transport, TransportFactory } from '../../src/transport/transport.js';
import { LocalTransport } from '../../src/transport/local.js';
import { play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';

/** Local transports, except for `broken`, whose every command fails as a shell that cannot start would. */
function brokenFor(broken: string): TransportFactory {
  return {
    open: (settings): Transport => {
      if (settings.host !== broken) return new LocalTransport(settings.host);
      const fail = (): never => {
        throw new CommandFailedError('sh: fork: Resource temporarily unavailable', { host: settings.host });
      };
      return { host: settings.host, run: async () => fail(), put: async () => fail(), get: async () => fail(), close: async () => undefined };
    },
    closeAll: async () => undefined,
  };
}

describe('gather_facts', () => {
  it('reads every fact in ONE command per host', async () => {
    const run = await runPlays([play([], { gatherFacts: true })], localInventory({ h1: {}, h2: {} }), { record: true });
    expect(run.transports.runs.map((r) => r.host)).toEqual(['h1', 'h2']);
    const batch = run.transports.runs[0]?.command ?? '';
    for (const tool of ['freebsd-version -k', 'freebsd-version -u', 'uname -r', 'uname -m', 'hostname', 'kern.securelevel', 'kldstat', 'jls', 'hw.ncpu', 'hw.physmem', 'kern.boottime']) {
      expect(batch).toContain(tool);
    }
    // The recording transport prints nothing, so the batch cannot be split: a bug-class error, exit 250.
    expect(run.exitCode).toBe(250);
    expect(statuses(run, 'Gathering Facts')).toEqual({ h1: 'failed', h2: 'failed' });
  });

  it('the facts become the host\'s variables, under their beastie_ and Ansible names; facts Linux cannot give are absent', async () => {
    const run = await runPlays([play([task('t_debug', { msg: '{{ beastie_hostname }} {{ ansible_hostname }}' }, { name: 'facts' })], { gatherFacts: true })], localInventory({ h1: {} }));
    expect(statuses(run, 'Gathering Facts')).toEqual({ h1: 'ok' });
    const gathered = run.reporter.of('task_result').find((e) => e.task === 'Gathering Facts');
    expect(gathered?.msg).toMatch(/^\d+ facts$/);
    expect(String(run.reporter.of('task_result').find((e) => e.task === 'facts')?.values?.['msg'])).toMatch(/\S+ \S+/);
    expect(run.exitCode).toBe(0);
  });

  it('one task_start for the hosts asked, then a result per host', async () => {
    const run = await runPlays([play([], { gatherFacts: true })], localInventory({ h1: {}, h2: {} }));
    const starts = run.reporter.of('task_start').filter((e) => e.task === 'Gathering Facts');
    expect(starts.map((e) => e.hosts)).toEqual([['h1', 'h2']]);
    expect(statuses(run, 'Gathering Facts')).toEqual({ h1: 'ok', h2: 'ok' });
  });

  it('without gather_facts nothing is gathered', async () => {
    const run = await runPlays([play([task('t_debug', { msg: 'x' }, { name: 'only' })])], localInventory({ h1: {} }), { record: true });
    expect(run.reporter.of('task_start').map((e) => e.task)).toEqual(['only']);
    expect(run.transports.runs).toEqual([]);
  });

  it('a host unreachable while gathering facts leaves the play', async () => {
    const run = await runPlays([play([task('t_debug', { msg: 'x' }, { name: 'after' })], { gatherFacts: true })], localInventory({ h1: {}, h2: {} }), { down: ['h2'] });
    expect(statuses(run, 'Gathering Facts')).toEqual({ h1: 'ok', h2: 'unreachable' });
    expect(run.reporter.of('host_unreachable')).toMatchObject([{ host: 'h2', task: 'Gathering Facts', reason: 'refused' }]);
    expect(statuses(run, 'after')).toEqual({ h1: 'ok' });
    expect(run.exitCode).toBe(4);
  });

  it('a host whose facts cannot be read fails alone, with the reason; the next play does not ask it again', async () => {
    const run = await runPlays(
      [play([task('t_debug', { msg: 'x' }, { name: 'after' })], { gatherFacts: true }), play([task('t_debug', { msg: 'y' }, { name: 'next play' })], { gatherFacts: true })],
      localInventory({ h1: {}, h2: {} }),
      { transports: brokenFor('h2') },
    );
    expect(statuses(run, 'Gathering Facts')).toEqual({ h1: 'ok', h2: 'failed' });
    const failed = run.reporter.of('task_result').find((e) => e.task === 'Gathering Facts' && e.host === 'h2');
    expect(failed?.msg).toBe('sh: fork: Resource temporarily unavailable');
    expect(run.reporter.of('host_unreachable')).toEqual([]);
    expect(statuses(run, 'after')).toEqual({ h1: 'ok' });
    // The second play gathers on h1 only: h2 failed in the first.
    expect(run.reporter.of('task_start').filter((e) => e.task === 'Gathering Facts').map((e) => e.hosts)).toEqual([['h1', 'h2'], ['h1']]);
    expect(statuses(run, 'next play')).toEqual({ h1: 'ok' });
    // A failed host, not a bug in beastie: exit 2, not 250.
    expect(run.exitCode).toBe(2);
    expect(run.failedHosts).toEqual(['h2']);
  });
});
