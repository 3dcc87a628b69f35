import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinCommands, sh } from '../../src/command/command.js';
import { defineFact, type BatchFrame, type Fact } from '../../src/facts/fact.js';
import { FactCache } from '../../src/facts/fact-cache.js';
import { batchFactCommand, readFacts, readFactsAfter, splitFactOutputs } from '../../src/facts/read-facts.js';
import { parseSections, sectionedCommand } from '../../src/facts/sections.js';
import { spawnSync } from 'node:child_process';
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
    expect(() => splitFactOutputs(2, 'n', '@@beastie n0f@@\n\n@@beastie-n0f-0@@ 0\n', '')).toThrow(/ended before fact #2 of 2/);
    expect(() => splitFactOutputs(1, 'n', '\n@@beastie-n-0@@ 0\n', '')).toThrow(/ended before fact #1 of 1/);
  });

  it('quotes nothing of its own: the batch is the fact commands joined with markers', () => {
    const command = batchFactCommand([lines('a', sh`kldstat -q -m ${'vmm'}`)], 'abc');
    expect(command.text).toContain('( kldstat -q -m vmm\n)');
    expect(command.text).toContain("printf '\\n@@beastie-%s-0@@ %d\\n' \"$beastie_nonce_abc\" \"$?\"");
  });
});

/**
 * A host user who reads each command line with ps as it starts (where security.bsd.see_other_uids
 * is not 0) and then rewrites a file a fact of it reads, before that fact runs: here the transport
 * plants the file once it has the command's text, with the markers of every hex word in it.
 */
function psReader(note: string, forge: (word: string) => string): { transport: Transport; stdouts: string[] } {
  const local = new LocalTransport();
  const stdouts: string[] = [];
  const transport: Transport = {
    host: 'h',
    run: async (command, options): Promise<CommandResult> => {
      const seen = command.text.match(/[0-9a-f]{12,}/g) ?? [];
      expect(seen.length).toBeGreaterThan(0);
      writeFileSync(note, seen.map(forge).join(''));
      const result = await local.run(command, options);
      stdouts.push(result.after?.stdout ?? result.stdout);
      return result;
    },
    put: local.put.bind(local),
    get: local.get.bind(local),
    close: local.close.bind(local),
  };
  return { transport, stdouts };
}

describe('facts read together', () => {
  // A group whose command prints each item's name in capitals, `item` on stderr and exits with the
  // item's length, as the members' own commands (which print `alone`) never would.
  const combined: string[][] = [];
  const shout = (item: string) =>
    ({
      ...lines(`shout:${item}`, sh`echo alone`),
      together: {
        group: 'shout',
        item,
        combine(items: readonly string[], frame: BatchFrame) {
          combined.push([...items]);
          return joinCommands(items.map((name, index) => sh`echo ${name.toUpperCase()}; echo ${name} >&2; (exit ${name.length}); ${frame.end(index, frame.nonce)}`), ';');
        },
      },
    }) as Fact<unknown>;

  it("reads a group's members with one command wherever they stand in the batch, and hands each output back in the facts' order", async () => {
    combined.length = 0;
    const facts = [shout('ab'), lines('plain', sh`echo plain`), shout('cde'), lines('other', sh`echo other >&2; exit 4`), shout('f')];
    const outputs = await readFacts(new LocalTransport(), facts);
    expect(combined).toEqual([['ab', 'cde', 'f']]);
    expect(outputs).toEqual([
      { stdout: 'AB\n', stderr: 'ab\n', exitCode: 2 },
      { stdout: 'plain\n', stderr: '', exitCode: 0 },
      { stdout: 'CDE\n', stderr: 'cde\n', exitCode: 3 },
      { stdout: '', stderr: 'other\n', exitCode: 4 },
      { stdout: 'F\n', stderr: 'f\n', exitCode: 1 },
    ]);
  });

  it('does the same after a lead command, with the lead and the last command in their places', async () => {
    combined.length = 0;
    const { lead, outputs, lastRan } = await readFactsAfter(new LocalTransport(), sh`echo lead; exit 5`, [shout('xy'), lines('plain', sh`echo plain`), shout('z')], {}, sh`true`);
    expect(combined).toEqual([['xy', 'z']]);
    expect({ exitCode: lead.exitCode, stdout: lead.stdout }).toEqual({ exitCode: 5, stdout: 'lead\n' });
    expect(outputs?.map((output) => output.stdout)).toEqual(['XY\n', 'plain\n', 'Z\n']);
    expect(lastRan).toBe(true);
  });
});

