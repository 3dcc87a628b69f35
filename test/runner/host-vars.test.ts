// What a task sees on a host (src/runner/host-vars.ts): the layers in src/inventory/PRECEDENCE.md's
// order, the magic variables above them, Ansible's hostvars and vars, and which values are data
// from the host (never rendered as templates). No host is contacted.
import { describe, expect, it } from 'vitest';
import { taskVars, type PlayVarsContext, type TaskVarLayers } from '../../src/runner/host-vars.js';
import { at, play } from '../fixtures/runner/ast.js';
import { localInventory } from '../fixtures/runner/harness.js';
import { hostOf, playVarsContext } from '../fixtures/runner/play-vars.js';

const source = at('tasks.yml');
const noLayers: TaskVarLayers = { scoped: { blocks: [], includes: [] } };
const render = (context: PlayVarsContext, text: string, host = 'h1', layers = noLayers) =>
  context.templates.render(text, taskVars(context, hostOf(context, host), layers, source), source);

/** Each layer of the precedence, lowest first, as a way of setting `x` in it. */
interface Setting {
  readonly play: { roleDefaults?: Record<string, unknown>; vars?: Record<string, unknown>; varsFiles?: { path: string; vars: Record<string, unknown> }[]; roleVars?: Record<string, unknown> };
  inventory?: Record<string, unknown>;
  facts?: Record<string, unknown>;
  hostFacts?: Record<string, unknown>;
  publicDefaults?: Record<string, unknown>;
  publicVars?: Record<string, unknown>;
  extraVars?: Record<string, unknown>;
  layers: { roleDefaults?: Record<string, unknown>[]; roleVars?: Record<string, unknown>[]; blocks?: Record<string, unknown>[]; includes?: Record<string, unknown>[]; task?: Record<string, unknown>; loop?: Record<string, unknown>; result?: Record<string, unknown> };
}
const precedence: readonly [string, (s: Setting, x: Record<string, unknown>) => void][] = [
  ['play role defaults', (s, x) => void (s.play.roleDefaults = x)],
  ['public role defaults', (s, x) => void (s.publicDefaults = x)],
  ['include_role defaults', (s, x) => void (s.layers.roleDefaults = [x])],
  ['inventory', (s, x) => void (s.inventory = x)],
  ['facts', (s, x) => void (s.facts = x)],
  ['play vars', (s, x) => void (s.play.vars = x)],
  ['vars_files', (s, x) => void (s.play.varsFiles = [{ path: 'v.yml', vars: x }])],
  ['play role vars', (s, x) => void (s.play.roleVars = x)],
  ['public role vars', (s, x) => void (s.publicVars = x)],
  ['include_role vars', (s, x) => void (s.layers.roleVars = [x])],
  ['block vars', (s, x) => void (s.layers.blocks = [x])],
  ['task vars', (s, x) => void (s.layers.task = x)],
  ['include params', (s, x) => void (s.layers.includes = [x])],
  ['loop vars', (s, x) => void (s.layers.loop = x)],
  ['set_fact', (s, x) => void (s.hostFacts = x)],
  ['registered result', (s, x) => void (s.layers.result = x)],
  ['extra vars', (s, x) => void (s.extraVars = x)],
];

/** `x` as a task on h1 sees it when every layer up to `top` (inclusive) sets it to its own name. */
function winnerUpTo(top: number): unknown {
  const setting: Setting = { play: {}, layers: {} };
  for (const [name, set] of precedence.slice(0, top + 1)) set(setting, { x: name });
  const context = playVarsContext(localInventory({ h1: setting.inventory ?? {} }), {
    play: play([], setting.play),
    publicRoles: setting.publicDefaults === undefined && setting.publicVars === undefined ? [] : [{ name: 'pub', defaults: setting.publicDefaults ?? {}, vars: setting.publicVars ?? {} }],
    extraVars: setting.extraVars ?? {},
  });
  const host = hostOf(context, 'h1');
  host.facts = setting.facts ?? {};
  Object.assign(host.hostFacts, setting.hostFacts ?? {});
  const { roleDefaults, roleVars, blocks, includes, task, loop, result } = setting.layers;
  const layers: TaskVarLayers = {
    scoped: { blocks: blocks ?? [], includes: includes ?? [], ...(roleDefaults ? { roleDefaults } : {}), ...(roleVars ? { roleVars } : {}) },
    ...(task ? { task } : {}),
    ...(loop ? { loop } : {}),
    ...(result ? { result } : {}),
  };
  return taskVars(context, host, layers, source)['x'];
}

