// The changes made on any host of a run, counted. A program's recorded run (src/facts/recorded-run.ts)
// is used only when no host changed since it was read: a change made through another host's
// connection (a hypervisor loading a module its jail host reads, a task delegated there) is not
// one this host's cache can see, so any change anywhere in the run forgets every recorded run.
export class ChangeCount {
  private count = 0;

  /** The number of changes so far. */
  get value(): number {
    return this.count;
  }

  /** A host may have changed. */
  add(): void {
    this.count += 1;
  }
}
