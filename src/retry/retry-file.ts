// The retry file: after a run, the hosts that did not finish (failed, unreachable, or never
// touched because the play stopped) one per line, so `--limit @FILE` re-runs just those. As
// ansible-playbook's PLAYBOOK.retry, beside the playbook unless --retry-file names another place.
// Per run: a run replaces only the lines of the hosts it ran, so two runs of one playbook on
// different hosts (--limit) never drop each other's lists; the read-merge-rename is done under
// `FILE.lock`, so two runs ending together cannot lose one's update.
// Synchronous: it is written while the recap event is passed on, just before the recap shows.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { withFileLock } from './file-lock.js';

/** Why a host is in the retry file. */
export type RetryReason = 'failed' | 'unreachable' | 'untouched';

/** The hosts of a run that a retry should target, in the order given, each once. */
export interface RetryHosts {
  readonly failed: readonly string[];
  readonly unreachable: readonly string[];
  readonly untouched: readonly string[];
  /**
   * Every host this run had (the recap's): their lines of an earlier list are replaced by this
   * run's outcome; the other lines are kept. Absent: the list replaces the whole file.
   */
  readonly ran?: readonly string[];
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
 * Write the retry file when some host did not finish; when none did, and an earlier list names
 * only hosts this run ran, remove the file, so a later `--limit @FILE` cannot re-run a stale list.
 */
export function updateRetryFile(path: string, hosts: RetryHosts): RetryFileOutcome {
  return withFileLock(`${path}.lock`, () => {
    const ran = hosts.ran === undefined ? undefined : new Set(hosts.ran);
    const kept = ran === undefined ? [] : readRetryFile(path).filter((host) => !ran.has(host));
    const list = [...new Set([...kept, ...retryHostList(hosts)])];
    if (list.length > 0) {
      // Written whole under a name of this run's own, then renamed: a second run of the same
      // playbook never reads half a list.
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
  });
}

/** The hosts an earlier run listed; none when there is no file. */
function readRetryFile(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** What the run says about the retry file: which hosts, why, and the command line part to re-run them. */
export function describeRetry(hosts: RetryHosts, listed: readonly string[], shownPath: string): string {
  const parts = [
    hosts.failed.length > 0 ? `${hosts.failed.length} failed` : '',
    hosts.unreachable.length > 0 ? `${hosts.unreachable.length} unreachable` : '',
    hosts.untouched.length > 0 ? `${hosts.untouched.length} not run to the end` : '',
    listed.length > retryHostList(hosts).length ? `${listed.length - retryHostList(hosts).length} left by an earlier run on other hosts` : '',
  ].filter((part) => part !== '');
  return `${listed.length} host(s) did not finish (${parts.join(', ')}); they are listed in ${shownPath}. Fix the cause, then re-run just them with: --limit @${shownPath}`;
}
