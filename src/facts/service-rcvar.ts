// The rc.conf variable that enables an rc.d script, as `service NAME rcvar` prints it
// (docs/freebsd/pkg-service.md "rcvar"): the variable is the script's own `rcvar=` (usually
// `${name}_enable`, where `name=` is set inside the script — php-fpm's is php_fpm), so a script
// whose file name is not a shell variable name (php-fpm, milter-opendkim, mysql-server) can only
// be enabled through it. Ansible's service module reads it the same way on FreeBSD.
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { serviceCall } from './service-status.js';

/** The first `VAR="value"` line of the rcvar listing, or the listing when it has none. */
export type ServiceRcvar =
  | { readonly kind: 'found'; readonly variable: string; readonly value: string }
  | { readonly kind: 'none'; readonly output: string };

const ASSIGNMENT = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|'([^']*)'|(\S*))/;

/**
 * rc.subr's listing: `# NAME`, `#`, then one `VAR="value"` line per rcvar (the value as
 * load_rc_config and the script's defaults leave it) with `#` comment lines. As Ansible does
 * (shlex with comments, the first word holding `=`), the first assignment outside a comment wins:
 * sendmail lists several.
 */
export function parseServiceRcvar(output: FactOutput): ServiceRcvar {
  for (const line of output.stdout.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const match = ASSIGNMENT.exec(line);
    if (match?.[1] !== undefined) return { kind: 'found', variable: match[1], value: match[2] ?? match[3] ?? match[4] ?? '' };
  }
  return { kind: 'none', output: `${output.stdout}${output.stderr}`.trim() };
}

/** `service [OPTIONS] NAME rcvar`. */
export function serviceRcvarFact(name: string, options: readonly string[] = []): Fact<ServiceRcvar> {
  return defineFact(options.length === 0 ? `service-rcvar:${name}` : `service-rcvar:${JSON.stringify(options)}:${name}`, serviceCall(name, 'rcvar', options), parseServiceRcvar);
}
