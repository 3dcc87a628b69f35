// A running jail keeps the parameters it was started with: jail(8) reads jail.conf only when it
// creates the jail, so an edited file waits for the next restart (docs/freebsd/bastille.md,
// "Parameters of a running jail"). `jls -n` prints the kernel's parameters of the running jail;
// jail(8)'s own pseudo-parameters (exec.*, mount.*, interface, vnet.interface…) are not kept by
// the kernel and never show there, so only kernel parameters are compared.
import { jailParam, parseJailConf } from './jail-conf.js';

/**
 * Kernel parameters a Bastille jail.conf sets and jls prints as written. ip4.addr is left out:
 * jail.conf may write it with an interface and prefix (`em0|10.0.0.1/24`), jls prints the address.
 */
const COMPARED = /^(allow\.[a-z0-9_.]+|securelevel|devfs_ruleset|enforce_statfs|children\.max|vnet|host\.hostname|path|osrelease)$/;

/** `allow.novmm` → `allow.vmm`: a negated flag names the parameter it turns off. */
function positiveKey(key: string): string {
  const dot = key.lastIndexOf('.');
  const leaf = key.slice(dot + 1);
  return key.startsWith('allow.') && leaf.startsWith('no') ? `${key.slice(0, dot + 1)}${leaf.slice(2)}` : key;
}

/** A flag's value as jls prints it (`true`/`false`; `vnet=new` or `inherit`) or jail.conf sets it. */
const on = (value: string) => !['false', '0', 'inherit'].includes(value);

/**
 * The parameters whose running value (`jls -j NAME -n`, parsed) differs from the jail.conf text,
 * as `name: running R, jail.conf C`; a parameter jls does not print is not judged.
 */
export function jailPendingChanges(confText: string, running: ReadonlyMap<string, string>): string[] {
  const conf = parseJailConf(confText);
  const keys = [...new Set(conf.statements.filter((statement) => statement.operator !== '+=').map((statement) => positiveKey(statement.key)))];
  return keys.flatMap((key) => {
    if (!COMPARED.test(key)) return [];
    const configured = jailParam(conf, key);
    const actual = running.get(key);
    if (configured === undefined || actual === undefined) return [];
    const flag = configured === 'true' || configured === 'false';
    if (flag ? on(actual) === on(configured) : actual === configured) return [];
    const shown = (value: string) => (flag ? (on(value) ? 'on' : 'off') : value);
    return [`${key}: running ${shown(actual)}, jail.conf ${shown(configured)}`];
  });
}
