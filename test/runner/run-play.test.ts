// One play (src/runner/run-play.ts) called on its own: which hosts it takes, its serial batches
// (each entered through beforeBatch, with what to read ahead), its sections and their handler
// flushes, the stop after a batch that failed entirely, and hosts ended only for this play.
// Commands go to a recording transport (nothing runs); no SSH.
import PQueue from 'p-queue';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/output/events.js';
import type { Play } from '../../src/playbook/types.js';
import { inventoryView } from '../../src/runner/inventory-view.js';
import { runPlay, type PlayInput } from '../../src/runner/run-play.js';
import { RunHost } from '../../src/runner/run-host.js';
import { handler, meta, play, task } from '../fixtures/runner/ast.js';
import { localInventory, RecordingTransport, testServices, type RecordedRun } from '../fixtures/runner/harness.js';

/** Hosts h1..hN over recording transports; the play's input with every event collected. */
function setUp(count: number, overrides: Partial<PlayInput> = {}) {
  const names = Array.from({ length: count }, (_, index) => `h${index + 1}`);
  const runs: RecordedRun[] = [];
  const hosts = new Map(names.map((name) => [name, new RunHost(name, () => new RecordingTransport(name, runs), pino({ enabled: false }))] as const));
  const events: RunEvent[] = [];
  const batches: string[][] = [];
  const input = (thePlay: Play, more: Partial<PlayInput> = {}): PlayInput => ({
    play: thePlay,
    hostNames: names,
    hosts,
    inventory: inventoryView(localInventory(Object.fromEntries(names.map((name) => [name, {}])))),
    services: testServices(),
    options: { check: false, diff: false, verbosity: 0, tags: { only: [], skip: [] }, becomePassword: undefined, signal: undefined },
    extraVars: {},
    optionVars: {},
    playbookDir: '/work/site',
    startAt: { pending: undefined },
    queue: new PQueue({ concurrency: 5 }),
    emit: (event) => void events.push(event),
    delegateHost: (name) => {
      throw new Error(`test: no delegation to ${name}`);
    },
    beforeBatch: async (_play, batch) => void batches.push(batch.map((host) => host.name)),
    ...overrides,
    ...more,
  });
  return { hosts, events, batches, runs, input };
}

const results = (events: readonly RunEvent[], name: string) =>
  events.flatMap((e) => (e.event === 'task_result' && e.task === name ? [`${e.host}:${e.status}`] : []));

