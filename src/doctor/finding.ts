// What `beastie doctor` reports: one finding per pitfall found on a host, with the evidence that
// shows it (the command and what it printed), the fix as a task to paste into a playbook, and the
// walk-through step the fix comes from.

/** `error`: bhyve in the jail will fail (or fails now); `warning`: it works now and breaks later, or works worse. */
export type Severity = 'error' | 'warning';

/** A command doctor ran and what it printed, shown under the finding. */
export interface Evidence {
  /** Where it ran: `host` or `jail NAME`. */
  readonly where: string;
  readonly command: string;
  readonly output: string;
}

/** How to fix a finding. */
export interface Fix {
  /** A beastie/Ansible task (YAML, two-space indented list item) to paste into a playbook. */
  readonly task: string;
  /** The seed walk-through's step this fix comes from (docs/freebsd/README.md names the article). */
  readonly step: string;
}

/** One pitfall found on one host. */
export interface Finding {
  /** Stable identifier, e.g. `vmm-not-loaded`; the check's file is src/doctor/checks/<check>.ts. */
  readonly id: string;
  readonly severity: Severity;
  /** The jail the finding is about, when it is about one. */
  readonly jail?: string;
  /** What is wrong, in one sentence. */
  readonly what: string;
  readonly evidence: readonly Evidence[];
  readonly fix: Fix;
}
