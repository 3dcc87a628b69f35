// A task's loop (src/runner/loop-items.ts): the items of `loop:` and of `with_<lookup>:` (through
// the lookup of that name), and the variables each item gives the task.
import { describe, expect, it } from 'vitest';
import { loopItems, loopItemVars } from '../../src/runner/loop-items.js';
import type { Looping } from '../../src/playbook/types.js';
import type { TaskVarLayers } from '../../src/runner/host-vars.js';
import { taskVars } from '../../src/runner/host-vars.js';
import { at, play } from '../fixtures/runner/ast.js';
import { localInventory } from '../fixtures/runner/harness.js';
import { hostOf, playRuntime, playVarsContext } from '../fixtures/runner/play-vars.js';

const source = at('tasks.yml');
const noLayers: TaskVarLayers = { scoped: { blocks: [], includes: [] } };
const looping = (loop: unknown, loopWith?: string, loopControl: Looping['loopControl'] = { loopVar: 'item' }): Looping => ({
  loop: loop as Looping['loop'],
  ...(loopWith === undefined ? {} : { loopWith }),
  loopControl,
});

/** The items of `task` on h1 of a play whose vars are `vars`. */
function itemsOf(task: Looping, vars: Record<string, unknown> = {}): unknown {
  const context = playVarsContext(localInventory({ h1: { site: 'east' } }), { play: play([], { vars }) });
  const runtime = playRuntime(context);
  const host = hostOf(context, 'h1');
  return loopItems(runtime, host, task, noLayers, taskVars(context, host, noLayers, source), source);
}

describe('loop items', () => {
  it('loop: is the rendered value, whatever it is (the caller checks for a list)', () => {
    expect(itemsOf(looping('{{ pkgs }}'), { pkgs: [['a', 'b'], 'c'] })).toEqual([['a', 'b'], 'c']);
    expect(itemsOf(looping(['{{ site }}-1', 'x']))).toEqual(['east-1', 'x']);
    expect(itemsOf(looping('{{ site }}'))).toBe('east');
  });

  it('with_items flattens its terms one level; a single term is a list of one', () => {
    expect(itemsOf(looping('{{ pkgs }}', 'items'), { pkgs: [['a', 'b'], 'c'] })).toEqual(['a', 'b', 'c']);
    expect(itemsOf(looping('{{ site }}', 'items'))).toEqual(['east']);
  });

  it('with_dict walks a mapping as key/value items', () => {
    expect(itemsOf(looping('{{ users }}', 'dict'), { users: { ann: 1, bob: 2 } })).toEqual([
      { key: 'ann', value: 1 },
      { key: 'bob', value: 2 },
    ]);
  });

  it('with_sequence reads its one term as the lookup\'s own arguments', () => {
    expect(itemsOf(looping('start=1 end={{ 3 }}', 'sequence'))).toEqual(['1', '2', '3']);
  });

  it('an unknown lookup fails with its name', () => {
    expect(() => itemsOf(looping(['a'], 'no_such_lookup'))).toThrow(/no_such_lookup/);
  });
});

describe('loop item variables', () => {
  it('give item and ansible_loop for each position, previtem/nextitem only where there is one', () => {
    const items = ['a', 'b', 'c'];
    const task = looping(items);
    const first = loopItemVars(task, 'a', 0, items);
    const middle = loopItemVars(task, 'b', 1, items);
    const last = loopItemVars(task, 'c', 2, items);
    expect(first).toMatchObject({ item: 'a', ansible_loop_var: 'item', ansible_loop: { index: 1, index0: 0, revindex: 3, revindex0: 2, first: true, last: false, length: 3, nextitem: 'b' } });
    expect(first['ansible_loop']).not.toHaveProperty('previtem');
    expect(middle['ansible_loop']).toMatchObject({ previtem: 'a', nextitem: 'c', first: false, last: false });
    expect(last['ansible_loop']).toMatchObject({ index: 3, revindex: 1, revindex0: 0, last: true, previtem: 'b' });
    expect(last['ansible_loop']).not.toHaveProperty('nextitem');
    expect(first).not.toHaveProperty('ansible_index_var');
  });

  it('loop_control renames the item and adds the index variable', () => {
    const vars = loopItemVars(looping(['x', 'y'], undefined, { loopVar: 'pkg', indexVar: 'i' }), 'y', 1, ['x', 'y']);
    expect(vars).toMatchObject({ pkg: 'y', ansible_loop_var: 'pkg', i: 1, ansible_index_var: 'i' });
    expect(vars).not.toHaveProperty('item');
  });

  it('a single item is both first and last', () => {
    expect(loopItemVars(looping(['only']), 'only', 0, ['only'])['ansible_loop']).toMatchObject({ first: true, last: true, length: 1, revindex0: 0 });
  });
});