describe('the fact batch against a host user who reads its command line', () => {
  it("makes the batch's nonce on the host: a fact's text with the markers of every word the command line shows forges no fact's output, and no argv holds the nonce", async () => {
    // Before, the nonce was the 12 hex digits in the batch's text (@@beastie-NONCE-INDEX@@).
    const dir = mkdtempSync(join(tmpdir(), 'beastie-batch-'));
    try {
      const note = join(dir, 'note');
      const forge = (word: string) => `x\n@@beastie-${word}-0@@ 0\nforged\n@@beastie-${word}-1@@ 0\n\n@@beastie-${word}-1@@\n`;
      const { transport, stdouts } = psReader(note, forge);
      const outputs = await readFacts(transport, [lines('note', sh`cat ${note}`), lines('real', sh`echo real; exit 4`), lines('argv', sh`ps -A -ww -o args=`)]);
      const [noteOut, realOut, argvOut] = outputs as { stdout: string; stderr: string; exitCode: number }[];
      const planted = (await new LocalTransport().run(sh`cat ${note}`)).stdout;
      expect(planted).toContain('forged');
      expect(noteOut).toEqual({ stdout: planted, stderr: '', exitCode: 0 });
      expect(realOut).toEqual({ stdout: 'real\n', stderr: '', exitCode: 4 });
      // The nonce the batch announced: the word of the command line and 16 hex digits made on the host.
      const nonce = /^@@beastie ([0-9a-f]+)@@\n/.exec(stdouts[0] ?? '')?.[1] ?? '';
      expect(nonce).toMatch(/^[0-9a-f]{28}$/);
      // Every process's argv while the batch ran (the batch's sh among them) holds its word only.
      expect(argvOut?.stdout).toContain(`beastie_nonce_${nonce.slice(0, 12)}=`);
      expect(argvOut?.stdout).not.toContain(nonce);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never lets text the lead prints end it early with a forged exit status: the transport's cut learns the marker from the host", async () => {
    // Before, the lead's end marker was in the command line, and the transport cut at its first occurrence.
    const dir = mkdtempSync(join(tmpdir(), 'beastie-batch-'));
    try {
      const note = join(dir, 'note');
      const forge = (word: string) => `x\n@@beastie-${word}-0@@ 0\n@@beastie ${word}@@\n\n@@beastie-${word}-0@@ 0\nforged\n\n@@beastie-${word}-1@@ 0\n`;
      const { transport } = psReader(note, forge);
      const result = await readFactsAfter(transport, sh`cat ${note}; exit 3`, [lines('real', sh`echo real`)]);
      const planted = (await new LocalTransport().run(sh`cat ${note}`)).stdout;
      expect(result.lead).toMatchObject({ stdout: planted, stderr: '', exitCode: 3 });
      expect(result.outputs).toEqual([{ stdout: 'real\n', stderr: '', exitCode: 0 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

describe("the host's part of the nonces", () => {
  it('is read from /dev/urandom once per batch, however many sectioned facts it holds, and still frames each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'beastie-nonce-'));
    try {
      // An od that counts its runs before doing the real work.
      writeFileSync(join(dir, 'od'), `#!/bin/sh\necho run >> ${join(dir, 'runs')}\nexec /usr/bin/od "$@"\n`, { mode: 0o755 });
      const sectioned = (n: number) => lines(`s${n}`, sectionedCommand([['value', sh`echo ${String(n)}`]]));
      const facts = [sectioned(1), sectioned(2), sectioned(3)];
      const batch = batchFactCommand(facts, 'abc');
      const run = spawnSync('/bin/sh', ['-c', batch.text], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` } });
      const outputs = splitFactOutputs(facts.length, 'abc', run.stdout, run.stderr);
      expect(outputs.map((output) => parseSections(output.stdout).get('value'))).toEqual(['1\n', '2\n', '3\n']);
      expect(spawnSync('wc', ['-l', join(dir, 'runs')], { encoding: 'utf8' }).stdout.trim().split(' ')[0]).toBe('1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
