// Progress of a long `up` on stderr: one rewritten line on a terminal, a line per tenth otherwise.

/** Counts finished items and reports them. */
export interface Progress {
  tick(): void;
  finish(message: string): void;
}

/** A progress reporter for `total` items labelled `what` ("hosts up"). */
export function createProgress(total: number, what: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const tty = stream.isTTY;
  let done = 0;
  let lastReported = 0;
  const line = () => `sim: ${done}/${total} ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
  return {
    tick() {
      done += 1;
      if (tty) stream.write(`\r${line()}`);
      else if (done === total || done - lastReported >= Math.max(1, Math.ceil(total / 10))) {
        lastReported = done;
        stream.write(`${line()}\n`);
      }
    },
    finish(message) {
      stream.write(`${tty ? '\r\x1b[K' : ''}sim: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    },
  };
}
