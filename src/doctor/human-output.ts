// doctor's terminal output: one block per group of hosts with the same findings — each finding
// with its severity and id, what is wrong, the evidence (where, the command, what it printed) and
// the fix (the walk-through step and the task to paste) — then a recap line.
import type { Painter } from '../output/colour.js';
import { groupByFindings } from './diagnosis-summary.js';
import type { Finding } from './finding.js';
import type { HostDiagnosis } from './run-doctor.js';

const indent = (text: string, by: string) => text.split('\n').map((line) => `${by}${line}`).join('\n');

/** A host list, shortened past 8 names. */
function hostList(hosts: readonly string[]): string {
  return hosts.length <= 8 ? hosts.join(', ') : `${hosts.slice(0, 8).join(', ')} and ${hosts.length - 8} more`;
}

/** One finding as text. */
export function renderFinding(finding: Finding, paint: Painter, evidenceFrom?: string): string {
  const tone = finding.severity === 'error' ? 'failed' : 'warning';
  const lines = [`  ${paint(tone, finding.severity.toUpperCase())} ${finding.id}${finding.jail === undefined ? '' : ` [jail ${finding.jail}]`}: ${finding.what}`];
  for (const evidence of finding.evidence) {
    lines.push(paint('dim', `    evidence (${evidence.where}${evidenceFrom === undefined ? '' : ` of ${evidenceFrom}`}): ${evidence.command.split('\n')[0] ?? ''}`));
    lines.push(indent(evidence.output, '      | '));
  }
  lines.push(`    fix (${finding.fix.step}):`);
  lines.push(indent(finding.fix.task, '      '));
  return lines.join('\n');
}

/** The whole report. */
export function renderDoctor(diagnoses: readonly HostDiagnosis[], paint: Painter): string {
  const out: string[] = [];
  for (const group of groupByFindings(diagnoses)) {
    const count = `${group.hosts.length} host${group.hosts.length === 1 ? '' : 's'}`;
    if (group.findings.length === 0) {
      out.push(paint('ok', `${count} ok: ${hostList(group.hosts)}`), '');
      continue;
    }
    const errors = group.findings.filter((finding) => finding.severity === 'error').length;
    const summary = group.findings.map((finding) => finding.id).join(', ');
    out.push(paint(errors > 0 ? 'failed' : 'warning', `${count}: ${summary}`) + ` → ${hostList(group.hosts)}`);
    for (const finding of group.findings) out.push(renderFinding(finding, paint, group.hosts.length > 1 ? group.hosts[0] : undefined));
    out.push('');
  }
  for (const diagnosis of diagnoses) {
    if (diagnosis.status === 'unreachable') out.push(paint('unreachable', `${diagnosis.host}: UNREACHABLE! ${diagnosis.message}`), '');
  }
  const examined = diagnoses.filter((diagnosis) => diagnosis.status === 'examined');
  const withErrors = examined.filter((diagnosis) => diagnosis.status === 'examined' && diagnosis.findings.some((finding) => finding.severity === 'error')).length;
  const withWarnings = examined.filter((diagnosis) => diagnosis.status === 'examined' && diagnosis.findings.length > 0 && diagnosis.findings.every((finding) => finding.severity === 'warning')).length;
  out.push(`DOCTOR RECAP: ${examined.length - withErrors - withWarnings} ok, ${withErrors} with errors, ${withWarnings} with warnings only, ${diagnoses.length - examined.length} unreachable`);
  return `${out.join('\n')}\n`;
}
