// The filters, tests and lookups that read the controller's own files, against ansible-core 2.14
// on the same files: a temporary tree of a file, a directory, a link to each, a dangling link and
// a missing name. Tests file / directory / exists / link / abs (plugins/test/files.py: os.path's
// isfile, isdir, exists, islink, isabs); filters realpath / expanduser / relpath (os.path's);
// lookups file, template, fileglob, lines, pipe and password reading an existing file store.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderWithBeastie, type Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

// Made when the file loads: the batch renders with Ansible while vitest collects the tests.
const d = mkdtempSync(join(tmpdir(), 'beastie-ctl-files-'));
mkdirSync(join(d, 'sub'));
writeFileSync(join(d, 'f.txt'), 'hello\n\n');
writeFileSync(join(d, 'g.txt'), 'second');
writeFileSync(join(d, 'sub', 'inner.conf'), 'x=1\n');
writeFileSync(join(d, 't.j2'), '# {{ name }}\n{% for p in ports %}\nport {{ p }}\n{% endfor %}\n');
writeFileSync(join(d, 'pw.txt'), 'S3cret-pw\n');
writeFileSync(join(d, 'pw-salted.txt'), 'An0ther salt=abcdefgh\n');
symlinkSync(join(d, 'f.txt'), join(d, 'to-file'));
symlinkSync('sub', join(d, 'to-dir'));
symlinkSync(join(d, 'nowhere'), join(d, 'dangling'));
afterAll(() => rmSync(d, { recursive: true, force: true }));

const vars = { d, name: 'motd', ports: [22, 80] };
const paths = ['f.txt', 'sub', 'to-file', 'to-dir', 'dangling', 'missing'].map((name) => join(d, name));

const testCases: Case[] = [
  ...paths.map((p) => ({ template: '{{ [p is file, p is directory, p is exists, p is link, p is abs, p is not link] }}', vars: { ...vars, p } })),
  ...['', '.', 'f.txt', '/', '~', '~/x'].map((p) => ({ template: '{{ [p is file, p is directory, p is exists, p is link, p is abs] }}', vars: { ...vars, p } })),
  { template: "{{ (d ~ '/f.txt') is file and (d ~ '/sub') is not file }}", vars },
  { template: '{{ 5 is file }}', vars },
];

const filterCases: Case[] = [
  ...paths.map((p) => ({ template: '{{ p | realpath }}', vars: { ...vars, p } })),
  "{{ (d ~ '/./sub/../f.txt') | realpath }}",
  "{{ (d ~ '/to-dir/inner.conf') | realpath }}",
  "{{ (d ~ '//sub/') | realpath }}",
  "{{ '~' | expanduser }}",
  "{{ '~/x/y' | expanduser }}",
  "{{ '~root/.ssh' | expanduser }}",
  "{{ '~nosuchuser_beastie/x' | expanduser }}",
  "{{ 'a/~/b' | expanduser }}",
  "{{ '' | expanduser }}",
  "{{ ('~' | expanduser) is abs }}",
  "{{ (d ~ '/sub/inner.conf') | relpath(d) }}",
  "{{ d | relpath(d ~ '/sub') }}",
].map((item) => (typeof item === 'string' ? { template: item, vars } : item));

const lookupCases: Case[] = [
  "{{ lookup('file', d ~ '/f.txt') }}",
  "{{ lookup('file', d ~ '/f.txt', rstrip=False) }}",
  "{{ lookup('file', d ~ '/f.txt', lstrip=True) }}",
  "{{ query('file', d ~ '/f.txt', d ~ '/g.txt') }}",
  "{{ lookup('file', d ~ '/f.txt', d ~ '/g.txt') }}",
  "{{ lookup('file', d ~ '/to-file') }}",
  "{{ lookup('file', d ~ '/missing') }}",
  "{{ lookup('file', d ~ '/missing', errors='ignore') }}",
  "{{ lookup('file', d ~ '/missing', errors='warn') }}",
  "{{ lookup('template', d ~ '/t.j2') }}",
  "{{ lookup('template', d ~ '/t.j2', template_vars={'name': 'other'}) }}",
  "{{ lookup('template', d ~ '/missing.j2') }}",
  "{{ lookup('fileglob', d ~ '/*.txt') }}",
  "{{ query('fileglob', d ~ '/*.txt') | map('basename') | sort }}",
  "{{ query('fileglob', d ~ '/sub/*') | map('basename') | list }}",
  "{{ query('fileglob', d ~ '/*.none') }}",
  "{{ lookup('fileglob', d ~ '/*.none') }}",
  "{{ lookup('lines', 'printf \"a\\nb\\n\"') }}",
  "{{ query('lines', 'printf \"a\\nb\\n\"') }}",
  "{{ lookup('pipe', 'echo hi; echo there') }}",
  "{{ lookup('pipe', 'printf \"x  \\n\\n\"') }}",
  "{{ lookup('pipe', 'exit 3') }}",
  "{{ lookup('password', d ~ '/pw.txt') }}",
  "{{ lookup('password', d ~ '/pw.txt length=4 chars=digits') }}",
  "{{ lookup('password', d ~ '/pw-salted.txt') }}",
  "{{ query('password', d ~ '/pw.txt') }}",
].map((template) => ({ template, vars }));

describe("file tests read the controller's files as os.path does", () => {
  itRendersAsAnsible(testCases, { moreThan: 0.8 });
});

describe('realpath, expanduser and relpath answer as os.path does', () => {
  itRendersAsAnsible(filterCases, { moreThan: 0.8 });
});

describe('file, template, fileglob, lines, pipe and password (an existing store) read as Ansible reads them', () => {
  itRendersAsAnsible(lookupCases, { moreThan: 0.6 });

  it('answers the facts these cases rest on: a link to a file is a file and a link; a dangling link exists not', () => {
    expect(renderWithBeastie({ template: testCases[2]?.template ?? '', vars: { p: join(d, 'to-file') } })).toEqual({ ok: true, value: [true, false, true, true, true, false] });
    expect(renderWithBeastie({ template: testCases[4]?.template ?? '', vars: { p: join(d, 'dangling') } })).toEqual({ ok: true, value: [false, false, false, true, true, false] });
  });
});
