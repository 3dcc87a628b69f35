// add_host (modules/add_host.ts): the action's parsing (lib/ansible/plugins/action/add_host.py), the
// inventory change and its `changed` (InventoryManager.add_dynamic_host), and a playbook whose
// second play targets the hosts the first added, run by beastie and by Debian's ansible-playbook
// 2.14 (the oracle) on the same inventory of local hosts.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addHostRequest, planAddHost, splitAddress } from '../../modules/add_host.js';
import { addedHost, inventoryView } from '../../src/runner/inventory-view.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { localHosts, runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-add-host-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('add_host: what the action makes of its arguments', () => {
  it.each([
    ['jail1', { name: 'jail1' }],
    ['jail1:2201', { name: 'jail1', port: 2201 }],
    ['10.0.0.5:22', { name: '10.0.0.5', port: 22 }],
    ['[fe80::1]:2222', { name: 'fe80::1', port: 2222 }],
    ['fe80::1', { name: 'fe80::1' }],
  ])('parse_address(%s)', (address, expected) => {
    expect(splitAddress(address)).toEqual(expected);
  });

  it('name, hostname or host; groups from a list or a comma string; every other key (host and group too) a variable', () => {
    expect(addHostRequest({ hostname: 'h:2200', groupname: 'a, b,a', ansible_user: 'root' })).toEqual({
      name: 'h',
      groups: ['a', 'b'],
      vars: { ansible_user: 'root', ansible_ssh_port: 2200 },
    });
    expect(addHostRequest({ host: 'h', group: ['x', 'y'] })).toEqual({ name: 'h', groups: ['x', 'y'], vars: { host: 'h', group: ['x', 'y'] } });
    expect(addHostRequest({ name: 'h', groups: '' })).toEqual({ name: 'h', groups: [], vars: {} });
    expect(addHostRequest({ name: 'h', groups: 3 })).toBe('Groups must be specified as a list.');
    expect(addHostRequest({ colour: 'red' })).toBe('name, host or hostname needs to be provided');
  });

  it('the plan registers add_host as the action returns it and hands the host to the runner', () => {
    const plan = planAddHost({ name: 'n', groups: 'g', v: 1 });
    expect(plan.addHost).toEqual({ name: 'n', groups: ['g'], vars: { v: 1 } });
    expect(plan.values).toEqual({ add_host: { host_name: 'n', groups: ['g'], host_vars: { v: 1 } } });
    expect(plan.steps.every((step) => step.kind === 'noop')).toBe(true);
    expect(planAddHost({ groups: 'g' }).failure).toBe('name, host or hostname needs to be provided');
  });
});

describe('add_host: the inventory change', () => {
  const inventory = async () => {
    await writeFile(join(dir, 'hosts'), 'lone\n\n[web]\nw1 colour=blue\n\n[db]\nd1\n');
    return loadInventory(join(dir, 'hosts'));
  };

  it.each([
    ['a new host', { name: 'n1', groups: [], vars: {} }, true],
    ['a known host, nothing new', { name: 'w1', groups: ['web'], vars: { colour: 'blue' } }, false],
    ['a known host, its own name as inventory_hostname', { name: 'w1', groups: [], vars: { inventory_hostname: 'w1' } }, false],
    ['a variable with a new value', { name: 'w1', groups: [], vars: { colour: 'red' } }, true],
    ['a new variable', { name: 'w1', groups: [], vars: { size: 2 } }, true],
    ['a known host into a known group', { name: 'w1', groups: ['db'], vars: {} }, true],
    ['a new group', { name: 'w1', groups: ['new'], vars: {} }, true],
  ])('%s: changed %s', async (_what, request, changed) => {
    expect(addedHost(await inventory(), request) !== undefined).toBe(changed);
  });

  it('groups, ungrouped and variables as reconcile_inventory leaves them; the view answers from the new inventory', async () => {
    const view = inventoryView(await inventory());
    expect(view.addHost({ name: 'n1', groups: [], vars: { colour: 'green' } })).toBe(true);
    expect(view.addHost({ name: 'lone', groups: ['new'], vars: {} })).toBe(true);
    expect(view.addHost({ name: 'lone', groups: ['new'], vars: {} })).toBe(false);
    expect(view.generation()).toBe(2);
    // As Ansible: all lists the added host itself, ahead of its children's hosts; in no group, it is in ungrouped too.
    expect(view.groups()).toEqual({ all: ['n1', 'w1', 'd1', 'lone'], ungrouped: ['n1'], web: ['w1'], db: ['d1'], new: ['lone'] });
    expect(view.groupNames('lone')).toEqual(['new']);
    expect(view.hostVars('n1')['colour']).toBe('green');
    expect(view.selectHosts('new:web', undefined)).toEqual(['lone', 'w1']);
    expect(view.hasHost('n1')).toBe(true);
  });
});


