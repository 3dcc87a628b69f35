// sysrc: one variable of rc.conf, loader.conf or another sh-style file, through FreeBSD's sysrc.
// sysrc rewrites the file even when the value is already right (docs/freebsd/sysrc.md), so the current
// value is read with `sysrc -f FILE -n NAME` first and sysrc runs only on a difference.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { sysrcValueFact, type SysrcValue } from '../src/facts/sysrc-value.js';
import { defineModule, type Plan, type Step } from '../src/module/module.js';

const params = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_]+$/, 'a shell variable name: letters, digits and _ (sysrc has no OID-style names)').describe('Variable name: vm_enable, kld_list, vmm_load…'),
    value: z
      .union([z.string(), z.number()])
      .transform(String)
      .optional()
      .describe('present: the value to set; value_present/value_absent: the word to add to or remove from the list.'),
    state: z
      .enum(['present', 'absent', 'value_present', 'value_absent'])
      .default('present')
      .describe('present: NAME=value; absent: no NAME line in the file; value_present/value_absent: value is/is not one of the words of a list such as kld_list (sysrc += / -=).'),
    path: z.string().default('/etc/rc.conf').describe('The file (sysrc -f): /etc/rc.conf, /boot/loader.conf, …'),
    delim: z.string().length(1).default(' ').describe('Word separator of list values for value_present/value_absent.'),
  })
  .superRefine((p, context) => {
    if (p.state !== 'absent' && p.value === undefined) context.addIssue({ code: 'custom', path: ['value'], message: `state ${p.state} needs a value` });
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

/** The sysrc step that brings NAME in the file to what params ask, or why nothing is needed. */
export function planSysrc(p: Params, current: SysrcValue): Step {
  const header = `${p.path} ${p.name}`;
  const wanted = p.value ?? '';
  switch (p.state) {
    case 'present':
      if (current.value === wanted) return { kind: 'noop', reason: `${p.name} is "${wanted}" in ${p.path}` };
      return {
        kind: 'change',
        summary: `set ${p.name}="${wanted}" in ${p.path}`,
        actions: [{ kind: 'run', command: sh`sysrc -f ${p.path} ${`${p.name}=${wanted}`}` }],
        diff: { header, before: line(p.name, current.value), after: line(p.name, wanted) },
      };
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
      const list = words(current.value, p.delim);
      const has = list.includes(wanted);
      if (has === (p.state === 'value_present')) {
        return { kind: 'noop', reason: `${p.name} ${has ? 'has' : 'lacks'} ${wanted} in ${p.path}` };
      }
      const after = p.state === 'value_present' ? [...list, wanted] : list.filter((word) => word !== wanted);
      const operator = p.state === 'value_present' ? '+=' : '-=';
      // sysrc takes a leading non-alphanumeric character of the value as the list delimiter (docs/freebsd/sysrc.md).
      const argument = `${p.name}${operator}${p.delim === ' ' ? '' : p.delim}${wanted}`;
      return {
        kind: 'change',
        summary: `${p.state === 'value_present' ? 'add' : 'remove'} ${wanted} ${p.state === 'value_present' ? 'to' : 'from'} ${p.name} in ${p.path}`,
        actions: [{ kind: 'run', command: sh`sysrc -f ${p.path} ${argument}` }],
        diff: { header, before: line(p.name, current.value), after: line(p.name, after.join(p.delim)) },
      };
    }
  }
}

/** After sysrc ran: the state it should have reached, or what is still wrong. */
export function verifySysrc(p: Params, current: SysrcValue): string | undefined {
  const step = planSysrc(p, current);
  return step.kind === 'noop' ? undefined : `sysrc exited 0 but ${p.path} still needs: ${step.summary} (now ${line(p.name, current.value).trim() || 'unset'})`;
}

export default defineModule({
  name: 'sysrc',
  summary: 'Set, remove, or add to/remove from a list, one variable of rc.conf or loader.conf',
  description:
    "Ansible's community.general.sysrc. The value is read with `sysrc -f PATH -n NAME` (which also sees " +
    '/etc/defaults/rc.conf) and sysrc runs only when it differs, because sysrc rewrites and reports ' +
    'even an unchanged value. `absent` removes the line only when the file itself has one (a value ' +
    'that comes only from the defaults is left). Lists such as kld_list use sysrc += and -=, which never ' +
    "duplicate a word. The value is read again afterwards. Differences from Ansible: no `jail` " +
    'parameter — use the task keyword `jail:`, which runs sysrc inside the jail.',
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
  async observe(host, p) {
    const [current] = await host.facts(sysrcValueFact(p.name, p.path));
    return current;
  },
  plan({ params: p, facts }): Plan {
    return { steps: [planSysrc(p, facts)] };
  },
  verify({ params: p, facts }) {
    return verifySysrc(p, facts);
  },
});
