// The play's shared runtime (src/runner/play-runtime.ts): a warning about one place in the YAML
// is shown once per play.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/output/events.js';
import { warnOnce } from '../../src/runner/play-runtime.js';
import { localInventory } from '../fixtures/runner/harness.js';
import { playRuntime, playVarsContext } from '../fixtures/runner/play-vars.js';

describe('play runtime warnings', () => {
  it('are emitted once per message and place, each place and message on its own', () => {
    const events: RunEvent[] = [];
    const runtime = playRuntime(playVarsContext(localInventory({ h1: {} })), events);
    const here = { file: 'site.yml', line: 3, column: 7 };
    const there = { file: 'site.yml', line: 9, column: 7 };
    warnOnce(runtime, 'deprecated', here);
    warnOnce(runtime, 'deprecated', here);
    warnOnce(runtime, 'deprecated', there);
    warnOnce(runtime, 'other', here);
    expect(events).toEqual([
      { event: 'warning', msg: 'deprecated', source: here },
      { event: 'warning', msg: 'deprecated', source: there },
      { event: 'warning', msg: 'other', source: here },
    ]);
  });

  it('a new play shows them again', () => {
    const events: RunEvent[] = [];
    const context = playVarsContext(localInventory({ h1: {} }));
    const here = { file: 'site.yml', line: 3, column: 7 };
    warnOnce(playRuntime(context, events), 'deprecated', here);
    warnOnce(playRuntime(context, events), 'deprecated', here);
    expect(events).toHaveLength(2);
  });
});
