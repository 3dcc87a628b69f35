import { describe, expect, it } from 'vitest';
import { tagsSelected } from '../../src/runner/tags.js';

// Each row: a task's tags, --tags, --skip-tags, and whether it runs (Ansible's Taggable.evaluate_tags).
const rows: [string, string[], string[], string[], boolean][] = [
  ['an untagged task runs by default', [], [], [], true],
  ['never does not run by default', ['never'], [], [], false],
  ['never runs when one of its other tags is asked for', ['never', 'debug'], ['debug'], [], true],
  ['always runs whatever --tags says', ['always'], ['other'], [], true],
  ['always is skipped only by name', ['always'], [], ['always'], false],
  ['a tag not asked for does not run', ['a'], ['b'], [], false],
  ['a tag asked for runs', ['a', 'b'], ['b'], [], true],
  ['untagged selects tasks without tags', [], ['untagged'], [], true],
  ['untagged leaves tagged tasks out', ['a'], ['untagged'], [], false],
  ['tagged selects any tagged task', ['a'], ['tagged'], [], true],
  ['tagged leaves untagged tasks out', [], ['tagged'], [], false],
  ['tagged does not bring never in', ['never'], ['tagged'], [], false],
  ['--skip-tags all keeps always', ['always'], [], ['all'], true],
  ['--skip-tags all skips the rest', ['a'], [], ['all'], false],
  ['--skip-tags tagged skips tagged tasks', ['a'], [], ['tagged'], false],
  ['--skip-tags tagged keeps untagged ones', [], [], ['tagged'], true],
  ['--skip-tags wins over --tags', ['a', 'b'], ['a'], ['b'], false],
  ['--tags all runs everything but never', ['x'], ['all'], [], true],
];

describe('tagsSelected', () => {
  it.each(rows)('%s', (_what, tags, only, skip, runs) => {
    expect(tagsSelected(tags, { only, skip })).toBe(runs);
  });
});
