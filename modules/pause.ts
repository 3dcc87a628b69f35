// pause: wait a number of seconds or minutes on the controller (Ansible's pause). beastie never
// reads the terminal during a run, so a prompt is answered as Ansible answers it when stdin is not
// interactive: at once, with an empty user_input and Ansible's warning. The wait happens in observe
// (it contacts no host and runs in --check too, as Ansible's pause does); the plan stays pure.
import { z } from 'zod';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { pythonDateTime } from './support/run-times.js';

const whole = z.number().nonnegative().transform((n) => Math.trunc(n));

const params = withAliases(
  {
    seconds: whole.optional().describe('How long to wait, in seconds (at least 1).'),
    minutes: whole.optional().describe('How long to wait, in minutes.'),
    prompt: z.string().optional().describe('Text shown before waiting; without seconds/minutes it is not waited on (see README).'),
    echo: z.boolean().default(true).describe('Show what is typed (registered as echo; nothing is read).'),
  },
  {},
).superRefine((p, context) => {
  if (p.seconds !== undefined && p.minutes !== undefined) context.addIssue({ code: 'custom', message: 'parameters are mutually exclusive: minutes|seconds' });
});

type Params = z.output<typeof params>;

/** When the wait began and ended (milliseconds since the epoch). */
export interface PauseFacts {
  readonly start: number;
  readonly stop: number;
}

/** The wait in milliseconds; undefined for a prompt alone (not waited on). Ansible waits at least 1 s. */
export function pauseMilliseconds(p: Params): number | undefined {
  const seconds = p.minutes !== undefined ? p.minutes * 60 : p.seconds;
  return seconds === undefined ? undefined : Math.max(seconds, 1) * 1000;
}

/** Never changed; registers Ansible's keys. */
export function planPause(p: Params, facts: PauseFacts): Plan {
  const elapsed = (facts.stop - facts.start) / 1000;
  const unit = p.minutes !== undefined ? 'minutes' : 'seconds';
  const duration = Math.round((unit === 'minutes' ? elapsed / 60 : elapsed) * 100) / 100;
  const stdout = `Paused for ${Number.isInteger(duration) ? duration.toFixed(1) : duration} ${unit}`;
  const prompted = pauseMilliseconds(p) === undefined;
  return {
    steps: [{ kind: 'noop', reason: prompted ? `${p.prompt ?? 'Press enter to continue, Ctrl+C to interrupt'}: Not waiting for response to prompt as stdin is not interactive` : stdout }],
    values: { rc: 0, stderr: '', stdout, start: pythonDateTime(facts.start), stop: pythonDateTime(facts.stop), delta: Math.trunc(elapsed), echo: p.echo, user_input: '' },
    ...(prompted ? { notes: ['[WARNING]: Not waiting for response to prompt as stdin is not interactive'] } : {}),
  };
}

export default defineModule({
  name: 'pause',
  summary: 'Wait some seconds or minutes on the controller',
  description:
    "Ansible's pause: waits `seconds` or `minutes` (at least one second) on the controller, in --check too, " +
    'and registers stdout (`Paused for 2.0 seconds`), start, stop, delta, echo, user_input, rc and stderr. Never ' +
    'changed. beastie does not read the terminal during a run: a prompt without seconds/minutes continues at ' +
    'once with user_input "" and the warning Ansible gives when stdin is not interactive. Each host waits in ' +
    'its own task run, at the same time (Ansible pauses once for the play).',
  params,
  example: `- name: Let the service settle
  pause:
    seconds: 5`,
  needs: () => [],
  async observe(_host, p): Promise<PauseFacts> {
    const start = Date.now();
    const ms = pauseMilliseconds(p);
    if (ms !== undefined) await new Promise((resolve) => setTimeout(resolve, ms));
    return { start, stop: Date.now() };
  },
  plan({ params: p, facts }) {
    return planPause(p, facts);
  },
});
