// Memory of a controller's whole process tree, sampled from /proc: the sum of every process's
// resident set (what the machine must hold if pages were not shared) and, less often, the sum of
// proportional set sizes (shared pages split between their users: what forks really cost).
import { readFileSync } from 'node:fs';

/** x86-64 and arm64 Linux both use 4 KiB pages for /proc/PID/statm. */
const PAGE_BYTES = 4096;

/** Resident bytes of one process, or 0 when it has already exited. */
export function residentBytes(pid: number): number {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8');
    return Number(statm.split(' ')[1] ?? 0) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

/** Proportional set size of one process in bytes (smaps_rollup), or 0 when it has exited. */
export function proportionalBytes(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = /^Pss:\s+(\d+) kB$/m.exec(rollup);
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peaks seen so far by a sampler. */
export interface MemoryPeaks {
  readonly rssBytes: number;
  readonly pssBytes: number;
  readonly processes: number;
  readonly samples: number;
}

/** Keeps the peaks of repeated samples of a set of pids. */
export class MemoryPeakTracker {
  #rss = 0;
  #pss = 0;
  #processes = 0;
  #samples = 0;

  /** Sum the tree once; `withPss` also reads smaps_rollup (slower, so not every sample). */
  sample(pids: readonly number[], withPss: boolean): void {
    let rss = 0;
    let pss = 0;
    for (const pid of pids) {
      rss += residentBytes(pid);
      if (withPss) pss += proportionalBytes(pid);
    }
    this.#rss = Math.max(this.#rss, rss);
    this.#pss = Math.max(this.#pss, pss);
    this.#processes = Math.max(this.#processes, pids.length);
    this.#samples += 1;
  }

  /** The peaks. */
  peaks(): MemoryPeaks {
    return { rssBytes: this.#rss, pssBytes: this.#pss, processes: this.#processes, samples: this.#samples };
  }
}
