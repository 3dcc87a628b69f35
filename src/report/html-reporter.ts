// `--report FILE`: a reporter that collects the run and writes the HTML page when the run closes.
import { writeFile } from 'node:fs/promises';
import type { Reporter, RunEvent } from '../output/events.js';
import { RunCollector, type Clock } from './run-collector.js';
import { renderReport } from './render-report.js';

/** Collects every event; `close()` writes the self-contained report to `path`. */
export class HtmlReporter implements Reporter {
  private readonly collector: RunCollector;

  constructor(
    private readonly path: string,
    clock?: Clock,
  ) {
    this.collector = new RunCollector(clock);
  }

  emit(event: RunEvent): void {
    this.collector.collect(event);
  }

  async close(): Promise<void> {
    await writeFile(this.path, renderReport(this.collector.model()), 'utf8');
  }
}
