import { describe, expect, it } from 'vitest';
import { HumanReporter } from '../../src/output/human-reporter.js';
import { painter, wantsColour } from '../../src/output/colour.js';
import { recapLine } from '../../src/output/recap-table.js';
import { unifiedDiff } from '../../src/output/unified-diff.js';
import { JsonReporter } from '../../src/output/json-reporter.js';
import type { RunEvent } from '../../src/output/events.js';
import { elapsed, type ProgressClock } from '../../src/output/progress-board.js';

const source = { file: 'site.yml', line: 12, column: 7 };
const counts = { ok: 2, changed: 1, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };

function render(events: RunEvent[], options: { verbosity?: number; diff?: boolean; isTTY?: boolean } = {}): string {
  let text = '';
  const reporter = new HumanReporter({
    out: { write: (chunk: string) => (text += chunk), isTTY: options.isTTY ?? false },
    colour: false,
    verbosity: options.verbosity ?? 0,
    diff: options.diff ?? false,
  });
  for (const event of events) reporter.emit(event);
  reporter.close();
  return text;
}

describe('HumanReporter (non-TTY)', () => {
  it("prints a host's warnings where they happen and again under the recap", () => {
    const warning = 'guest test runs with its old configuration (memory 2G → 4G): it applies only after vm stop and vm start';
    const text = render([
      { event: 'task_result', host: 'h1', task: 'guest', status: 'ok', source, msg: 'ok', durationMs: 5 },
      { event: 'warning', host: 'h1', msg: warning },
      { event: 'warning', msg: 'a play-level warning' },
      { event: 'recap', hosts: { h1: counts }, durationMs: 10, exitCode: 0 },
    ]);
    expect(text).toContain(`[WARNING] [h1]: ${warning}\n`);
    expect(text).toMatch(new RegExp(`PLAY RECAP[\\s\\S]*\\nWARNINGS:\\n  h1: ${warning.replace(/[()→]/g, '.')}\\n?$`));
    expect(text.split('a play-level warning').length).toBe(2);
  });

  it('prints banners, one line per host, the failure with file:line:column and the recap table', () => {
    const text = render([
      { event: 'play_start', play: 'web', hosts: ['h1', 'h2'], source },
      { event: 'task_start', play: 'web', task: 'load vmm', hosts: ['h1', 'h2'], source, handler: false },
      { event: 'task_result', host: 'h1', task: 'load vmm', status: 'changed', source, msg: 'load vmm', durationMs: 5 },
      { event: 'task_result', host: 'h2', task: 'load vmm', status: 'failed', source, msg: "kldload vmm exited 1:\nkldload: can't load vmm: Operation not permitted", durationMs: 5 },
      { event: 'recap', hosts: { h1: counts, h2: { ...counts, ok: 0, changed: 0, failed: 1 } }, durationMs: 10, exitCode: 2 },
    ]);
    expect(text).toBe(
      [
        '',
        `PLAY [web] ${'*'.repeat(69)}`,
        '',
        `TASK [load vmm] ${'*'.repeat(64)}`,
        'changed: [h1]',
        'fatal: [h2]: FAILED! (site.yml:12:7)',
        '    kldload vmm exited 1:',
        "    kldload: can't load vmm: Operation not permitted",
        '',
        `PLAY RECAP ${'*'.repeat(69)}`,
        'h1                         : ok=2    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ',
        'h2                         : ok=0    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0   ',
        '',
      ].join('\n'),
    );
    expect(text).not.toContain('\u001b');
  });

  it("debug's lists and mappings as Ansible's callback dumps them: 4-space JSON, keys sorted, text unescaped", () => {
    const text = render([
      { event: 'task_start', play: 'p', task: 'say', hosts: ['h1'], source, handler: false },
      { event: 'task_result', host: 'h1', task: 'say', status: 'ok', source, msg: 'debug', module: 'debug', values: { m: { x: [1, 2], y: { z: true }, e: {}, u: 'é' } }, durationMs: 1 },
    ]);
    // ansible-playbook 2.14 prints exactly this for `debug: {var: m}` with m defined in the order x, y, e, u
    expect(text).toContain('ok: [h1] => {\n    "m": {\n        "e": {},\n        "u": "é",\n        "x": [\n            1,\n            2\n        ],\n        "y": {\n            "z": true\n        }\n    }\n}\n');
  });

  it('shows loop items, debug values, -v notes and --diff', () => {
    const text = render(
      [
        { event: 'task_start', play: 'p', task: 't', hosts: ['h1'], source, handler: false },
        { event: 'item_result', host: 'h1', task: 't', status: 'changed', source, item: 'vmm', msg: 'load vmm', durationMs: 1, notes: ['kldload found'], diff: [{ header: '/boot/loader.conf', before: 'a\n', after: 'a\nvmm_load="YES"\n' }] },
        { event: 'task_result', host: 'h1', task: 't', status: 'changed', source, msg: 'All items completed', durationMs: 1 },
        { event: 'task_result', host: 'h1', task: 'say', status: 'ok', source: { ...source, line: 20 }, msg: 'debug', module: 'debug', values: { msg: 'hello' }, durationMs: 1 },
        { event: 'task_result', host: 'h1', task: 'inc', status: 'ok', source: { ...source, line: 30 }, msg: '/p/more.yml', module: 'include_tasks', durationMs: 0 },
      ],
      { verbosity: 1, diff: true },
    );
    expect(text).toContain('--- before: /boot/loader.conf\n+++ after: /boot/loader.conf\n@@ -1,1 +1,2 @@\n a\n+vmm_load="YES"\n');
    expect(text).toContain('changed: [h1] => (item=vmm) => load vmm\n    note: kldload found');
    expect(text.match(/changed: \[h1\]/g)).toHaveLength(1);
    expect(text).toContain('ok: [h1] => {\n    "msg": "hello"\n}');
    expect(text).toContain('included: /p/more.yml for h1');
  });

  it('--check shows what each change would do without -v; a normal run does not', () => {
    const events = (check: boolean): RunEvent[] => [
      { event: 'run_start', playbook: 'site.yml', check, hosts: ['h1'] },
      { event: 'task_result', host: 'h1', task: 'jail', status: 'changed', source, msg: 'restart jail bhyve (allow.vmm 0 → 1)', durationMs: 1 },
      { event: 'task_result', host: 'h1', task: 'same', status: 'ok', source, msg: 'jail bhyve is up to date', durationMs: 1 },
    ];
    const checked = render(events(true));
    expect(checked).toContain('changed: [h1] => restart jail bhyve (allow.vmm 0 → 1)\n');
    expect(checked).toContain('ok: [h1]\n');
    expect(render(events(false))).toContain('changed: [h1]\n');
  });

  it('a changed result whose text tells of a failure (a reversed patch) shows its cause and fix without -v', () => {
    const explanation = { id: 'patch-reversed', cause: 'the patch was already in the tree', fix: 'use kernel_patch', doc: 'docs/freebsd/passthrough.md' };
    const text = render([{ event: 'task_result', host: 'h1', task: 'patch', status: 'changed', source, msg: '', durationMs: 1, explanation }]);
    expect(text).toContain('changed: [h1]\n    cause: the patch was already in the tree\n    fix: use kernel_patch\n    (patch-reversed; docs/freebsd/passthrough.md)\n');
  });

  it('a looped task in a jail shows -> jail on each item', () => {
    const text = render([
      { event: 'item_result', host: 'h1', task: 't', status: 'changed', source, item: 'vm_enable', msg: '', durationMs: 1, jail: 'bhyve' },
      { event: 'item_result', host: 'h1', task: 't', status: 'ok', source, item: 'vm_dir', msg: '', durationMs: 1, delegatedTo: 'localhost' },
    ]);
    expect(text).toContain('changed: [h1 -> bhyve] => (item=vm_enable)\n');
    expect(text).toContain('ok: [h1 -> localhost] => (item=vm_dir)\n');
  });

  it("names a mapping or list item as Ansible prints it (Python's str)", () => {
    const text = render([
      { event: 'item_result', host: 'h1', task: 't', status: 'ok', source, item: { name: 'vm_enable', value: 'YES', on: true }, msg: '', durationMs: 1 },
      { event: 'item_result', host: 'h1', task: 't', status: 'ok', source, item: ['a', 1, null], msg: '', durationMs: 1 },
    ]);
    expect(text).toContain("ok: [h1] => (item={'name': 'vm_enable', 'value': 'YES', 'on': True})\n");
    expect(text).toContain("ok: [h1] => (item=['a', 1, None])\n");
  });

  it('draws a progress line only on a TTY, cleared before normal lines', () => {
    const events: RunEvent[] = [
      { event: 'task_start', play: 'p', task: 'slow', hosts: ['a', 'b', 'c'], source, handler: false },
      { event: 'task_result', host: 'a', task: 'slow', status: 'ok', source, msg: '', durationMs: 1 },
    ];
    expect(render(events)).not.toContain('waiting on');
    const tty = render(events, { isTTY: true });
    expect(tty).toContain('1/3 done, waiting on b, c');
    expect(tty).toContain('\r\u001b[2K');
  });
});

