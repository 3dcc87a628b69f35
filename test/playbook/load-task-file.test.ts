import { describe, expect, it } from 'vitest';
import { loadTaskFile } from '../../src/playbook/load.js';
import { testModuleOptions } from './test-modules.js';

const dir = 'test/fixtures/playbooks/full';
const from = { file: `${dir}/site.yml`, line: 80, column: 7 };

describe('loadTaskFile (include_tasks rendered at run time)', () => {
  it('loads a task file', () => {
    const { tasks } = loadTaskFile(`${dir}/tasks/extra.yml`, from, { ...testModuleOptions, playbookDir: dir });
    expect(tasks).toMatchObject([{ kind: 'task', name: 'extra task', module: 'debug', notify: ['devfs changed'] }]);
  });

  it('points at the include when the file does not exist', () => {
    expect(() => loadTaskFile(`${dir}/tasks/sim01.yml`, from, { ...testModuleOptions, playbookDir: dir })).toThrow(
      `${dir}/site.yml:80:7: cannot read ${dir}/tasks/sim01.yml: no such file — check the path`,
    );
  });
});
