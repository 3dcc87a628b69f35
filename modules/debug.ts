// debug: show a message or a variable's value in the output, on the controller.
import { z } from 'zod';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { evaluate, expressionParam } from './support/expression-param.js';

const params = z
  .strictObject({
    msg: z.unknown().optional().describe("What to show (any value, templated as usual); default 'Hello world!'."),
    var: expressionParam.optional().describe('A variable name or expression to show instead (`result.stdout_lines`).'),
    verbosity: z.number().int().nonnegative().default(0).describe('Show only when run with at least this many -v.'),
  })
  .superRefine((p, context) => {
    if (p.msg !== undefined && p.var !== undefined) context.addIssue({ code: 'custom', message: 'msg and var are mutually exclusive' });
  });

type Params = z.output<typeof params>;

/** The value to show, registered as `msg` or under the variable's own name, as Ansible does. */
export function planDebug(p: Params, vars: Readonly<Record<string, unknown>>): Plan {
  const verbosity = typeof vars['ansible_verbosity'] === 'number' ? vars['ansible_verbosity'] : 0;
  if (p.verbosity > verbosity) return { steps: [{ kind: 'noop', reason: `skipped: needs verbosity ${p.verbosity}` }] };
  if (p.var !== undefined) {
    const result = evaluate(p.var, vars, 'debug var');
    const value = result.ok ? result.value : 'VARIABLE IS NOT DEFINED!';
    return { steps: [{ kind: 'noop', reason: `${p.var}: ${JSON.stringify(value)}` }], values: { [p.var]: value } };
  }
  const msg = p.msg ?? 'Hello world!';
  return { steps: [{ kind: 'noop', reason: typeof msg === 'string' ? msg : JSON.stringify(msg) }], values: { msg } };
}

export default defineModule({
  name: 'debug',
  summary: 'Show a message or a variable in the output',
  description:
    "Ansible's debug, on the controller: msg is shown (and registered as msg), or var's value (registered " +
    "under the expression's text; an undefined one shows VARIABLE IS NOT DEFINED!). With verbosity N it " +
    'shows only when ansible_verbosity (the -v count) is at least N. Never changed.',
  params,
  controllerOnly: true,
  example: `- name: What kldstat said
  debug:
    var: vmm.stdout_lines`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: p, vars }) {
    return planDebug(p, vars);
  },
});