/** A clock that moves only when told; its timers fire as the time they wait for passes. */
class FakeClock implements ProgressClock {
  time = 0;
  private readonly timers = new Set<{ readonly ms: number; next: number; readonly tick: () => void }>();

  now(): number {
    return this.time;
  }

  every(ms: number, tick: () => void): () => void {
    const timer = { ms, next: this.time + ms, tick };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Timers still set (none once nothing runs: a finished run keeps no timer). */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (due === undefined) break;
      this.time = due.next;
      due.next += due.ms;
      due.tick();
    }
    this.time = end;
  }
}

/** A reporter on a fake terminal (or a pipe) with a fake clock; `screen()` is what the last line shows now. */
function live(isTTY: boolean, columns = 200) {
  const clock = new FakeClock();
  let text = '';
  const reporter = new HumanReporter({ out: { write: (chunk: string) => (text += chunk), isTTY, columns } as { write(chunk: string): unknown; isTTY: boolean }, colour: false, verbosity: 0, diff: false, clock });
  return {
    clock,
    reporter,
    text: () => text,
    /** The line a terminal shows at the bottom: the text after the last line end and the last clear. */
    screen: () => (text.split('\n').pop() ?? '').split('\r\u001b[2K').pop() ?? '',
  };
}

const start = (task: string, hosts: string[], at = source): RunEvent => ({ event: 'task_start', play: 'p', task, hosts, source: at, handler: false });
const progress = (task: string, host: string, message: string): RunEvent => ({ event: 'task_progress', host, task, message });
const result = (task: string, host: string): RunEvent => ({ event: 'task_result', host, task, status: 'changed', source, msg: '', durationMs: 1 });

