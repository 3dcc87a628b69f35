// What a doctor run adds up to: hosts grouped by identical findings (so 180 clean hosts are one
// line and 20 hosts with the same missing kernel change are one group), and the exit code.
import { EXIT_OK, EXIT_TASK_FAILED, EXIT_UNREACHABLE } from '../errors.js';
import type { Finding } from './finding.js';
import type { HostDiagnosis } from './run-doctor.js';

/** Hosts whose findings read the same (same ids, jails and texts). */
export interface FindingGroup {
  readonly hosts: readonly string[];
  /** The first host's findings; the others' differ only in their evidence. */
  readonly findings: readonly Finding[];
}

const groupKey = (findings: readonly Finding[]) => JSON.stringify(findings.map((finding) => [finding.id, finding.severity, finding.jail ?? '', finding.what]));

/** Examined hosts grouped by their findings, clean hosts first, then the largest groups. */
export function groupByFindings(diagnoses: readonly HostDiagnosis[]): FindingGroup[] {
  const groups = new Map<string, { hosts: string[]; findings: readonly Finding[] }>();
  for (const diagnosis of diagnoses) {
    if (diagnosis.status !== 'examined') continue;
    const key = groupKey(diagnosis.findings);
    const group = groups.get(key) ?? { hosts: [], findings: diagnosis.findings };
    group.hosts.push(diagnosis.host);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => (a.findings.length === 0 ? -1 : b.findings.length === 0 ? 1 : b.hosts.length - a.hosts.length));
}

/** 2 when any host has an error finding, else 4 when a host could not be reached, else 0 (warnings alone pass). */
export function doctorExitCode(diagnoses: readonly HostDiagnosis[]): number {
  if (diagnoses.some((diagnosis) => diagnosis.status === 'examined' && diagnosis.findings.some((finding) => finding.severity === 'error'))) return EXIT_TASK_FAILED;
  if (diagnoses.some((diagnosis) => diagnosis.status === 'unreachable')) return EXIT_UNREACHABLE;
  return EXIT_OK;
}
