import { describe, expect, it } from 'vitest';
import { effectiveTask, type Scope } from '../../src/runner/scope.js';
import { block, include, play, task } from '../fixtures/runner/ast.js';

describe('effectiveTask: inheritance as the keyword table says', () => {
  it('innermost: the task, then the nearest block, then the play; an explicit false wins', () => {
    const outer = block([], { become: true, ignoreErrors: true, becomeUser: 'op' });
    const inner = block([], { becomeUser: 'root' });
    const scope: Scope = [
      { node: outer, kind: 'block', rescuable: false, vars: {} },
      { node: inner, kind: 'block', rescuable: true, vars: {} },
    ];
    const effective = effectiveTask(task('ping', {}, { ignoreErrors: false }), scope, play([], { becomeMethod: 'doas', anyErrorsFatal: true }));
    expect(effective).toMatchObject({ become: true, becomeUser: 'root', becomeMethod: 'doas', ignoreErrors: false, anyErrorsFatal: true, noLog: false, rescuable: true });
  });

  it("conditions: blocks' when ANDed before the task's, an include's left out; tags: the union with the play's", () => {
    const scope: Scope = [
      { node: block([], { when: ['a'], tags: ['b1'] }), kind: 'block', rescuable: false, vars: {} },
      { node: include('x.yml', { when: ['included'], tags: ['i'] }), kind: 'include', rescuable: false, vars: {} },
    ];
    const effective = effectiveTask(task('ping', {}, { when: ['t'], tags: ['t', 'b1'] }), scope, play([], { tags: ['p'] }));
    expect(effective.when).toEqual(['a', 't']);
    expect(effective.tags).toEqual(['p', 'b1', 'i', 't']);
  });
});
