// Ansible's command/shell result times and stream handling: start, end and delta as Python prints
// datetime.now() and a timedelta, and strip_empty_ends (the runner strips trailing newlines; with
// strip_empty_ends false the command's own bytes are registered).
import type { CommandResult } from '../../src/transport/transport.js';

/** Python's str(datetime.now()): `2026-12-02 01:02:03.456000`, local time. */
export function pythonDateTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
}

/** Python's str(timedelta): `0:00:01.234000`. */
export function pythonDelta(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const micro = (total % 1000) * 1000;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}${micro === 0 ? '' : `.${String(micro).padStart(6, '0')}`}`;
}

/** start/end/delta of the command that ran last, its end taken as `now` (when its result came back). */
export function runTimes(results: readonly CommandResult[], now: number): Record<string, string> {
  const last = results.at(-1);
  if (last === undefined) return {};
  return { start: pythonDateTime(now - last.durationMs), end: pythonDateTime(now), delta: pythonDelta(last.durationMs) };
}

/** With strip_empty_ends false: stdout/stderr exactly as the command printed them. */
export function unstrippedStreams(results: readonly CommandResult[]): Record<string, unknown> {
  const last = results.at(-1);
  if (last === undefined) return {};
  return { stdout: last.stdout, stderr: last.stderr };
}
