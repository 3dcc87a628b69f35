// service: an rc.d service through FreeBSD's service(8) — running now (state) and at boot
// (enabled, as NAME_enable in rc.conf through sysrc). The `one…` verbs are used so starting
// and stopping work whether or not NAME_enable is set, as Ansible does on FreeBSD.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { serviceRcvarFact, type ServiceRcvar } from '../src/facts/service-rcvar.js';
import { serviceCall, serviceStatusFact, type ServiceStatus } from '../src/facts/service-status.js';
import type { Fact } from '../src/facts/fact.js';
import { sysrcValueFact, type SysrcValue } from '../src/facts/sysrc-value.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';
import { splitArgv } from './support/argv.js';

const params = withAliases(
  {
    name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'an rc.d script name such as sshd or vm').describe('The rc.d script: sshd, vm, bastille, devfs…'),
    state: z
      .enum(['started', 'stopped', 'restarted', 'reloaded'])
      .optional()
      .describe('started/stopped act only when needed; restarted always restarts; reloaded reloads a running service and starts a stopped one.'),
    enabled: z.boolean().optional().describe('Whether the service starts at boot: NAME_enable="YES"/"NO" in rc.conf, set with sysrc.'),
    arguments: z
      .string()
      .default('')
      .describe("service(8)'s own options, put before NAME as Ansible does on FreeBSD (`-v`, `-j JAIL`): `service ARGUMENTS NAME onestart`, and onestatus too."),
  },
  { arguments: ['args'] },
).superRefine((p, context) => {
  if (p.state === undefined && p.enabled === undefined) context.addIssue({ code: 'custom', message: 'give state, enabled, or both' });
  const split = splitArgv(p.arguments);
  if (split.kind === 'shell-syntax') {
    context.addIssue({ code: 'custom', path: ['arguments'], message: `'${split.character}' is shell syntax and service runs no shell: quote it ('${split.character}') to pass it as a word` });
  } else if (split.kind === 'unterminated') {
    context.addIssue({ code: 'custom', path: ['arguments'], message: `unterminated ${split.quote} quote in arguments` });
  }
});

type Params = z.output<typeof params>;

/** The words of `arguments`, split as sh would (Ansible's run_command splits them with shlex). */
export function serviceOptions(p: Params): string[] {
  const split = splitArgv(p.arguments);
  return split.kind === 'words' ? split.words : [];
}

/**
 * What the plan needs: the running state, and when `enabled` is asked for NAME_enable (read with
 * sysrc) or, for a script whose name is no shell variable name, its rcvar as the script names it.
 */
export interface ServiceFacts {
  readonly status: ServiceStatus;
  readonly enable?: SysrcValue;
  readonly rcvar?: ServiceRcvar;
}

/**
 * Whether NAME_enable can be named from the script's name: rc.subr's default rcvar is
 * `${name}_enable` and a script's `name=` is its file name whenever that is a variable name; for
 * php-fpm or mysql-server the script sets a name of its own, read from `service NAME rcvar`.
 */
function rcvarFromName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** The facts of ServiceFacts (needs and observe both use them). */
function serviceFacts(p: Params): { status: Fact<ServiceStatus>; enable?: Fact<SysrcValue>; rcvar?: Fact<ServiceRcvar> } {
  const status = serviceStatusFact(p.name, serviceOptions(p));
  if (p.enabled === undefined) return { status };
  return rcvarFromName(p.name) ? { status, enable: sysrcValueFact(`${p.name}_enable`) } : { status, rcvar: serviceRcvarFact(p.name, serviceOptions(p)) };
}

/** The enabling variable and its current value, or why it is unknown. */
function enableVariable(p: Params, facts: ServiceFacts): { variable: string; current: string | undefined } | { failure: string } {
  if (facts.rcvar === undefined) return { variable: `${p.name}_enable`, current: facts.enable?.value };
  if (facts.rcvar.kind === 'found') return { variable: facts.rcvar.variable, current: facts.rcvar.value };
  // Ansible's words (service.py, FreeBsdService.service_enable).
  return { failure: `unable to determine rcvar of ${p.name}: service ${p.name} rcvar printed ${facts.rcvar.output === '' ? 'nothing' : `'${facts.rcvar.output}'`}` };
}

/** rc.subr's checkyesno: YES, TRUE, ON or 1, in any case. */
export function isYes(value: string | undefined): boolean {
  return value !== undefined && /^(yes|true|on|1)$/i.test(value.trim());
}

