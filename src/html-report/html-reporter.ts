// `--report FILE`: a reporter that collects the run and writes the HTML page when the run closes.
import { writeFile } from 'node:fs/promises';
import type { Reporter, RunEvent } from '../output/events.js';
import { RunCollector, type Clock } from './run-collector.js';
import { renderReport } from './render-report.js';

export interface HtmlReporterOptions {
  /** Told when the page cannot be written; the run's own exit code stands. */
  readonly onWriteError: (message: string) => void;
  readonly clock?: Clock;
}

/** Collects every event; `close()` writes the self-contained report to `path`. */
export class HtmlReporter implements Reporter {
  private readonly collector: RunCollector;

  constructor(
    private readonly path: string,
    private readonly options: HtmlReporterOptions,
  ) {
    this.collector = new RunCollector(options.clock);
  }

  emit(event: RunEvent): void {
    this.collector.collect(event);
  }

  async close(): Promise<void> {
    try {
      // 0600 when created: the report holds command output, which may be secret (issue 17).
      await writeFile(this.path, renderReport(this.collector.model()), { encoding: 'utf8', mode: 0o600 });
    } catch (error) {
      // A report that cannot be written must not turn a finished run into a crash.
      const why = error instanceof Error ? error.message : String(error);
      this.options.onWriteError(`could not write the run report ${this.path}: ${why} (check that its directory exists and is writable)`);
    }
  }
}
