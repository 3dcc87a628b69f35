// doctor's --json output: JSON Lines, one `doctor_host` object per host (its findings in full)
// and a last `doctor_recap` with the exit code, like `beastie play --json`'s events.
import { doctorExitCode } from './diagnosis-summary.js';
import type { HostDiagnosis } from './run-doctor.js';

/** Every line of the JSON output. */
export function doctorJsonLines(diagnoses: readonly HostDiagnosis[]): string {
  const lines = diagnoses.map((diagnosis) => JSON.stringify({ event: 'doctor_host', ...diagnosis }));
  const count = (status: HostDiagnosis['status']) => diagnoses.filter((diagnosis) => diagnosis.status === status).length;
  lines.push(JSON.stringify({ event: 'doctor_recap', hosts: diagnoses.length, examined: count('examined'), unreachable: count('unreachable'), exitCode: doctorExitCode(diagnoses) }));
  return `${lines.join('\n')}\n`;
}
