// Whether an rc.d service is running, from `service NAME onestatus` (docs/freebsd/pkg-service.md): `onestatus`
// answers whether or not NAME_enable is set; rc 0 means running.
import { sh, type Command } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** What `service NAME onestatus` said. */
export type ServiceStatus =
  | { readonly kind: 'running'; readonly output: string }
  | { readonly kind: 'stopped'; readonly output: string }
  /** service(8) found no executable rc.d script of that name. */
  | { readonly kind: 'missing'; readonly output: string };

/** service(8)'s answer for a script in neither /etc/rc.d nor local_startup (usr.sbin/service/service.sh). */
export const MISSING_SCRIPT = /does not exist in \/etc\/rc\.d or the local startup/;

/** `rc=N` then service's combined output. */
export function parseServiceStatus(output: FactOutput): ServiceStatus {
  const [first = '', ...rest] = output.stdout.split('\n');
  const text = rest.join('\n').trim();
  const rc = Number(/^rc=(\d+)$/.exec(first.trim())?.[1] ?? '1');
  if (MISSING_SCRIPT.test(text)) return { kind: 'missing', output: text };
  return { kind: rc === 0 ? 'running' : 'stopped', output: text };
}

/** `service [OPTIONS] NAME ACTION`: service(8)'s options (`-v`, `-j JAIL`) come before the script's name. */
export function serviceCall(name: string, action: string, options: readonly string[] = []): Command {
  return options.length === 0 ? sh`service ${name} ${action}` : sh`service ${[...options]} ${name} ${action}`;
}

/** The running state of rc.d service `name`, asked with service(8)'s `options` (the service module's arguments). */
export function serviceStatusFact(name: string, options: readonly string[] = []): Fact<ServiceStatus> {
  return defineFact(
    options.length === 0 ? `service-status:${name}` : `service-status:${JSON.stringify(options)}:${name}`,
    sh`out=$(${serviceCall(name, 'onestatus', options)} 2>&1 </dev/null); printf 'rc=%d\\n%s\\n' "$?" "$out"`,
    parseServiceStatus,
  );
}
