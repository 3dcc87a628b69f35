// sysrc: one variable of rc.conf, loader.conf or another sh-style file, through FreeBSD's sysrc.
// sysrc rewrites the file even when the value is already right (docs/freebsd/sysrc.md), so the current
// value is read with `sysrc -f FILE -n NAME` first and sysrc runs only on a difference.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { sysrcValueFact, type SysrcValue } from '../src/facts/sysrc-value.js';
import { shConfValueProblem } from '../src/freebsd/sh-conf.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';

/** Ansible's check of the name (sysrc.py `^\w+$`, ASCII): sysrc has no OID-style names. */
const NAME = /^[A-Za-z0-9_]+$/;
/** Ansible's message for a name that is not a shell variable name, checked when the task runs. */
export const BAD_NAME = 'Name may only contain alpha-numeric and underscore characters';

const params = z
  .strictObject({
    name: z.string().min(1).describe('Variable name: vm_enable, kld_list, vmm_load… (letters, digits and _ only; anything else fails the task with Ansible\'s message).'),
    value: z
      .union([z.string(), z.number()])
      .transform(String)
      .optional()
      .describe('present: the value to set; value_present/value_absent: the word to add to or remove from the list. Without it the task changes nothing and registers the current value.'),
    state: z
      .enum(['present', 'absent', 'value_present', 'value_absent'])
      .default('present')
      .describe('present: NAME=value; absent: no NAME line in the file; value_present/value_absent: value is/is not one of the words of a list such as kld_list (sysrc += / -=).'),
    path: z.string().default('/etc/rc.conf').describe('The file (sysrc -f): /etc/rc.conf, /boot/loader.conf, …'),
    delim: z.string().length(1).default(' ').describe('Word separator of list values for value_present/value_absent.'),
    jail: z.string().min(1).optional().describe('Name or jid of a running jail: the variable is managed inside it, as with the task keyword jail:.'),
  })
  .superRefine((p, context) => {
    // sysrc writes NAME="value" verbatim into a file /bin/sh sources as root (docs/config-injection.md).
    const problem = p.value === undefined ? undefined : shConfValueProblem(p.value);
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['value'], message: problem });
    if (p.delim !== ' ' && /^[A-Za-z0-9./]$/.test(p.delim)) {
      context.addIssue({ code: 'custom', path: ['delim'], message: 'sysrc can only use a delimiter that is not a letter, digit, . or /' });
    }
  });

type Params = z.output<typeof params>;

/** The words of a list value. */
function words(value: string | undefined, delim: string): string[] {
  if (value === undefined) return [];
  return (delim === ' ' ? value.split(/\s+/) : value.split(delim)).filter((word) => word !== '');
}

/** `NAME="value"` line as the diff shows it; '' when unset. */
function line(name: string, value: string | undefined): string {
  return value === undefined ? '' : `${name}="${value}"\n`;
}

/**
 * The value the file itself assigns, as Ansible's sysrc reads it (`sysrc -v`, kept only when the
 * file printed is PATH): a value that only /etc/defaults/rc.conf gives counts as unset.
 */
function fileValue(current: SysrcValue): string | undefined {
  return current.inFile ? current.value : undefined;
}

