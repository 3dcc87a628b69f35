// Applying a plan whose later steps depend on what earlier steps create (a jail's generated
// jail.conf, a guest's generated conf): a change step without actions is a barrier that is
// planned concretely once everything before it has run.
import type { ApplyContext, ApplyOutcome, ModuleDefinition, Plan, PlanInput } from './module.js';
import { planChanges, putAttributes } from './module.js';
import { exitedText } from '../text/exit-text.js';
import { changesLeft } from './changes-left.js';


/**
 * Run the plan's change steps in order up to the first barrier (a change step with no actions),
 * then observe and plan again; repeat until the plan changes nothing, at most `rounds` times.
 * Finally verify with the module's own check, as the runner does for plain plans.
 */
export async function convergeApply<P, F>(
  module: Pick<ModuleDefinition, 'observe' | 'plan' | 'verify'>,
  context: ApplyContext,
  input: PlanInput<P, F> & { readonly plan: Plan },
  rounds = 4,
): Promise<ApplyOutcome> {
  let plan = input.plan;
  let changed = false;
  for (let round = 0; round < rounds; round++) {
    // What each step's last command printed this round: a tool that exits 0 without doing its
    // job (bastille start, vm start) is caught when the next plan asks for the same step again.
    const ran = new Map<string, string>();
    for (const step of plan.steps) {
      if (step.kind !== 'change') continue;
      if (step.actions.length === 0) break;
      context.progress(step.summary);
      for (const action of step.actions) {
        changed = true;
        if (action.kind === 'put') {
          await context.put(action.path, action.content, putAttributes(action));
          continue;
        }
        const result = await context.run(action.command, action.stdin === undefined ? {} : { stdin: action.stdin });
        ran.set(step.summary, `${step.summary}: ${exitedText(result.command, { ...result, stderr: `${result.stderr}\n${result.stdout}` })}`);
        if (!(action.okExitCodes ?? [0]).includes(result.exitCode)) {
          context.invalidateFacts();
          return { changed, failure: `${step.summary}: ${exitedText(result.command, result)}` };
        }
      }
    }
    context.invalidateFacts();
    const facts = (await module.observe(context, input.params)) as F;
    plan = module.plan({ ...input, facts });
    if (plan.failure !== undefined) return { changed, failure: plan.failure };
    const again = plan.steps.find((s) => s.kind === 'change' && s.actions.length > 0 && ran.has(s.summary));
    if (again !== undefined && again.kind === 'change') {
      // Both halves explain: the module's own check (vm list, bhyve.log…) and what the tool
      // printed while claiming success (jail(8)'s "unknown parameter: allow.vmm" on stderr).
      const reason = module.verify?.({ params: input.params, facts, results: [] });
      const said = ran.get(again.summary) ?? '';
      return {
        changed,
        failure: `${again.summary} did not take effect although the tool reported success${reason ? `: ${reason}` : ''}\n${said}`,
      };
    }
    if (!planChanges(plan)) {
      const failure = module.verify?.({ params: input.params, facts, results: [] });
      return failure === undefined ? { changed } : { changed, failure };
    }
  }
  return { changed, failure: `still not in the wanted state after ${rounds} rounds; left to do: ${changesLeft(plan).join('; ')}` };
}
