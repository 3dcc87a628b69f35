// `npx tsx bench/template-render.ts`: controller CPU to render 500 hosts × 20 tasks of typical
// module parameters with the Jinja engine, each host seeing every host's variables (hostvars)
// through the runner's lazy variable view. Not a test: a figure for BENCHMARKS.md.
import { lazyVars } from '../src/runner/lazy-vars.js';
import { handlebarsTemplates } from '../src/runner/templates.js';

const HOSTS = 500;
const TASKS = 20;
const templates = handlebarsTemplates([]);
const source = { file: 'site.yml', line: 1, column: 1 };

/** Twenty task parameter sets as roles write them: paths, joins, defaults, conditionals, filters. */
const tasks = Array.from({ length: TASKS }, (_, i) => ({
  name: `vm {{ vm_name }} step ${i}`,
  dest: '{{ vm_dir }}/{{ vm_name }}/disk{{ loop_index | default(0) }}.img',
  mode: "{{ file_mode | default('0644') }}",
  line: "ifconfig_{{ nic }}=\"inet {{ ip }} netmask {{ netmask | default('255.255.255.0') }}\"",
  packages: "{{ base_packages + extra_packages | default([]) }}",
  enabled: "{{ 'YES' if service_enabled | bool else 'NO' }}",
  peers: "{{ groups['all'] | length }}",
  opts: '{{ options | dict2items | map(attribute="key") | join(",") }}',
}));

const hostNames = Array.from({ length: HOSTS }, (_, i) => `sim${String(i).padStart(3, '0')}`);
const hostVars = Object.fromEntries(
  hostNames.map((name, i) => [name, { inventory_hostname: name, ip: `10.0.${Math.floor(i / 250)}.${i % 250}`, vm_name: `vm-${name}`, nic: 'vtnet0' }]),
);
const shared = { vm_dir: '/vms', base_packages: ['tmux', 'git'], service_enabled: 'yes', options: { a: 1, b: 2, c: 3 }, groups: { all: hostNames }, hostvars: hostVars };

const before = process.cpuUsage();
const started = performance.now();
let rendered = 0;
for (const name of hostNames) {
  const vars = lazyVars({ ...shared, ...hostVars[name] }, templates, source);
  for (const params of tasks) {
    templates.render(params, vars, source);
    rendered++;
  }
}
const cpu = process.cpuUsage(before);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(`${HOSTS} hosts × ${TASKS} tasks = ${rendered} parameter sets (${rendered * Object.keys(tasks[0] ?? {}).length} templates): ${cpuMs.toFixed(0)} ms CPU, ${(performance.now() - started).toFixed(0)} ms wall`);
