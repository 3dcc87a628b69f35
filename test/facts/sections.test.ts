import { describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand } from '../../src/facts/sections.js';
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
    expect(Object.fromEntries(sections)).toEqual({ one: 'a\nb\n', missing: '@@absent@@\n', empty: '', noisy: 'out\n' });
    expect(fileSection(sections, 'missing')).toBeUndefined();
    expect(fileSection(sections, 'one')).toBe('a\nb\n');
  });

  it('keeps a section without a final newline', () => {
    expect(Object.fromEntries(parseSections('@@section a@@\nx\n@@section b@@\ny'))).toEqual({ a: 'x\n', b: 'y\n' });
  });
});
