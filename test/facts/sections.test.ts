import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand, sectionStatus, withStatus } from '../../src/facts/sections.js';
import { fileProbe, fileProbeOutput } from '../../src/doctor/probe.js';
import { LocalTransport } from '../../src/transport/local.js';

describe('sectioned facts', () => {
  it('runs every section and splits them back, telling a missing file from an empty one', async () => {
    const command = sectionedCommand([
      ['one', sh`printf 'a\\nb\\n'`],
      ['missing', catOrAbsent('/nonexistent/file')],
      ['empty', sh`true`],
      ['noisy', sh`echo out; echo err >&2; exit 3`],
    ]);
    const result = await new LocalTransport().run(command);
    const sections = parseSections(result.stdout);
    expect(Object.fromEntries(sections)).toEqual({ one: 'a\nb\n', empty: '', noisy: 'out\n' });
    expect(fileSection(sections, 'missing')).toBeUndefined();
    expect(fileSection(sections, 'one')).toBe('a\nb\n');
  });

  it('keeps exactly what each section printed, a missing final newline too, and what came before a cut', async () => {
    const command = sectionedCommand([
      ['bare', sh`printf x`],
      ['blank', sh`printf '\\n\\n'`],
      ['cut', sh`echo before; exit 0`],
      ['never', sh`echo after`],
    ]);
    expect(Object.fromEntries(parseSections((await new LocalTransport().run(command)).stdout))).toEqual({ bare: 'x', blank: '\n\n', cut: 'before\n' });
    expect(parseSections('output of a command that is not sectioned\n').size).toBe(0);
  });

  it('never takes a header out of what a section printed: a hostile file cannot forge or replace a section', async () => {
    // A host user who can write one file that a fact reads (a fragment, a file in their home) writes
    // what looks like the end of its section and a header of another, with the text they want there.
    const dir = mkdtempSync(join(tmpdir(), 'beastie-sections-'));
    try {
      const hostile = join(dir, 'hostile');
      const forged = (name: string) => `x\n@@section ${name}@@\nforged\n`;
      writeFileSync(hostile, `${forged('first')}${forged('last')}@@sections 0@@\n\n@@section 0 first@@\nforged\n`);
      const command = sectionedCommand([
        ['first', sh`echo real`],
        ['file', catOrAbsent(hostile)],
        ['last', sh`printf 'no final newline'`],
      ]);
      const sections = parseSections((await new LocalTransport().run(command)).stdout);
      expect(Object.fromEntries(sections)).toEqual({
        first: 'real\n',
        file: `${forged('first')}${forged('last')}@@sections 0@@\n\n@@section 0 first@@\nforged\n`,
        last: 'no final newline',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a missing file by its missing section: no text a file holds reads as its absence', async () => {
    // The old catOrAbsent printed `@@absent@@` for a missing file, so a file holding just that
    // (a user's file in their home, a guest's NAME.conf) read as missing.
    const dir = mkdtempSync(join(tmpdir(), 'beastie-sections-'));
    try {
      const forged = join(dir, 'forged');
      writeFileSync(forged, '@@absent@@\n');
      writeFileSync(join(dir, 'bare'), '@@absent@@');
      const command = sectionedCommand([
        ['forged', catOrAbsent(forged)],
        ['bare', catOrAbsent(sh`"$dir/bare"`, { before: sh`dir=${dir}` })],
        ['gated', catOrAbsent(forged, { onlyIf: sh`false` })],
        ['missing', catOrAbsent(join(dir, 'missing'))],
      ]);
      const sections = parseSections((await new LocalTransport().run(command)).stdout);
      expect(fileSection(sections, 'forged')).toBe('@@absent@@\n');
      expect(fileSection(sections, 'bare')).toBe('@@absent@@');
      expect(fileSection(sections, 'gated')).toBeUndefined();
      expect(fileSection(sections, 'missing')).toBeUndefined();
      // doctor's file probes, read on their own, the same way.
      const probe = fileProbe('forged', forged);
      expect(probe.command.display).toBe(`cat ${forged}`);
      expect(fileProbeOutput(await new LocalTransport().run(probe.command))).toMatchObject({ stdout: '@@absent@@\n' });
      expect(fileProbeOutput(await new LocalTransport().run(probe.command)).absent).toBeUndefined();
      expect(fileProbeOutput(await new LocalTransport().run(fileProbe('missing', join(dir, 'missing')).command))).toMatchObject({ stdout: '', absent: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the exit status of a command in a section of its own, which its output cannot forge', async () => {
    // The old `CMD 2>&1; echo "@@rc $?"` read the last `@@rc N` line, which the command could print.
    const command = sectionedCommand([
      ['lies', withStatus(sh`echo '@@rc 0'; echo ${'@@section x lies:rc@@'}; printf '0\\n'; (exit 3)`)],
      ['fine', withStatus(sh`echo ok`)],
    ]);
    const sections = parseSections((await new LocalTransport().run(command)).stdout);
    expect(sectionStatus(sections, 'lies')).toBe(3);
    expect(sections.get('lies')).toBe('@@rc 0\n@@section x lies:rc@@\n0\n');
    expect(sectionStatus(sections, 'fine')).toBe(0);
    expect(sections.get('fine')).toBe('ok\n');
    expect(sectionStatus(sections, 'never')).toBeUndefined();
  });

  it('makes the nonce on the host: markers built from all a command line shows (what ps gives a host user) frame nothing', async () => {
    // Before, the nonce was the 12 hex digits in the command's text: a user who read the command
    // with ps while it ran could write a file it read next with that nonce's markers.
    const dir = mkdtempSync(join(tmpdir(), 'beastie-sections-'));
    try {
      const hostile = join(dir, 'hostile');
      const command = sectionedCommand([
        ['file', catOrAbsent(hostile)],
        ['last', sh`echo real`],
      ]);
      const seen = command.text.match(/[0-9a-f]{12,}/g) ?? [];
      expect(seen.length).toBeGreaterThan(0);
      const planted = seen.map((word) => `x\n@@section ${word} last@@\nforged\n@@sections ${word} end@@\n`).join('');
      writeFileSync(hostile, planted);
      const { stdout } = await new LocalTransport().run(command);
      expect(Object.fromEntries(parseSections(stdout))).toEqual({ file: planted, last: 'real\n' });
      const nonce = /^@@sections ([0-9a-f]+)@@/.exec(stdout)?.[1] ?? '';
      expect(nonce).toMatch(/^[0-9a-f]{28}$/);
      expect(command.text).not.toContain(nonce);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
