// A doctor check: one pitfall of the bhyve-in-a-jail chain, decided by a pure function of what the
// probes printed, so each check is tested as a table of outputs → findings, without SSH.
import type { Finding } from './finding.js';
import type { JailView } from './jails.js';
import type { ProbeResults } from './probe.js';

/** Everything doctor read on one host. */
export interface DoctorEvidence {
  readonly host: ProbeResults;
  /** Every jail the host knows of (Bastille's jail.conf files and `jls`). */
  readonly jails: ReadonlyMap<string, JailView>;
  /** The jails doctor examines (--jail NAME, or those meant to run bhyve), in order. */
  readonly examined: readonly string[];
  /** What the examined jails that run printed inside (jexec), by name. */
  readonly inside: ReadonlyMap<string, ProbeResults>;
}

/** One pitfall, as a pure decision. */
export interface Check {
  /** The file's name: src/doctor/checks/<id>.ts. */
  readonly id: string;
  /** What it checks, for `beastie doctor --help` and the README. */
  readonly summary: string;
  evaluate(evidence: DoctorEvidence): Finding[];
}

/** The examined jails with their host view. */
export function examinedJails(evidence: DoctorEvidence): JailView[] {
  return evidence.examined.flatMap((name) => {
    const jail = evidence.jails.get(name);
    return jail === undefined ? [] : [jail];
  });
}