describe('task variables', () => {
  it('each layer of the precedence overrides every layer below it', () => {
    const seen = precedence.map((_, top) => winnerUpTo(top));
    expect(seen).toEqual(precedence.map(([name]) => name));
  });

  it('the magic variables are above extra vars: no file can set inventory_hostname or the play hosts', () => {
    const context = playVarsContext(localInventory({ h1: {}, h2: {}, h3: {} }), {
      extraVars: { inventory_hostname: 'forged', ansible_play_hosts: ['forged'] },
      optionVars: { ansible_check_mode: true },
      batch: ['h1', 'h2'],
    });
    hostOf(context, 'h2').fail();
    const vars = taskVars(context, hostOf(context, 'h1'), noLayers, source);
    expect(vars['inventory_hostname']).toBe('h1');
    expect(vars['ansible_play_hosts_all']).toEqual(['h1', 'h2', 'h3']);
    // A failed host leaves the play's hosts and the batch, not the play's list of all hosts.
    expect(vars['ansible_play_hosts']).toEqual(['h1', 'h3']);
    expect(vars['ansible_play_batch']).toEqual(['h1']);
    expect(vars['play_hosts']).toEqual(['h1']);
    expect(vars['ansible_check_mode']).toBe(true);
    expect(vars['group_names']).toEqual(['ungrouped']);
  });

  it('inventory_hostname_short is the name up to the first dot', () => {
    const context = playVarsContext(localInventory({ 'web1.example.org': {} }));
    expect(taskVars(context, hostOf(context, 'web1.example.org'), noLayers, source)['inventory_hostname_short']).toBe('web1');
  });

  it('a template value is rendered against the variables of the host and task reading it', () => {
    const context = playVarsContext(localInventory({ h1: { port: 22 }, h2: { port: 2222 } }), { play: play([], { vars: { url: 'ssh://{{ inventory_hostname }}:{{ port }}' } }) });
    expect(render(context, '{{ url }}', 'h1')).toBe('ssh://h1:22');
    expect(render(context, '{{ url }}', 'h2')).toBe('ssh://h2:2222');
    expect(render(context, '{{ url }}', 'h1', { ...noLayers, task: { port: 8022 } })).toBe('ssh://h1:8022');
  });

  it('values from the host (facts, set_fact, register) are data: a template in them is never rendered', () => {
    const context = playVarsContext(localInventory({ h1: {} }), { play: play([], { vars: { secret: 'hunter2', motd: '{{ secret }}' } }) });
    const host = hostOf(context, 'h1');
    host.facts = { banner: "{{ lookup('pipe', 'id') }}" };
    host.hostFacts['said'] = '{{ secret }}';
    const vars = taskVars(context, host, { ...noLayers, result: { stdout: '{{ secret }}' } }, source);
    expect(vars['banner']).toBe("{{ lookup('pipe', 'id') }}");
    expect(vars['said']).toBe('{{ secret }}');
    expect(vars['stdout']).toBe('{{ secret }}');
    expect(vars['motd']).toBe('hunter2');
  });

  it('a name the author sets above a fact is the author\'s again, and rendered', () => {
    const context = playVarsContext(localInventory({ h1: {} }), { play: play([], { vars: { banner: 'hello {{ inventory_hostname }}' } }) });
    hostOf(context, 'h1').facts = { banner: '{{ not_rendered }}' };
    expect(taskVars(context, hostOf(context, 'h1'), noLayers, source)['banner']).toBe('hello h1');
  });

  it('a deferred vars_files entry is empty until the host has read it, then its own', () => {
    const deferred = play([], { vars: { x: 'play' }, varsFiles: [{ source, names: ['{{ os }}.yml'] }] });
    const context = playVarsContext(localInventory({ h1: {}, h2: {} }), { play: deferred });
    context.hostVarsFiles.set('h1', [{ x: 'h1 file' }]);
    expect(taskVars(context, hostOf(context, 'h1'), noLayers, source)['x']).toBe('h1 file');
    expect(taskVars(context, hostOf(context, 'h2'), noLayers, source)['x']).toBe('play');
  });

  it('vars holds every variable by name, magic ones too, but not itself', () => {
    const context = playVarsContext(localInventory({ h1: { pkg_web: 'nginx' } }));
    expect(render(context, "{{ vars['pkg_' + 'web'] }}")).toBe('nginx');
    expect(render(context, "{{ vars['inventory_hostname'] }}")).toBe('h1');
    const vars = taskVars(context, hostOf(context, 'h1'), noLayers, source);
    expect(Object.keys(vars['vars'] as object)).toContain('pkg_web');
    expect(Object.keys(vars['vars'] as object)).not.toContain('vars');
  });
});

describe('hostvars', () => {
  const context = () => {
    const c = playVarsContext(localInventory({ h1: { role: 'db' }, h2: { role: 'web' } }), {
      play: play([], { vars: { only_in_play: 1 } }),
      extraVars: { env: 'prod' },
      optionVars: { ansible_forks: 5 },
    });
    hostOf(c, 'h2').facts = { ansible_os_family: 'FreeBSD' };
    hostOf(c, 'h2').hostFacts['token'] = '{{ not_a_template }}';
    return c;
  };

  it('another host\'s entry has its inventory vars, facts, set_fact values, extra vars and magic vars, not the play\'s vars', () => {
    const c = context();
    const h2 = taskVars(c, hostOf(c, 'h1'), noLayers, source)['hostvars'] as Record<string, Record<string, unknown>>;
    const entry = h2['h2'];
    expect(entry?.['role']).toBe('web');
    expect(entry?.['ansible_os_family']).toBe('FreeBSD');
    expect(entry?.['token']).toBe('{{ not_a_template }}');
    expect(entry?.['env']).toBe('prod');
    expect(entry?.['inventory_hostname']).toBe('h2');
    expect(entry?.['ansible_forks']).toBe(5);
    expect(entry).not.toHaveProperty('only_in_play');
  });

  it('has every inventory host and no other name', () => {
    const c = context();
    const hostvars = taskVars(c, hostOf(c, 'h1'), noLayers, source)['hostvars'] as Record<string, unknown>;
    expect(Object.keys(hostvars)).toEqual(['h1', 'h2']);
    expect('h2' in hostvars).toBe(true);
    expect('nowhere' in hostvars).toBe(false);
    expect(hostvars['nowhere']).toBeUndefined();
    expect(render(c, "{{ hostvars['h2']['role'] }}")).toBe('web');
  });
});
