// Tests wait for a condition, never for a fixed time: on a loaded machine (2 cores, several test
// files at once) any fixed sleep is too short some day. `waitFor` polls until `probe` returns a
// value other than undefined/false, and fails with what it waited for once the deadline passes.
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** How long to wait at most (default 30 s). */
  readonly timeoutMs?: number;
  /** Pause between probes (default 25 ms). */
  readonly intervalMs?: number;
}

/** Poll `probe` until it yields a value (not undefined or false); return that value. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(options.intervalMs ?? 25);
  }
}