describe('HumanReporter: long work shows progress', () => {
  it('on a terminal, one host: elapsed time and the last progress line of a kernel build, gone when it ends', () => {
    const t = live(true);
    t.reporter.emit(start('build kernel', ['h1']));
    // A task that ends within a second never draws a line.
    expect(t.text()).not.toContain('waiting on');
    t.clock.advance(1000);
    expect(t.screen()).toBe('[build kernel] 0/1 done, waiting on h1 (1 s)');
    t.reporter.emit(progress('build kernel', 'h1', 'kernel build: >>> stage 2.3: build tools'));
    expect(t.screen()).toBe('[build kernel] 0/1 done, waiting on h1 (1 s) — h1: kernel build: >>> stage 2.3: build tools');
    t.clock.advance(124_000);
    expect(t.screen()).toBe('[build kernel] 0/1 done, waiting on h1 (2 min 05 s) — h1: kernel build: >>> stage 2.3: build tools');
    t.reporter.emit(progress('build kernel', 'h1', 'kernel build: --- vm_machdep.o ---'));
    expect(t.screen()).toContain('(2 min 05 s) — h1: kernel build: --- vm_machdep.o ---');
    t.reporter.emit(result('build kernel', 'h1'));
    expect(t.screen()).toBe('');
    expect(t.text()).toMatch(/changed: \[h1\]\n$/);
    expect(t.clock.pending).toBe(0);
  });

  it('on a terminal, a reboot wait on one canary host shows at once with its message', () => {
    const t = live(true);
    t.reporter.emit(start('reboot', ['canary']));
    t.reporter.emit(progress('reboot', 'canary', 'waiting for the host to accept SSH again'));
    expect(t.screen()).toBe('[reboot] 0/1 done, waiting on canary (0 s) — canary: waiting for the host to accept SSH again');
    t.clock.advance(42_000);
    expect(t.screen()).toBe('[reboot] 0/1 done, waiting on canary (42 s) — canary: waiting for the host to accept SSH again');
  });

  it('on a terminal, 200 hosts: how many are done, the first ones still at it, and the last line any reported', () => {
    const t = live(true);
    const hosts = Array.from({ length: 200 }, (_, i) => `h${i}`);
    t.reporter.emit(start('guest', hosts));
    for (const host of hosts.slice(0, 150)) t.reporter.emit(result('guest', host));
    t.reporter.emit(progress('guest', 'h170', 'fetch FreeBSD-14.3-RELEASE-amd64-disc1.iso'));
    t.clock.advance(65_000);
    expect(t.screen()).toBe('[guest] 150/200 done, waiting on h150, h151, h152, h153, h154, … (45 more) (1 min 05 s) — h170: fetch FreeBSD-14.3-RELEASE-amd64-disc1.iso');
    // A host that drops out of the run is no longer waited on.
    for (const host of hosts.slice(150, 199)) t.reporter.emit({ event: 'host_unreachable', host, task: 'guest', msg: 'gone', reason: 'connect' });
    expect(t.screen()).toBe('[guest] 150/200 done, 49 unreachable, waiting on h199 (1 min 05 s)');
  });

  it('on a terminal, the line is clipped to the width and cleared before every printed line', () => {
    const t = live(true, 60);
    t.reporter.emit(start('fetch iso', ['h1']));
    t.reporter.emit(progress('fetch iso', 'h1', 'fetch FreeBSD-14.3-RELEASE-amd64-disc1.iso'));
    expect(t.screen()).toHaveLength(59);
    expect(t.screen().endsWith('…')).toBe(true);
    t.reporter.emit({ event: 'warning', msg: 'something' });
    expect(t.text()).toContain('\r\u001b[2K[WARNING]: something\n');
  });

  it('on a narrow terminal with long host names and a serial batch of several, the label, counts and elapsed time stay whole', () => {
    const t = live(true, 60);
    const hosts = ['freebsd-builder-01.datacenter.example.org', 'freebsd-builder-02.datacenter.example.org', 'freebsd-builder-03.datacenter.example.org'];
    t.reporter.emit(start('build kernel', hosts));
    t.clock.advance(125_000);
    expect(t.screen()).toBe('[build kernel] 0/3 done, waiting on 3 hosts (2 min 05 s)');
    t.reporter.emit(progress('build kernel', hosts[1] ?? '', 'kernel build: >>> stage 3.1: building everything'));
    expect(t.screen()).toBe('[build kernel] 0/3 done, waiting on 3 hosts (2 min 05 s)');
    t.reporter.emit(result('build kernel', hosts[0] ?? ''));
    t.reporter.emit(result('build kernel', hosts[2] ?? ''));
    // one host left, whose name alone does not fit beside the label
    expect(t.screen()).toBe('[build kernel] 2/3 done, waiting on 1 host (2 min 05 s)');
    const wide = live(true, 120);
    wide.reporter.emit(start('build kernel', ['canary']));
    wide.reporter.emit(progress('build kernel', 'canary', `kernel build: ${'x'.repeat(200)}`));
    expect(wide.screen()).toMatch(/^\[build kernel\] 0\/1 done, waiting on canary \(0 s\) — canary: kernel build: x+…$/);
    expect(wide.screen()).toHaveLength(119);
  });

  it('without a terminal: a progress line every 30 s of a long task, nothing for a short one, no timer left', () => {
    const t = live(false);
    t.reporter.emit(start('quick', ['h1']));
    t.clock.advance(29_000);
    t.reporter.emit(result('quick', 'h1'));
    expect(t.text()).not.toContain('waiting on');
    t.reporter.emit(start('reboot', ['h1']));
    t.reporter.emit(progress('reboot', 'h1', 'rebooting'));
    t.clock.advance(29_999);
    expect(t.text()).not.toContain('waiting on');
    t.clock.advance(1);
    t.reporter.emit(progress('reboot', 'h1', 'waiting for the host to come back (25 s)'));
    t.clock.advance(59_000);
    const lines = t.text().split('\n').filter((line) => line.includes('waiting on'));
    expect(lines).toEqual([
      '[reboot] 0/1 done, waiting on h1 (30 s) — h1: rebooting',
      '[reboot] 0/1 done, waiting on h1 (1 min 00 s) — h1: waiting for the host to come back (25 s)',
    ]);
    expect(t.text()).not.toContain('\r');
    t.reporter.emit(result('reboot', 'h1'));
    expect(t.clock.pending).toBe(0);
  });

  it('without a terminal, each long task keeps its own 30 s rhythm', () => {
    const t = live(false);
    t.reporter.emit(start('a', ['h1'], { ...source, line: 1 }));
    t.clock.advance(10_000);
    t.reporter.emit(start('b', ['h2'], { ...source, line: 2 }));
    t.clock.advance(30_000);
    const lines = t.text().split('\n').filter((line) => line.includes('waiting on'));
    expect(lines).toEqual(['[a] 0/1 done, waiting on h1 (30 s)', '[b] 0/1 done, waiting on h2 (30 s)']);
  });

  it('elapsed: seconds, then minutes, then hours', () => {
    expect([elapsed(999), elapsed(59_999), elapsed(60_000), elapsed(3_599_000), elapsed(3_725_000)]).toEqual(['0 s', '59 s', '1 min 00 s', '59 min 59 s', '1 h 02 min']);
  });
});

