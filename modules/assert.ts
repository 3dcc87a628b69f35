// assert: conditions over variables, facts and registered results must hold, or the task fails.
import { z } from 'zod';
import { truthy } from '../src/expression/values.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { evaluate, expressionParam } from './support/expression-param.js';

const params = withAliases(
  {
    that: z
      // ansible-core 2.14's plugins/action/assert.py makes a non-list `that` a list, and
      // playbook/conditional.py evaluate_conditional takes each item: None or '' holds
      // (`if conditional is None or conditional == '': res = True`; ansible-core's copy target has
      // one), a boolean is its own result (`elif isinstance(conditional, bool): res = conditional`).
      .union([expressionParam, z.boolean(), z.array(z.union([expressionParam, z.boolean(), z.null(), z.literal('')])).min(1)])
      .transform((value) => (Array.isArray(value) ? value : [value]).filter((item): item is string | boolean => item !== null && item !== ''))
      .describe('Expressions (as in when:) that must all be true.'),
    fail_msg: z.string().default('Assertion failed').describe('The failure message.'),
    success_msg: z.string().default('All assertions passed').describe('The message when every expression holds.'),
    quiet: z.boolean().default(false).describe('Do not show the success message.'),
  },
  { fail_msg: ['msg'] },
);

type Params = z.output<typeof params>;

/** Evaluate each expression in order; the first false one fails the task. */
export function planAssert(p: Params, vars: Readonly<Record<string, unknown>>): Plan {
  for (const assertion of p.that) {
    const result = typeof assertion === 'boolean' ? { ok: true as const, value: assertion } : evaluate(assertion, vars, 'assert');
    if (!result.ok) return { steps: [], failure: `The conditional check '${assertion}' failed: ${result.message}`, values: { assertion } };
    if (!truthy(result.value)) {
      return { steps: [], failure: p.fail_msg, values: { assertion, evaluated_to: false, msg: p.fail_msg } };
    }
  }
  return { steps: [{ kind: 'noop', reason: p.quiet ? 'assertions passed' : p.success_msg }], values: p.quiet ? {} : { msg: p.success_msg } };
}

export default defineModule({
  name: 'assert',
  summary: 'Fail the task unless every expression holds',
  description:
    "Ansible's assert, on the controller: each expression of `that` is evaluated like `when:`; the first " +
    'false one fails the task with fail_msg (and registers assertion, evaluated_to). Never changed.',
  params,
  controllerOnly: true,
  example: `- name: The host can run bhyve
  assert:
    that:
      - beastie_securelevel <= 0
      - "'vmm' in beastie_kernel_modules"
    fail_msg: vmm is not loaded or securelevel forbids loading it`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: p, vars }) {
    return planAssert(p, vars);
  },
});
