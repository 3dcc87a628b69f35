// {% include %}, {% import %} and {% from … import %} against ansible-core 2.14's Templar, whose
// Jinja2 loader reads templates from its DataLoader's base directory (here the working directory,
// as beastie's renders without a search path read them): a file included with and without
// context, in a loop, from a list of names, ignore missing, a missing one, macros imported both
// ways, and an include inside an included file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

// Made, and entered, when the file loads: the batch renders with Ansible while vitest collects.
const cwd = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'beastie-include-'));
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'inc.j2'), 'hello {{ who }}\n');
writeFileSync(join(dir, 'two.j2'), 'line1\n{% if who is defined %}line2 {{ who }}\n{% endif %}\n');
writeFileSync(join(dir, 'macros.j2'), '{% macro greet(name, punct="!") %}hi {{ name }}{{ punct }}{% endmacro %}\n{% set shared = "from macros" %}\n');
writeFileSync(join(dir, 'sub', 'nested.j2'), '[{% include "inc.j2" %}]');
writeFileSync(join(dir, 'broken.j2'), 'a\n{{ who | nosuchfilter }}\n');
process.chdir(dir);
afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

const vars = { who: 'ops', names: ['a', 'b'] };
const templates = [
  '{% include "inc.j2" %}',
  '{% include "inc.j2" %}tail',
  '{% include "two.j2" %}|',
  '{% for who in names %}{% include "inc.j2" %};{% endfor %}',
  '{% include "missing.j2" ignore missing %}ok',
  '{% include "missing.j2" %}',
  '{% include ["missing.j2", "inc.j2"] %}',
  '{% include "inc.j2" without context %}',
  '{% include "two.j2" without context %}',
  '{% import "macros.j2" as m %}{{ m.greet("x") }} {{ m.greet("y", punct="?") }}',
  '{% from "macros.j2" import greet %}{{ greet("z") }}',
  '{% import "macros.j2" as m %}{{ m.shared }}',
  '{% from "macros.j2" import nothing_here %}x',
  '{% include "sub/nested.j2" %}',
  '{% set who = "local" %}{% include "inc.j2" %}',
  '{% include "broken.j2" %}',
];
const cases: Case[] = [
  ...templates.map((template) => ({ template, vars, mode: 'file' as const })),
  ...templates.slice(0, 4).map((template) => ({ template, vars })),
];

describe('include and import read templates as Jinja2 in ansible-core 2.14 does', () => {
  itRendersAsAnsible(cases, { moreThan: 0.6 });
});