describe('colour and tables', () => {
  it('colours only a TTY without NO_COLOR', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(recapLine('h', counts, painter(true))).toContain('\u001b[33mchanged=1   \u001b[39m');
  });

  it('unified diff: hunks with context, nothing for equal texts', () => {
    const before = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'line two\n').replace('line 11\n', '');
    expect(unifiedDiff({ header: 'f', before, after })).toBe(
      ['--- before: f', '+++ after: f', '@@ -1,5 +1,5 @@', ' line 1', '-line 2', '+line two', ' line 3', ' line 4', ' line 5', '@@ -8,5 +8,4 @@', ' line 8', ' line 9', ' line 10', '-line 11', ' line 12', ''].join('\n'),
    );
    expect(unifiedDiff({ header: 'f', before: 'x', after: 'x' })).toBe('');
  });

  it('JSON reporter: one event per line', () => {
    let text = '';
    const reporter = new JsonReporter({ write: (chunk: string) => (text += chunk) });
    reporter.emit({ event: 'recap', hosts: { h1: counts }, durationMs: 3, exitCode: 0 });
    reporter.emit({ event: 'warning', msg: 'x' });
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { event: string; hosts?: unknown });
    expect(lines.map((l) => l.event)).toEqual(['recap', 'warning']);
    expect(text.startsWith('{"event":"recap","hosts":{"h1":{"ok":2,"changed":1,"failed":0,"skipped":0,"unreachable":0')).toBe(true);
  });
});