/** The sysrc step that brings NAME in the file to what params ask, or why nothing is needed. */
export function planSysrc(p: Params, current: SysrcValue): Step {
  const header = `${p.path} ${p.name}`;
  const value = fileValue(current);
  switch (p.state) {
    case 'present': {
      if (p.value === undefined) return { kind: 'noop', reason: `no value given: ${p.name} left ${value === undefined ? 'unset' : `"${value}"`} in ${p.path}` };
      if (value === p.value) return { kind: 'noop', reason: `${p.name} is "${p.value}" in ${p.path}` };
      return {
        kind: 'change',
        summary: `set ${p.name}="${p.value}" in ${p.path}`,
        actions: [{ kind: 'run', command: sh`sysrc -f ${p.path} ${`${p.name}=${p.value}`}` }],
        diff: { header, before: line(p.name, value), after: line(p.name, p.value) },
      };
    }
    case 'absent':
      if (!current.inFile) return { kind: 'noop', reason: `${p.path} does not set ${p.name}` };
      return {
        kind: 'change',
        summary: `remove ${p.name} from ${p.path}`,
        actions: [{ kind: 'run', command: sh`sysrc -f ${p.path} -x ${p.name}` }],
        diff: { header, before: line(p.name, current.value), after: '' },
      };
    case 'value_present':
    case 'value_absent': {
      const list = words(value, p.delim);
      if (p.value === undefined) return { kind: 'noop', reason: `no value given: ${p.name} left as it is in ${p.path}` };
      const has = list.includes(p.value);
      if (has === (p.state === 'value_present')) {
        return { kind: 'noop', reason: `${p.name} ${has ? 'has' : 'lacks'} ${p.value} in ${p.path}` };
      }
      const after = p.state === 'value_present' ? [...list, p.value] : list.filter((word) => word !== p.value);
      const operator = p.state === 'value_present' ? '+=' : '-=';
      // sysrc takes a leading non-alphanumeric character of the value as the list delimiter (docs/freebsd/sysrc.md).
      const argument = `${p.name}${operator}${p.delim === ' ' ? '' : p.delim}${p.value}`;
      return {
        kind: 'change',
        summary: `${p.state === 'value_present' ? 'add' : 'remove'} ${p.value} ${p.state === 'value_present' ? 'to' : 'from'} ${p.name} in ${p.path}`,
        actions: [{ kind: 'run', command: sh`sysrc -f ${p.path} ${argument}` }],
        diff: { header, before: line(p.name, value), after: line(p.name, after.join(p.delim)) },
      };
    }
  }
}

/**
 * What Ansible's sysrc registers besides changed: `value`, the parameter as given, or — when
 * none was — what the file holds (a string for present, the list of words for value_present).
 */
export function sysrcValues(p: Params, current: SysrcValue): Record<string, unknown> {
  if (p.value !== undefined) return { value: p.value };
  const value = fileValue(current);
  if (p.state === 'present') return { value: value ?? null };
  if (p.state === 'value_present') return { value: value === undefined ? null : value.split(p.delim) };
  return { value: null };
}

/** The whole plan: Ansible's failure for a name sysrc cannot take, else the step and the result. */
export function planSysrcTask(p: Params, current: SysrcValue | undefined): Plan {
  if (current === undefined || !NAME.test(p.name)) return { steps: [], failure: BAD_NAME, values: { msg: BAD_NAME } };
  return { steps: [planSysrc(p, current)], values: sysrcValues(p, current) };
}

/** After sysrc ran: the state it should have reached, or what is still wrong. */
export function verifySysrc(p: Params, current: SysrcValue): string | undefined {
  const step = planSysrc(p, current);
  return step.kind === 'noop' ? undefined : `sysrc exited 0 but ${p.path} still needs: ${step.summary} (now ${line(p.name, fileValue(current)).trim() || 'unset'})`;
}

export default defineModule({
  name: 'sysrc',
  summary: 'Set, remove, or add to/remove from a list, one variable of rc.conf or loader.conf',
  description:
    "Ansible's community.general.sysrc. The value is read with `sysrc -f PATH -n NAME` (which also sees " +
    '/etc/defaults/rc.conf) and sysrc runs only when it differs, because sysrc rewrites and reports ' +
    'even an unchanged value. `absent` removes the line only when the file itself has one (a value ' +
    'that comes only from the defaults is left). Lists such as kld_list use sysrc += and -=, which never ' +
    "duplicate a word. The value is read again afterwards. As Ansible: a value only /etc/defaults/rc.conf gives " +
    'counts as unset; without value nothing changes and `value` registers what the file holds; ' +
    '`jail` runs the task inside that jail (the task keyword `jail:`). Registers `value` and `changed`.',
  params,
  example: `- name: vm-bhyve starts at boot
  sysrc:
    name: vm_enable
    value: "YES"

- name: vmm is loaded by the loader
  sysrc:
    name: vmm_load
    value: "YES"
    path: /boot/loader.conf

- name: nmdm is in kld_list
  sysrc:
    name: kld_list
    value: nmdm
    state: value_present`,
  jail: (p) => p.jail,
  needs: (p) => (NAME.test(p.name) ? [sysrcValueFact(p.name, p.path)] : []),
  async observe(host, p) {
    // A name sysrc cannot take is never sent to the host: the plan fails with Ansible's message.
    if (!NAME.test(p.name)) return undefined;
    const [current] = await host.facts(sysrcValueFact(p.name, p.path));
    return current;
  },
  plan({ params: p, facts }): Plan {
    return planSysrcTask(p, facts);
  },
  verify({ params: p, facts }) {
    return facts === undefined ? BAD_NAME : verifySysrc(p, facts);
  },
});