describe('run play', () => {
  it('runs serial batches in order, each entered through beforeBatch with its own hosts', async () => {
    const { events, batches, input } = setUp(3);
    const outcome = await runPlay(input(play([task('t_debug', { msg: 'x' }, { name: 'say' })], { serial: [2] })));
    expect(batches).toEqual([['h1', 'h2'], ['h3']]);
    expect(events.filter((e) => e.event === 'batch_start')).toEqual([
      { event: 'batch_start', play: 'test play', batch: 1, hosts: ['h1', 'h2'] },
      { event: 'batch_start', play: 'test play', batch: 2, hosts: ['h3'] },
    ]);
    expect(results(events, 'say')).toEqual(['h1:ok', 'h2:ok', 'h3:ok']);
    expect(events.at(0)).toMatchObject({ event: 'play_start', hosts: ['h1', 'h2', 'h3'] });
    expect(events.at(-1)).toEqual({ event: 'play_end', play: 'test play', untouched: [] });
    expect(outcome).toEqual({ internalErrors: 0, untouched: [] });
  });

  it('leaves out hosts that failed in an earlier play', async () => {
    const { hosts, events, batches, input } = setUp(2);
    hosts.get('h1')?.fail();
    await runPlay(input(play([task('t_debug', { msg: 'x' }, { name: 'say' })])));
    expect(events.at(0)).toMatchObject({ event: 'play_start', hosts: ['h2'] });
    expect(batches).toEqual([['h2']]);
    expect(results(events, 'say')).toEqual(['h2:ok']);
  });

  it('stops after a batch whose every host failed: the later batches are untouched, with a warning', async () => {
    const { events, batches, input } = setUp(3);
    const outcome = await runPlay(input(play([task('t_fail', {}, { name: 'canary' })], { serial: [1] })));
    expect(batches).toEqual([['h1']]);
    expect(outcome.untouched).toEqual(['h2', 'h3']);
    expect(events.filter((e) => e.event === 'warning')).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^every host of batch 1 failed.*2 host\(s\) of the later batches/) })]);
    expect(events.at(-1)).toEqual({ event: 'play_end', play: 'test play', untouched: ['h2', 'h3'] });
  });

  it('end_play ends the hosts for this play only: they take the next play\'s tasks', async () => {
    const { hosts, events, input } = setUp(2);
    await runPlay(input(play([meta('end_play'), task('t_debug', { msg: 'x' }, { name: 'never' })])));
    expect(results(events, 'never')).toEqual([]);
    expect(events.filter((e) => e.event === 'play_end')).toEqual([{ event: 'play_end', play: 'test play', untouched: [] }]);
    expect([...hosts.values()].map((host) => host.status)).toEqual(['active', 'active']);
    const next = await runPlay(input(play([task('t_debug', { msg: 'y' }, { name: 'next play' })])));
    expect(results(events, 'next play')).toEqual(['h1:ok', 'h2:ok']);
    expect(next.untouched).toEqual([]);
  });

  it('a play stopped by max_fail_percentage reports the hosts still active as unfinished', async () => {
    const { events, input } = setUp(2);
    const thePlay = play([task('t_fail', {}, { name: 'one fails', when: ["inventory_hostname == 'h1'"] }), task('t_debug', { msg: 'x' }, { name: 'after' })], { maxFailPercentage: 0 });
    await runPlay(input(thePlay));
    expect(results(events, 'one fails').sort()).toEqual(['h1:failed', 'h2:skipped']);
    expect(results(events, 'after')).toEqual([]);
    expect(events.at(-1)).toEqual({ event: 'play_end', play: 'test play', untouched: [], unfinished: ['h2'] });
  });

  it('an abort before a batch starts leaves it untouched', async () => {
    const controller = new AbortController();
    const { events, input } = setUp(2);
    const base = input(play([task('t_debug', { msg: 'x' }, { name: 'say' })], { serial: [1] }));
    // Ctrl-C once the first batch's task has reported.
    const emit = (event: RunEvent) => (base.emit(event), event.event === 'task_result' ? controller.abort() : undefined);
    const outcome = await runPlay({ ...base, emit, options: { ...base.options, signal: controller.signal } });
    expect(results(events, 'say')).toEqual(['h1:ok']);
    expect(outcome.untouched).toEqual(['h2']);
  });

  it('flushes handlers after each section: a handler notified in pre_tasks runs before the tasks', async () => {
    const { events, runs, input } = setUp(1);
    const thePlay = play([task('t_debug', { msg: 'x' }, { name: 'main task' })], {
      preTasks: [task('t_cmd', { cmd: 'echo pre' }, { name: 'pre', notify: ['restart'] })],
      postTasks: [task('t_cmd', { cmd: 'echo post' }, { name: 'post', notify: ['restart'] })],
      handlers: [handler('t_cmd', { cmd: 'echo restart' }, 'restart')],
    });
    await runPlay(input(thePlay));
    const order = events.flatMap((e) => (e.event === 'task_result' ? [e.task] : []));
    expect(order).toEqual(['pre', 'restart', 'main task', 'post', 'restart']);
    expect(runs.map((run) => run.command).filter((text) => text.includes('echo restart'))).toHaveLength(2);
  });

  it('hands beforeBatch the facts the play\'s tasks declare, per host', async () => {
    const declared: string[][] = [];
    const { input } = setUp(1);
    const thePlay = play([task('t_debug', { msg: 'x' }), task('stat', { path: '/nonexistent/beastie-run-play' }, { name: 'look' })]);
    await runPlay(input(thePlay, { beforeBatch: async (_play, batch, ahead) => void declared.push(...batch.map((host) => ahead.facts(host).map((fact) => fact.key))) }));
    expect(declared).toEqual([[expect.stringContaining('/nonexistent/beastie-run-play')]]);
  });
});
