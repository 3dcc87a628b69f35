import { describe, expect, it } from 'vitest';
import command from '../../../modules/command.js';
import shell from '../../../modules/shell.js';
import { runTimes } from '../../../modules/support/run-times.js';
import { runLocal } from '../helpers/three-way.js';

describe('command and shell: start, end, delta and strip_empty_ends', () => {
  it('derives start/end/delta from the last command\'s duration, as Python prints them', () => {
    const now = new Date(2026, 11, 2, 1, 0, 1, 500).getTime();
    expect(runTimes([{ command: 'x', exitCode: 0, stdout: '', stderr: '', durationMs: 1250 }], now)).toEqual({ start: '2026-12-02 01:00:00.250000', end: '2026-12-02 01:00:01.500000', delta: '0:00:01.250000' });
    expect(runTimes([], now)).toEqual({});
  });
  it('registers them for command and shell; strip_empty_ends false keeps the trailing newlines', async () => {
    const ran = await runLocal(command, { cmd: 'echo one' });
    expect(ran.values).toMatchObject({ stdout: 'one', start: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/), end: expect.stringMatching(/^\d{4}-/), delta: expect.stringMatching(/^0:00:\d\d/) });
    const raw = await runLocal(shell, { cmd: 'printf "a\\n\\n"; printf "e\\n" >&2', strip_empty_ends: false });
    expect(raw.values).toMatchObject({ stdout: 'a\n\n', stderr: 'e\n' });
  });
});
