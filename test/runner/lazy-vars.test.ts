// lazyVars (src/runner/lazy-vars.ts) on its own: templated variables render when read, against
// the same variables, once per view; a chain that refers back to itself is an error naming the
// variable and the task; values from the host (`final`) are data, never rendered.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { lazyVars } from '../../src/runner/lazy-vars.js';
import type { Templates } from '../../src/runner/services.js';
import { handlebarsTemplates } from '../../src/runner/templates.js';

const source = { file: 'site.yml', line: 7, column: 5 };

/** The real templates, counting what they are asked to render. */
function countingTemplates(): Templates & { readonly rendered: unknown[] } {
  const real = handlebarsTemplates();
  const rendered: unknown[] = [];
  return {
    rendered,
    isTemplate: (text) => real.isTemplate(text),
    render: (value, vars, where) => {
      rendered.push(value);
      return real.render(value, vars, where);
    },
  };
}

describe('lazyVars', () => {
  it('renders a templated variable when read, against the same variables, through a chain', () => {
    const vars = lazyVars({ a: '{{ b }}-a', b: '{{ c }}-b', c: 'c', n: '{{ count }}', count: 3 }, handlebarsTemplates(), source);
    expect(vars['a']).toBe('c-b-a');
    // A single {{ var }} keeps the variable's own type.
    expect(vars['n']).toBe(3);
  });

  it('renders templates inside lists and mappings, and leaves plain values as they are', () => {
    const plain = { deep: [1, { x: 'y' }] };
    const vars = lazyVars({ list: ['{{ who }}', 'plain'], map: { greeting: 'hi {{ who }}' }, who: 'bob', plain }, handlebarsTemplates(), source);
    expect(vars['list']).toEqual(['bob', 'plain']);
    expect(vars['map']).toEqual({ greeting: 'hi bob' });
    expect(vars['plain']).toBe(plain);
  });

  it('renders each variable once per view, however often it is read', () => {
    const templates = countingTemplates();
    const vars = lazyVars({ a: '{{ b }}', b: 'x' }, templates, source);
    expect([vars['a'], vars['a'], vars['a']]).toEqual(['x', 'x', 'x']);
    expect(templates.rendered).toEqual(['{{ b }}']);
  });

  it('a variable that refers to itself, directly or through others, is an error naming it and the task', () => {
    const direct = lazyVars({ a: '{{ a }}' }, handlebarsTemplates(), source);
    expect(() => direct['a']).toThrow(InvalidInputError);
    expect(() => direct['a']).toThrow(/variable 'a' refers to itself through its template/);
    const chain = lazyVars({ a: '{{ b }}', b: '{{ c }}', c: '{{ a }}' }, handlebarsTemplates(), source);
    let error: unknown;
    try {
      chain['a'];
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).source).toEqual(source);
    expect((error as InvalidInputError).fix).toMatch(/does not depend on/);
  });

  it('names in `final` (facts, registered output) are returned as they are, never rendered', () => {
    const templates = countingTemplates();
    const vars = lazyVars({ motd: "{{ lookup('pipe', 'id') }}", mine: '{{ motd }}' }, templates, source, new Set(['motd']));
    expect(vars['motd']).toBe("{{ lookup('pipe', 'id') }}");
    // A variable of the playbook's that names it gets the text, not its rendering.
    expect(vars['mine']).toBe("{{ lookup('pipe', 'id') }}");
    expect(templates.rendered).toEqual(['{{ motd }}']);
  });

  it('enumerating the view (spread, Object.entries) gives rendered values', () => {
    const vars = lazyVars({ a: '{{ b }}!', b: 'x' }, handlebarsTemplates(), source);
    expect({ ...vars }).toEqual({ a: 'x!', b: 'x' });
    expect(Object.entries(vars)).toEqual([
      ['a', 'x!'],
      ['b', 'x'],
    ]);
  });

  it('an unknown name reads as undefined, and the view cannot be written or deleted from', () => {
    const merged: Record<string, unknown> = { a: '1' };
    const vars = lazyVars(merged, handlebarsTemplates(), source);
    expect(vars['missing']).toBeUndefined();
    expect(Reflect.set(vars, 'a', '2')).toBe(false);
    expect(Reflect.deleteProperty(vars, 'a')).toBe(false);
    expect(merged).toEqual({ a: '1' });
  });
});