const playbook = `- hosts: all
  gather_facts: false
  tasks:
    - name: add one
      add_host:
        name: "new1:2201"
        groups: "added, more"
        ansible_connection: local
        colour: blue
        group: a-variable
      register: one
    - name: add again, same
      add_host: { name: new1, groups: [added], colour: blue }
    - name: add again, new value
      add_host: { hostname: new1, colour: red }
    - name: loop
      add_host: { name: "{{ item }}", group: looped, ansible_connection: local }
      loop: [l1, l2]
    - name: existing host into a group
      add_host: { name: h2, groups: looped }
    - name: registered
      debug: { msg: "{{ one | default('undefined') }}" }
- hosts: added:looped
  gather_facts: false
  tasks:
    - name: show
      debug: { msg: "{{ inventory_hostname }} {{ colour | default('-') }} {{ group_names }} {{ ansible_ssh_port | default('-') }} {{ group | default('-') }}" }
    - name: groups
      debug: { msg: "{{ groups }}" }
      run_once: true
`;

/** `task name/host` → changed and msg (items' changed too), from a run's results. */
type Outcomes = Record<string, { changed: boolean; msg?: unknown; items?: boolean[] }>;

function ansibleOutcomes(): Outcomes {
  const run = spawnSync('ansible-playbook', ['-i', join(dir, 'hosts.yml'), '-e', 'ansible_python_interpreter=/usr/bin/python3', join(dir, 'site.yml')], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(dir, 'tmp') },
  });
  if (run.error !== undefined || run.stdout === '') throw new Error(`ansible-playbook 2.14 is the oracle here (scripts/setup-test-deps.sh installs it): ${run.error?.message ?? run.stderr}`);
  const report = JSON.parse(run.stdout) as { plays: { tasks: { task: { name: string }; hosts: Record<string, { changed?: boolean; msg?: unknown; results?: { changed?: boolean }[] }> }[] }[] };
  const outcomes: Outcomes = {};
  for (const play of report.plays)
    for (const task of play.tasks)
      for (const [host, result] of Object.entries(task.hosts)) {
        const debug = task.task.name === 'registered' || task.task.name === 'show' || task.task.name === 'groups';
        outcomes[`${task.task.name}/${host}`] = {
          changed: result.changed === true,
          ...(debug ? { msg: result.msg } : {}),
          ...(result.results === undefined ? {} : { items: result.results.map((item) => item.changed === true) }),
        };
      }
  return outcomes;
}

describe('add_host: the second play targets the added hosts (beastie and ansible-playbook 2.14)', () => {
  it('the same hosts, changed, registered values, variables and groups', async () => {
    const files = { 'site.yml': playbook, 'hosts.yml': localHosts({ h1: {}, h2: {} }) };
    const run = await runYaml(dir, files);
    expect(run.code, run.stderr).toBe(0);
    const beastie: Outcomes = {};
    for (const event of run.events) {
      if (event.event === 'task_result' && event.host !== undefined && event.task !== undefined) {
        const key = `${event.task}/${event.host}`;
        const debug = event.task === 'registered' || event.task === 'show' || event.task === 'groups';
        beastie[key] = { ...beastie[key], changed: event.status === 'changed', ...(debug ? { msg: event.values?.['msg'] } : {}) };
      }
      if (event.event === 'item_result' && event.host !== undefined && event.task !== undefined) {
        const key = `${event.task}/${event.host}`;
        const items = [...(beastie[key]?.items ?? []), event.status === 'changed'];
        beastie[key] = { changed: beastie[key]?.changed ?? false, items };
      }
    }
    const expected = ansibleOutcomes();
    // Ansible's `registered` msg holds the registered dict with failed: false; beastie's too.
    expect(beastie).toEqual(expected);
    // Without the oracle's help too: the second play ran on the added hosts.
    expect(Object.keys(beastie).filter((key) => key.startsWith('show/')).sort()).toEqual(['show/h2', 'show/l1', 'show/l2', 'show/new1']);
  }, 120_000);

  it('under --check the hosts are added as well, and the second play runs on them', async () => {
    const run = await runYaml(dir, { 'site.yml': playbook, 'hosts.yml': localHosts({ h1: {}, h2: {} }) }, ['--check']);
    expect(run.code, run.stderr).toBe(0);
    const shown = run.events.filter((e) => e.event === 'task_result' && e.task === 'show').map((e) => e.values?.['msg']);
    expect(shown).toContain("new1 red ['added', 'more'] 2201 a-variable");
  });
});
