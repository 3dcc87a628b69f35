import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parameterDocs } from '../../src/cli/doc-command.js';
import { withAliases } from '../../src/module-api/aliases.js';
import { defineModule } from '../../src/module-api/module.js';
import { paramIssues } from '../../src/playbook/validate-params.js';

const params = withAliases(
  {
    path: z.string().min(1).describe('The file.'),
    line: z.string().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    marker: z.string().default('# {mark}'),
  },
  { path: ['dest', 'name'], line: ['value'], marker: ['mark'] },
);

const module = defineModule({ name: 'demo', summary: 'demo', params, example: '', observe: async () => undefined, plan: () => ({ steps: [] }) });

describe('withAliases', () => {
  it('hands the module the canonical name whichever name was written', () => {
    expect(params.parse({ dest: '/a', value: 'x' })).toEqual({ path: '/a', line: 'x', state: 'present', marker: '# {mark}' });
    expect(params.parse({ name: '/a' })).toEqual({ path: '/a', state: 'present', marker: '# {mark}' });
    expect(params.parse({ path: '/a', mark: '// {mark}' })).toMatchObject({ marker: '// {mark}' });
  });

  it('a required parameter may come from any of its names, and its absence is the usual error', () => {
    expect(paramIssues(module, { line: 'x' }, { deferTemplated: false }).map((i) => i.message)).toEqual(["demo: missing required parameter 'path'"]);
  });

  it('validates an alias as the canonical parameter', () => {
    expect(paramIssues(module, { dest: '' }, { deferTemplated: false }).map((i) => i.path)).toEqual([['dest']]);
  });

  it('two names of one parameter: the same value is fine, different values are refused naming both', () => {
    expect(params.parse({ path: '/a', dest: '/a' })).toMatchObject({ path: '/a' });
    const issues = paramIssues(module, { path: '/a', dest: '/b' }, { deferTemplated: false });
    expect(issues.map((i) => i.message)).toEqual(["demo: parameter 'dest': path and dest are names of one parameter (path, dest, name) given different values: give one of them (got string '/b')"]);
  });

  it('unknown keys suggest aliases too', () => {
    expect(paramIssues(module, { path: '/a', dst: '/b' }, { deferTemplated: false })[0]?.fix).toBe("did you mean 'dest'?");
  });

  it('beastie doc shows aliases under the canonical parameter and hides them as parameters', () => {
    const docs = parameterDocs(module);
    expect(docs.map((d) => d.name)).toEqual(['path', 'line', 'state', 'marker']);
    expect(docs[0]).toMatchObject({ name: 'path', required: true, aliases: ['dest', 'name'], description: 'The file.' });
    expect(docs[3]).toMatchObject({ name: 'marker', required: false, default: '# {mark}', aliases: ['mark'] });
  });
});
