// A host's output reaches the operator's terminal (README.md here: "a host"): escape sequences in
// it must be shown, never obeyed — no retitled window, cleared screen, or line forged by a
// carriage return. The console reporters of `beastie play` and of the ad-hoc mode get a result
// whose output, message and facts hold such sequences, as a hostile host would print them.
import { describe, expect, it } from 'vitest';
import { AdhocReporter } from '../../src/cli/adhoc-reporter.js';
import type { RunEvent } from '../../src/output/events.js';
import { HumanReporter } from '../../src/output/human-reporter.js';

const source = { file: 'site.yml', line: 3, column: 7 };
// OSC 0 (window title), CSI 2J (clear screen), a bare CR that would overwrite the line, BEL, C1 CSI.
const HOSTILE = 'ok\u001b]0;pwned\u0007\u001b[2J\rFAKE: all good\u009b31m';
const SHOWN = 'ok\\x1b]0;pwned\\x07\\x1b[2J\\x0dFAKE: all good\\x9b31m';

const result: RunEvent = { event: 'task_result', host: 'h1', task: 'read', status: 'failed', source, msg: HOSTILE, module: 'command', durationMs: 1, stdout: HOSTILE, stderr: HOSTILE, rc: 1 };

describe('terminal escape sequences from hosts', () => {
  it('beastie play shows them as text (plain output, -vv)', () => {
    let text = '';
    const reporter = new HumanReporter({ out: { write: (chunk: string) => (text += chunk), isTTY: false }, colour: false, verbosity: 2, diff: false });
    reporter.emit({ event: 'task_start', play: 'p', task: 'read', hosts: ['h1'], source, handler: false });
    reporter.emit(result);
    reporter.emit({ event: 'warning', host: 'h1', msg: HOSTILE });
    reporter.close();
    expect(text).toContain(SHOWN);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('the ad-hoc mode shows them as text, in its output lines and JSON results alike', () => {
    let out = '';
    let err = '';
    const write = (into: 'out' | 'err') => ({ write: (chunk: string) => (into === 'out' ? (out += chunk) : (err += chunk)) });
    const reporter = new AdhocReporter(write('out'), write('err'), { oneLine: false, tree: undefined, module: 'command', setup: false });
    reporter.emit(result);
    reporter.emit({ ...result, module: 'setup', values: { ansible_facts: { motd: HOSTILE } } } as RunEvent);
    reporter.emit({ event: 'warning', msg: HOSTILE });
    expect(out).toContain(SHOWN);
    expect(err).toContain(SHOWN);
    expect(out + err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
