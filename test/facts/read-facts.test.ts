import { describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { defineFact } from '../../src/facts/fact.js';
import { FactCache } from '../../src/facts/fact-cache.js';
import { batchFactCommand, readFacts, splitFactOutputs } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { Command } from '../../src/command/command.js';
import type { CommandResult, Transport } from '../../src/transport/transport.js';

const lines = (key: string, command: Command) => defineFact(key, command, (o) => o);

describe('readFacts', () => {
  it('splits stdout, stderr and exit code per fact, with or without trailing newlines', async () => {
    const facts = [
      lines('a', sh`printf 'one\\ntwo\\n'`),
      lines('b', sh`printf 'no newline'; echo oops >&2; exit 3`),
      lines('c', sh`true`),
    ];
    const outputs = await readFacts(new LocalTransport(), facts);
    expect(outputs).toEqual([
      { stdout: 'one\ntwo\n', stderr: '', exitCode: 0 },
      { stdout: 'no newline', stderr: 'oops\n', exitCode: 3 },
      { stdout: '', stderr: '', exitCode: 0 },
    ]);
  });

  it('a fact that calls exit does not end the batch', async () => {
    const outputs = await readFacts(new LocalTransport(), [lines('x', sh`exit 7`), lines('y', sh`echo after`)]);
    expect(outputs.map((o) => (o as { exitCode: number }).exitCode)).toEqual([7, 0]);
    expect((outputs[1] as { stdout: string }).stdout).toBe('after\n');
  });

  it('refuses output that ends before every marker (an internal error, not a wrong fact)', () => {
    expect(() => splitFactOutputs(2, 'n', '\n@@beastie-n-0@@ 0\n', '')).toThrow(/ended before fact #2 of 2/);
  });

  it('quotes nothing of its own: the batch is the fact commands joined with markers', () => {
    const command = batchFactCommand([lines('a', sh`kldstat -q -m ${'vmm'}`)], 'abc');
    expect(command.text).toContain('( kldstat -q -m vmm\n)');
    expect(command.text).toContain('@@beastie-abc-0@@');
  });
});

describe('FactCache', () => {
  it('reads only uncached facts, in one round trip, until invalidated', async () => {
    const commands: string[] = [];
    const local = new LocalTransport();
    const counting: Transport = {
      host: 'h',
      run: (command, options): Promise<CommandResult> => {
        commands.push(command.text);
        return local.run(command, options);
      },
      put: local.put.bind(local),
      get: local.get.bind(local),
      close: local.close.bind(local),
    };
    const cache = new FactCache(counting);
    const a = defineFact('a', sh`echo A`, (o) => o.stdout.trim());
    const b = defineFact('b', sh`echo B`, (o) => o.stdout.trim());
    expect(await cache.read(a, b)).toEqual(['A', 'B']);
    expect(await cache.read(b, a)).toEqual(['B', 'A']);
    expect(commands).toHaveLength(1);
    cache.invalidate();
    expect(await cache.read(a)).toEqual(['A']);
    expect(commands).toHaveLength(2);
    expect(cache.roundTrips).toBe(2);
  });
});
