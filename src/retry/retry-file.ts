// The retry file: after a run, the hosts that did not finish (failed, unreachable, or never
// touched because the play stopped) one per line, so `--limit @FILE` re-runs just those. As
// ansible-playbook's PLAYBOOK.retry, beside the playbook unless --retry-file names another place.
// Synchronous: it is written while the recap event is passed on, just before the recap shows.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** Why a host is in the retry file. */
export type RetryReason = 'failed' | 'unreachable' | 'untouched';

/** The hosts of a run that a retry should target, in the order given, each once. */
export interface RetryHosts {
  readonly failed: readonly string[];
  readonly unreachable: readonly string[];
  readonly untouched: readonly string[];
}

/** What was done with the retry file. */
export type RetryFileOutcome =
  | { readonly kind: 'written'; readonly path: string; readonly hosts: readonly string[] }
  | { readonly kind: 'removed'; readonly path: string }
  | { readonly kind: 'none'; readonly path: string };

/** `playbooks/site.yml` → `playbooks/site.retry`. */
export function defaultRetryPath(playbookPath: string): string {
  const file = basename(playbookPath, extname(playbookPath));
  return join(dirname(playbookPath), `${file}.retry`);
}

/** The hosts to list: failed, unreachable, then untouched, without repeats. */
export function retryHostList(hosts: RetryHosts): string[] {
  return [...new Set([...hosts.failed, ...hosts.unreachable, ...hosts.untouched])];
}

/** The file's text: one host per line. */
export function retryFileText(hosts: readonly string[]): string {
  return hosts.map((host) => `${host}\n`).join('');
}

/**
 * Write the retry file when some host did not finish; when every host finished, remove a retry
 * file left by an earlier run, so a later `--limit @FILE` cannot re-run a stale list.
 */
export function updateRetryFile(path: string, hosts: RetryHosts): RetryFileOutcome {
  const list = retryHostList(hosts);
  if (list.length > 0) {
    // Written whole under a name of this run's own, then renamed: a second run of the same
    // playbook never reads half a list, and never appends to this one.
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, retryFileText(list), { flag: 'wx', mode: 0o600 });
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    return { kind: 'written', path, hosts: list };
  }
  try {
    rmSync(path);
    return { kind: 'removed', path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none', path };
    throw error;
  }
}

/** What the run says about the retry file: which hosts, why, and the command line part to re-run them. */
export function describeRetry(hosts: RetryHosts, listed: readonly string[], shownPath: string): string {
  const parts = [
    hosts.failed.length > 0 ? `${hosts.failed.length} failed` : '',
    hosts.unreachable.length > 0 ? `${hosts.unreachable.length} unreachable` : '',
    hosts.untouched.length > 0 ? `${hosts.untouched.length} not run to the end` : '',
  ].filter((part) => part !== '');
  return `${listed.length} host(s) did not finish (${parts.join(', ')}); they are listed in ${shownPath}. Fix the cause, then re-run just them with: --limit @${shownPath}`;
}
