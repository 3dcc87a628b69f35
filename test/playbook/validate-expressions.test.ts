import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/playbook/load.js';
import { initialInherited } from '../../src/playbook/keywords.js';
import type { BlockTask, ModuleTask, Playbook } from '../../src/playbook/types.js';
import { validatePlaybookExpressions, validateTaskExpressions } from '../../src/playbook/validate-expressions.js';
import { testModuleOptions } from './test-modules.js';

const source = { file: 'p.yml', line: 3, column: 7 };
const base = { ...initialInherited(), name: undefined, source } as const;
const task: ModuleTask = {
  ...base, kind: 'task', module: 'ping', params: {}, paramsSource: source, loop: undefined, loopControl: { loopVar: 'item' }, register: undefined,
  changedWhen: undefined, failedWhen: undefined, until: undefined, retries: 0, delaySeconds: 5, timeoutSeconds: undefined,
  throttle: undefined, asyncSeconds: undefined, pollSeconds: 15,
};

describe('validatePlaybookExpressions', () => {
  it('finds nothing wrong in the full fixture', () => {
    const playbook: Playbook = loadPlaybook('test/fixtures/playbooks/full/site.yml', { ...testModuleOptions, extraVars: { site: 'lab' } });
    expect(validatePlaybookExpressions(playbook)).toEqual([]);
  });

  it('reports each bad expression once, with its keyword and task, inside blocks too', () => {
    const inner: ModuleTask = { ...task, source: { ...source, line: 9 }, changedWhen: ['a ==='], failedWhen: ['b is faild'], until: 'x &&' };
    const block: BlockTask = { ...base, kind: 'block', when: ['ok', 'not'], block: [inner], rescue: [], always: [] };
    expect(validateTaskExpressions([block]).map((e) => e.describe())).toEqual([
      "p.yml:3:7: when: unexpected end of expression in 'not' — write a Jinja expression such as `x is defined and x | int > 1`",
      "p.yml:9:7: changed_when: unexpected '=' in 'a ===' — write == / != (Jinja), not === / !==",
      "p.yml:9:7: failed_when: No test named 'faild' in 'b is faild' — did you mean 'failed'?",
      "p.yml:9:7: until: unexpected char '&' in 'x &&' — write 'and' / 'or' (Jinja), not && / ||",
    ]);
  });
});
