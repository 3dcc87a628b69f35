// The ad-hoc mode's output, laid out as ansible's minimal callback (and oneline with -o) prints
// it: `host | CHANGED | rc=0 >>` then the output for command/shell/raw, `host | SUCCESS => {…}`
// with the result as 4-space-indented JSON for other modules, `host | UNREACHABLE! => {…}`.
// --tree DIR writes each host's result as JSON to DIR/HOST, as ansible's tree callback does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, RunEvent } from '../output/events.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { TextOut } from './cli-io.js';

/** Modules whose result is shown as their output rather than JSON (ansible's MODULE_NO_JSON). */
const NO_JSON = new Set(['command', 'shell', 'raw']);

type TaskResult = Extract<RunEvent, { event: 'task_result' }>;

/** Prints ad-hoc results as ansible does. */
export class AdhocReporter implements Reporter {
  constructor(
    private readonly out: TextOut,
    private readonly err: TextOut,
    private readonly options: { readonly oneLine: boolean; readonly tree: string | undefined; readonly module: string; readonly setup: boolean },
  ) {}

  emit(event: RunEvent): void {
    // What hosts say is printed: its escape sequences are shown, never obeyed (terminal-safe.ts).
    if (event.event === 'warning') this.err.write(`[WARNING]: ${terminalSafe(event.msg)}\n`);
    if (event.event !== 'task_result') return;
    // Fact gathering is shown only when it stops a host (setup shows its facts through its own task).
    if (event.module === undefined && event.status !== 'failed' && event.status !== 'unreachable') return;
    this.out.write(`${terminalSafe(this.line(event))}\n`);
    // beastie's explanation of a known failure text goes to stderr, so stdout keeps ansible's layout.
    if (event.explanation !== undefined) this.err.write(`${event.host}: cause: ${event.explanation.cause}\n${event.host}: fix: ${event.explanation.fix}\n`);
    if (this.options.tree !== undefined) {
      mkdirSync(this.options.tree, { recursive: true });
      writeFileSync(join(this.options.tree, event.host), JSON.stringify(this.result(event)));
    }
  }

  /** The module's result as ansible shows it. */
  private result(event: TaskResult): Record<string, unknown> {
    const values = { ...(event.values ?? {}) };
    if (this.options.setup) {
      // `-m setup` runs as fact gathering plus a debug of ansible_facts: show the facts as setup returns them.
      return { ansible_facts: values['ansible_facts'] ?? {}, changed: false };
    }
    if (event.status === 'unreachable') return { changed: false, msg: event.msg, unreachable: true };
    const result: Record<string, unknown> = { changed: event.status === 'changed', ...values };
    // Ansible's modules say `failed` only when they failed.
    if (result['failed'] === false) delete result['failed'];
    if (event.status === 'failed') {
      result['failed'] = true;
      result['msg'] ??= event.msg;
    }
    for (const key of ['stdout', 'stderr', 'rc'] as const) if (event[key] !== undefined) result[key] ??= event[key];
    return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
  }

  private line(event: TaskResult): string {
    const host = event.host;
    if (event.status === 'unreachable') return this.options.oneLine ? `${host} | UNREACHABLE!: ${event.msg}` : `${host} | UNREACHABLE! => ${JSON.stringify(this.result(event), null, 4)}`;
    if (event.status === 'skipped') return `${host} | SKIPPED`;
    const failed = event.status === 'failed';
    const state = failed ? 'FAILED' : event.status === 'changed' ? 'CHANGED' : 'SUCCESS';
    if (NO_JSON.has(event.module ?? this.options.module) && (event.rc !== undefined || !failed)) {
      const stdout = event.stdout ?? '';
      const stderr = event.stderr ?? '';
      const rc = event.rc ?? -1;
      if (this.options.oneLine) {
        const flat = (text: string) => text.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
        return `${host} | ${state} | rc=${rc} | (stdout) ${flat(stdout)}${stderr === '' ? '' : ` (stderr) ${flat(stderr)}`}`;
      }
      return `${host} | ${state} | rc=${rc} >>\n${stdout}${stderr}`;
    }
    const result = this.result(event);
    if (this.options.oneLine) return `${host} | ${failed ? 'FAILED!' : state} => ${JSON.stringify(result)}`;
    return `${host} | ${failed ? 'FAILED!' : state} => ${JSON.stringify(result, null, 4)}`;
  }
}
