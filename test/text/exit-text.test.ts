import { describe, expect, it } from 'vitest';
import { exitedText, outputTail } from '../../src/text/exit-text.js';

const result = (exitCode: number, stdout: string, stderr: string, timedOut?: boolean) => ({ exitCode, stdout, stderr, ...(timedOut ? { timedOut } : {}) });

describe('exitedText: how every failed host command reads', () => {
  it.each([
    ['stderr wins over stdout', result(1, 'out\n', "kldload: can't load vmm\n"), "kldload vmm exited 1:\nkldload: can't load vmm"],
    ['stdout when stderr is empty', result(2, 'usage: x\n', '  \n'), 'kldload vmm exited 2:\nusage: x'],
    ['no colon when nothing was printed', result(3, '', ''), 'kldload vmm exited 3'],
    ['a timeout is said', result(124, '', 'killed'), 'kldload vmm exited 124 (timed out):\nkilled'],
  ])('%s', (_what, given, expected) => {
    const timed = expected.includes('timed out') ? { ...given, timedOut: true } : given;
    expect(exitedText('kldload vmm', timed)).toBe(expected);
  });

  it('keeps the last lines only', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    expect(outputTail(result(1, lines, ''))).toBe(Array.from({ length: 20 }, (_, i) => `line ${i + 11}`).join('\n'));
    expect(outputTail(result(1, lines, ''), 2)).toBe('line 29\nline 30');
    expect(outputTail(result(1, lines, ''), Infinity).split('\n')).toHaveLength(30);
  });
});
