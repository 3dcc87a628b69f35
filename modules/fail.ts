// fail: fail the task with a message (usually under `when:`).
import { z } from 'zod';
import { defineModule } from '../src/module-api/module.js';

const params = z.strictObject({
  msg: z.string().default('Failed as requested from task').describe('The failure message.'),
});

export default defineModule({
  name: 'fail',
  summary: 'Fail the task with a message',
  description: "Ansible's fail, on the controller: the task fails with msg. Use it with when: to stop a host that is not fit.",
  params,
  controllerOnly: true,
  example: `- name: Refuse hosts without VT-x
  fail:
    msg: "{{ inventory_hostname }} cannot run bhyve guests"
  when: not beastie_vtx`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: p }) {
    return { steps: [], failure: p.msg, values: { msg: p.msg } };
  },
});