/** The steps that bring the service to what params ask. */
export function planService(p: Params, facts: ServiceFacts): Plan {
  if (facts.status.kind === 'missing') return { steps: [], failure: `service ${p.name} does not exist: ${facts.status.output}` };
  const steps: Step[] = [];
  if (p.enabled !== undefined) {
    const found = enableVariable(p, facts);
    if ('failure' in found) return { steps: [], failure: found.failure };
    const { variable, current } = found;
    if (isYes(current) === p.enabled) {
      steps.push({ kind: 'noop', reason: `${variable} is ${current ?? 'unset'}` });
    } else {
      const value = p.enabled ? 'YES' : 'NO';
      steps.push({
        kind: 'change',
        summary: `${p.enabled ? 'enable' : 'disable'} ${p.name} at boot`,
        actions: [{ kind: 'run', command: sh`sysrc ${`${variable}=${value}`}` }],
        diff: { header: `rc.conf ${variable}`, before: current === undefined ? '' : `${variable}="${current}"\n`, after: `${variable}="${value}"\n` },
      });
    }
  }
  const running = facts.status.kind === 'running';
  const options = serviceOptions(p);
  const verb = (action: string, summary: string): Step => ({
    kind: 'change',
    summary,
    actions: [{ kind: 'run', command: serviceCall(p.name, action, options) }],
    diff: { header: `service ${p.name}`, before: running ? 'running\n' : 'stopped\n', after: 'running\n' },
  });
  switch (p.state) {
    case undefined:
      break;
    case 'started':
      steps.push(running ? { kind: 'noop', reason: `${p.name} is running` } : verb('onestart', `start ${p.name}`));
      break;
    case 'stopped':
      steps.push(
        running
          ? {
              kind: 'change',
              summary: `stop ${p.name}`,
              actions: [{ kind: 'run', command: serviceCall(p.name, 'onestop', options) }],
              diff: { header: `service ${p.name}`, before: 'running\n', after: 'stopped\n' },
            }
          : { kind: 'noop', reason: `${p.name} is not running` },
      );
      break;
    case 'restarted':
      steps.push(verb('onerestart', `restart ${p.name}`));
      break;
    case 'reloaded':
      steps.push(running ? verb('onereload', `reload ${p.name}`) : verb('onestart', `start ${p.name} (reload of a stopped service)`));
      break;
  }
  return { steps };
}

/** After acting: the service is in the wanted state, or service's own words say why not. */
export function verifyService(p: Params, facts: ServiceFacts): string | undefined {
  if (facts.status.kind === 'missing') return `service ${p.name} does not exist: ${facts.status.output}`;
  const running = facts.status.kind === 'running';
  const wantRunning = p.state === undefined ? undefined : p.state !== 'stopped';
  if (wantRunning !== undefined && running !== wantRunning) {
    return `${p.name} is ${running ? 'still running' : 'not running'} after service reported success: ${facts.status.output}`;
  }
  if (p.enabled !== undefined) {
    const found = enableVariable(p, facts);
    if ('failure' in found) return found.failure;
    if (isYes(found.current) !== p.enabled) return `${found.variable} is ${found.current ?? 'unset'} after sysrc`;
  }
  return undefined;
}

export default defineModule({
  name: 'service',
  summary: 'Start, stop, restart or reload an rc.d service, and enable it at boot',
  description:
    'Reads the state with `service NAME onestatus` (rc 0: running) and NAME_enable with `sysrc -n`. ' +
    'started/stopped run `service NAME onestart`/`onestop` only when needed; restarted always runs ' +
    '`onerestart`; reloaded runs `onereload`, or `onestart` when stopped. enabled sets NAME_enable="YES" ' +
    'or "NO" with sysrc; for a script whose name is no shell variable name (php-fpm, mysql-server) the ' +
    'variable is the one `service NAME rcvar` lists first, as Ansible reads it (php_fpm_enable). The state is read again afterwards: rc.d scripts that exit 0 without starting ' +
    'the daemon fail the task with their own output. Scripts without a status command (devfs) always look ' +
    'stopped: use restarted for them. arguments (alias args) are service(8) options, put before NAME as ' +
    'Ansible does on FreeBSD; they are split as sh would and shell syntax in them is refused. Differences ' +
    'from Ansible: no pattern, sleep or runlevel; use the task keyword `jail:` for a service inside a jail.',
  params,
  example: `- name: vm-bhyve is enabled and its guests are started
  service:
    name: vm
    enabled: true
    state: started`,
  needs: (p) => {
    const { status, enable, rcvar } = serviceFacts(p);
    return [status, ...(enable === undefined ? [] : [enable]), ...(rcvar === undefined ? [] : [rcvar])];
  },
  async observe(host, p): Promise<ServiceFacts> {
    const facts = serviceFacts(p);
    if (facts.enable !== undefined) {
      const [status, enable] = await host.facts(facts.status, facts.enable);
      return { status, enable };
    }
    if (facts.rcvar !== undefined) {
      const [status, rcvar] = await host.facts(facts.status, facts.rcvar);
      return { status, rcvar };
    }
    const [status] = await host.facts(facts.status);
    return { status };
  },
  plan({ params: p, facts }) {
    return planService(p, facts);
  },
  verify({ params: p, facts }) {
    return verifyService(p, facts);
  },
});
