import { describe, expect, it } from 'vitest';
import { HumanReporter } from '../../src/output/human-reporter.js';
import { painter, wantsColour } from '../../src/output/colour.js';
import { recapLine } from '../../src/output/recap-table.js';
import { unifiedDiff } from '../../src/output/unified-diff.js';
import { JsonReporter } from '../../src/output/json-reporter.js';
import type { RunEvent } from '../../src/output/events.js';

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
