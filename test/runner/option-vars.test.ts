// The variables every host gets from the command line and the run (src/runner/option-vars.ts).
import { describe, expect, it } from 'vitest';
import { optionVars, type OptionVarsSource } from '../../src/runner/option-vars.js';
import { OMIT } from '../../src/template/render.js';

const options: OptionVarsSource = { check: false, diff: true, forks: 5, tags: { only: [], skip: [] }, verbosity: 2 };

describe('option variables', () => {
  it('mirror the options, with Ansible\'s tag defaults when none are given', () => {
    const vars = optionVars(options, '/srv/site');
    expect(vars).toMatchObject({
      ansible_check_mode: false,
      ansible_diff_mode: true,
      ansible_forks: 5,
      ansible_run_tags: ['all'],
      ansible_skip_tags: [],
      ansible_verbosity: 2,
      playbook_dir: '/srv/site',
      omit: OMIT,
    });
    expect(vars).not.toHaveProperty('ansible_limit');
    expect(vars['ansible_version']).toMatchObject({ major: expect.any(Number), minor: expect.any(Number), full: expect.any(String) });
  });

  it('carry the selected tags and --limit as given', () => {
    const vars = optionVars({ ...options, check: true, tags: { only: ['web', 'db'], skip: ['slow'] }, limit: ['h1', 'web:!h2'] }, '/p');
    expect(vars['ansible_check_mode']).toBe(true);
    expect(vars['ansible_run_tags']).toEqual(['web', 'db']);
    expect(vars['ansible_skip_tags']).toEqual(['slow']);
    expect(vars['ansible_limit']).toBe('h1,web:!h2');
  });

  it('are copies: changing them does not change the run\'s tag selection', () => {
    const tags = { only: ['web'], skip: ['slow'] };
    const vars = optionVars({ ...options, tags }, '/p');
    (vars['ansible_run_tags'] as string[]).push('db');
    (vars['ansible_skip_tags'] as string[]).push('x');
    expect(tags).toEqual({ only: ['web'], skip: ['slow'] });
  });
});
