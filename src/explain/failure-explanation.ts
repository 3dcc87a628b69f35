// What beastie adds under a failure it recognises: the cause and the fix, and where the tool's
// text comes from (the docs/freebsd page that quotes it from the tool's source).

/** A recognised failure text, explained. */
export interface FailureExplanation {
  /** The catalogue entry, e.g. `vm-bhyve-load-module-in-jail`. */
  readonly id: string;
  readonly cause: string;
  readonly fix: string;
  /** The project page that documents the tool's text, with the upstream file it was read from. */
  readonly doc: string;
}
