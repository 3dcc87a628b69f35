// set_fact: set host variables for the rest of the play, on the controller.
import { z } from 'zod';
import { defineModule } from '../src/module-api/module.js';
import { ansibleBoolean } from '../src/text/ansible-boolean.js';

const params = z
  .record(z.string(), z.unknown())
  .superRefine((facts, context) => {
    const names = Object.keys(facts).filter((key) => key !== 'cacheable');
    if (names.length === 0) context.addIssue({ code: 'custom', message: 'give at least one name: value pair' });
    for (const name of names) {
      // A templated name (`"{{ item }}": x`) is checked once rendered, at run time.
      if (!name.includes('{{') && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) context.addIssue({ code: 'custom', path: [name], message: `'${name}' is not a valid variable name (letters, digits and _, not starting with a digit)` });
    }
    // Ansible's set_fact reads cacheable with boolean(), so `cacheable=yes` in key=value form is true.
    const cacheable = facts['cacheable'];
    if ('cacheable' in facts && typeof cacheable !== 'boolean' && !(typeof cacheable === 'string' && (ansibleBoolean(cacheable) !== undefined || cacheable.includes('{{'))))
      context.addIssue({ code: 'custom', path: ['cacheable'], message: 'cacheable must be true or false' });
  })
  .transform(({ cacheable: _ignored, ...facts }) => facts)
  .describe('name: value pairs (values templated as usual); cacheable is accepted and ignored (no fact cache).');

export default defineModule({
  name: 'set_fact',
  summary: 'Set variables on the host for the rest of the play',
  description:
    "Ansible's set_fact, on the controller: each name: value pair becomes a host variable for later tasks " +
    '(above play and inventory vars, as in Ansible). Never changed. cacheable is accepted and ignored: ' +
    'beastie keeps no fact cache between runs.',
  params,
  controllerOnly: true,
  templatedKeys: true,
  example: `- name: Remember the jail's path
  set_fact:
    jail_root: "/usr/local/bastille/jails/{{ jail }}/root"`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: facts }) {
    return { steps: [{ kind: 'noop', reason: `set ${Object.keys(facts).join(', ')}` }], setFacts: facts, values: { ansible_facts: facts } };
  },
});
