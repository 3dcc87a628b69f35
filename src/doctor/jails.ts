// The jails doctor knows of on a host: Bastille's jail.conf files (running or not) and the
// running jails' parameters from `jls -n` (docs/freebsd/bastille.md). A jail that can run bhyve
// is one whose jail.conf or running parameters have allow.vmm, or the one named by --jail.
import { parseJailConf, jailParam, type JailConf } from '../freebsd/jail-conf.js';
import { parseJlsParams } from '../facts/bastille-state.js';
import { jailConfSections } from './host-probes.js';
import type { ProbeResults } from './probe.js';

/** One jail as the host sees it. */
export interface JailView {
  readonly name: string;
  /** Its Bastille jail.conf, parsed, and the file's path; undefined for a jail Bastille does not manage. */
  readonly conf: JailConf | undefined;
  readonly confPath: string | undefined;
  readonly confText: string | undefined;
  /** Parameters of the running jail (`jls -n`), undefined when it is not running. */
  readonly running: ReadonlyMap<string, string> | undefined;
}

/** Every jail of the host, by name: Bastille's (from jail.conf) and the running ones (jls). */
export function jailsOf(host: ProbeResults): Map<string, JailView> {
  const jails = new Map<string, JailView>();
  for (const [path, text] of jailConfSections(host.sections('jail.conf'))) {
    const conf = parseJailConf(text);
    if (conf.name === undefined) continue;
    jails.set(conf.name, { name: conf.name, conf, confPath: path, confText: text, running: undefined });
  }
  for (const line of host.text('jls').split('\n')) {
    if (line.trim() === '') continue;
    const params = parseJlsParams(line);
    const name = params.get('name');
    if (name === undefined) continue;
    const known = jails.get(name);
    jails.set(name, { name, conf: known?.conf, confPath: known?.confPath, confText: known?.confText, running: params });
  }
  return jails;
}

/** Whether a flag parameter is on, as jls prints it (`allow.vmm` / `allow.novmm`) or jail.conf sets it. */
export function flagOn(value: string | undefined): boolean {
  return value !== undefined && value !== 'false' && value !== '0';
}

/** A jail parameter as it will apply at the next start (jail.conf), else as it runs now. */
export function configuredParam(jail: JailView, key: string): string | undefined {
  return jail.conf === undefined ? jail.running?.get(key) : jailParam(jail.conf, key);
}

/** Whether the jail is meant to run bhyve: allow.vmm configured or in effect. */
export function wantsBhyve(jail: JailView): boolean {
  return flagOn(configuredParam(jail, 'allow.vmm')) || flagOn(jail.running?.get('allow.vmm'));
}

/** Whether the jail is a VNET jail (jls prints `vnet=new`; jail.conf has a bare `vnet;`). */
export function isVnet(value: string | undefined): boolean {
  return value === 'new' || flagOn(value) && value !== 'inherit' && value !== 'disable';
}
