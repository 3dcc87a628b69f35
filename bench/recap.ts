// The play recap both tools print (`host : ok=N changed=N unreachable=N failed=N …`), summed
// over hosts: a first run must change things, a second run nothing, and neither may fail.

/** Totals over every host of a recap. */
export interface RecapTotals {
  readonly hosts: number;
  readonly changed: number;
  readonly failed: number;
  readonly unreachable: number;
}

/** Sum the recap lines in a tool's output; undefined when there are none. */
export function parseRecap(output: string): RecapTotals | undefined {
  let hosts = 0;
  let changed = 0;
  let failed = 0;
  let unreachable = 0;
  for (const line of output.split('\n')) {
    if (!/^\S+\s+:\s+ok=\d+/.test(line)) continue;
    const count = (key: string) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(line)?.[1] ?? 0);
    hosts += 1;
    changed += count('changed');
    failed += count('failed');
    unreachable += count('unreachable');
  }
  return hosts === 0 ? undefined : { hosts, changed, failed, unreachable };
}
