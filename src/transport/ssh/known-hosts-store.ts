// The known_hosts files of one run, read once and shared by every host's connection; new keys
// are appended (accept-new) and the cache updated, so two hosts never read a stale copy.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseKnownHosts, type KnownHostEntry } from './known-hosts.js';

/** Reads and appends known_hosts files; one per factory (no global state). */
export class KnownHostsStore {
  private readonly files = new Map<string, Promise<KnownHostEntry[]>>();

  /** Every entry of `paths`, in order; a missing file has none. */
  async entries(paths: readonly string[]): Promise<KnownHostEntry[]> {
    const all = await Promise.all(paths.map((path) => this.read(path)));
    return all.flat();
  }

  private read(path: string): Promise<KnownHostEntry[]> {
    let entries = this.files.get(path);
    if (entries === undefined) {
      entries = readFile(path, 'utf8').then(
        (text) => parseKnownHosts(text, path),
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return [];
          throw error;
        },
      );
      this.files.set(path, entries);
    }
    return entries;
  }

  /** Appends one line (OpenSSH's accept-new), creating ~/.ssh with mode 0700 if needed. */
  async append(path: string, line: string): Promise<void> {
    if (path !== '/dev/null') await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // O_APPEND writes of one short line do not interleave between hosts.
    await appendFile(path, `${line}\n`, { mode: 0o600 });
    this.files.delete(path);
  }
}
