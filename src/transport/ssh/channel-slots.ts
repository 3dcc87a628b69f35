// OpenSSH's MaxSessions (10 by default) caps the sessions open at once on one connection; an 11th
// channel open is refused. Every exec channel and the SFTP session takes a slot; the rest wait.

/** A FIFO counting semaphore for one connection's channels. */
export class ChannelSlots {
  private inUse = 0;
  private readonly waiting: { resolve: (release: () => void) => void; reject: (error: unknown) => void }[] = [];
  private failure: unknown;

  constructor(readonly limit: number) {}

  /** Waits for a free slot; call the returned function (once) when the channel has closed. */
  acquire(): Promise<() => void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.inUse < this.limit) {
      this.inUse += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Slots in use now (for tests and diagnostics). */
  get used(): number {
    return this.inUse;
  }

  /** The connection is gone: every waiter fails with `error`, and so does every later acquire. */
  fail(error: unknown): void {
    this.failure = error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.resolve(this.releaser());
      else this.inUse -= 1;
    };
  }
}
