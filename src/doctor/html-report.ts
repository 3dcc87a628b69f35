// `beastie doctor --report FILE`: one self-contained HTML page (no scripts, no external
// resources, a CSP of default-src 'none'; every host value escaped) with the same groups and
// findings as the terminal output.
import { html, trustedConstant, type SafeHtml } from '../html-report/safe-html.js';
import { doctorExitCode, groupByFindings } from './diagnosis-summary.js';
import type { Finding } from './finding.js';
import type { HostDiagnosis } from './run-doctor.js';

const STYLE = trustedConstant(`body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}pre{background:#f4f4f4;padding:.5em;overflow:auto}
.error{color:#b00}.warning{color:#a60}.ok{color:#070}h2{font-size:1.1em}`);

function findingHtml(finding: Finding): SafeHtml {
  return html`<section><h3 class="${finding.severity}">${finding.severity.toUpperCase()} ${finding.id}${finding.jail === undefined ? '' : ` [jail ${finding.jail}]`}</h3>
<p>${finding.what}</p>
${finding.evidence.map((evidence) => html`<p>evidence (${evidence.where}): <code>${evidence.command}</code></p><pre>${evidence.output}</pre>`)}
<p>fix (${finding.fix.step}):</p><pre>${finding.fix.task}</pre></section>`;
}

/** The page. */
export function doctorReportHtml(diagnoses: readonly HostDiagnosis[], when: Date): string {
  const groups = groupByFindings(diagnoses).map((group) =>
    group.findings.length === 0
      ? html`<h2 class="ok">${group.hosts.length} hosts ok</h2><p>${group.hosts.join(', ')}</p>`
      : html`<h2>${group.hosts.length} hosts: ${group.findings.map((finding) => finding.id).join(', ')}</h2><p>${group.hosts.join(', ')}</p>${group.findings.map(findingHtml)}`,
  );
  const unreachable = diagnoses.flatMap((diagnosis) => (diagnosis.status === 'unreachable' ? [html`<p class="error">${diagnosis.host}: unreachable: ${diagnosis.message}</p>`] : []));
  return `<!doctype html>\n${html`<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>beastie doctor</title><style>${STYLE}</style></head>
<body><h1>beastie doctor</h1><p>${when.toISOString()} — ${diagnoses.length} hosts, exit code ${doctorExitCode(diagnoses)}</p>${groups}${unreachable}</body></html>`.text}\n`;
}
