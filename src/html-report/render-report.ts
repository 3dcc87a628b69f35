// The run model as one self-contained HTML page: header, timeline per host, failures, diffs,
// recap. Every value from hosts or playbooks goes through `html`, which escapes it; a Content
// Security Policy forbids every request, so opening the file offline shows all of it.
import type { RecapCounts } from '../output/events.js';
import { formatSourceRef } from '../source.js';
import { formatDuration } from './format-duration.js';
import { REPORT_SCRIPT } from './report-script.js';
import { REPORT_STYLE } from './report-style.js';
import type { ChangeEntry, FailureEntry, HostOutcome, HostTimeline, PlayEntry, RunModel, TaskSpan } from './run-model.js';
import { html, trustedConstant, type SafeHtml } from './safe-html.js';

/** Nothing may be fetched: inline style and script only. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const recapColumns = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

const outcomeOrder: readonly HostOutcome[] = ['ok', 'changed', 'failed', 'unreachable', 'unfinished', 'untouched'];

/** Failures that read the same on several hosts are shown once, with the hosts listed. */
interface FailureGroup {
  readonly first: FailureEntry;
  readonly hosts: string[];
  /** Every failure shown by this group, for the timeline's markers to link here. */
  readonly ids: number[];
}

/** Identical diffs on several hosts are shown once. */
interface ChangeGroup {
  readonly first: ChangeEntry;
  readonly hosts: string[];
}

/** A position on the time axis as a percentage of the run. */
function percent(ms: number, total: number): string {
  return `${Math.min(100, Math.max(0, (ms / total) * 100)).toFixed(3)}%`;
}

/** Ticks at 1, 2 or 5 × 10^k milliseconds, about eight across. */
function tickStep(total: number): number {
  const rough = total / 8;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough);
  return step ?? magnitude * 10;
}

function groupFailures(failures: readonly FailureEntry[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const failure of failures) {
    const key = JSON.stringify([failure.status, failure.task, formatSourceRef(failure.source), failure.msg, failure.stderr, failure.rc, failure.ignored, failure.rescued, failure.reason]);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { first: failure, hosts: [failure.host], ids: [failure.id] });
    } else {
      group.hosts.push(failure.host);
      group.ids.push(failure.id);
    }
  }
  return [...groups.values()];
}

function groupChanges(changes: readonly ChangeEntry[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const change of changes) {
    const key = JSON.stringify([change.task, formatSourceRef(change.source), change.header, change.diff, change.applied]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: change, hosts: [change.host] });
    else group.hosts.push(change.host);
  }
  return [...groups.values()];
}

/** Names shown inline before a long host list is folded away. */
const INLINE_HOSTS = 5;

/** Untouched hosts named in the note before the rest is folded away. */
const NOTE_HOSTS = 30;

/** `sim01` / `sim01, sim02` / `37 hosts: sim01, sim02, sim03, sim04, sim05, …` */
function hostList(hosts: readonly string[]): string {
  if (hosts.length <= 3) return hosts.join(', ');
  return `${hosts.length} hosts: ${hosts.slice(0, INLINE_HOSTS).join(', ')}${hosts.length > INLINE_HOSTS ? ', …' : ''}`;
}

/** Every host, folded when there are more than `inline` of them (a 500-host fleet stays readable). */
function allHosts(hosts: readonly string[], inline = INLINE_HOSTS): SafeHtml | string {
  if (hosts.length <= inline) return '';
  return html`<details class="hosts"><summary>all ${hosts.length} hosts</summary><span class="mono">${hosts.join(', ')}</span></details>`;
}

function header(model: RunModel, outcomes: ReadonlyMap<string, HostOutcome>): SafeHtml {
  const exitCode = model.end?.exitCode;
  const verdict =
    exitCode === undefined
      ? html`<span class="verdict fail">did not finish</span>`
      : exitCode === 0
        ? html`<span class="verdict pass">succeeded</span>`
        : html`<span class="verdict fail">failed · exit ${exitCode}</span>`;
  const counts = outcomeOrder.map((outcome) => {
    const n = [...outcomes.values()].filter((value) => value === outcome).length;
    return n === 0 ? '' : html`<span class="pill ${outcome}">${n} ${outcome}</span>`;
  });
  const duration = model.end?.durationMs ?? model.endMs;
  return html`<section class="header" id="run-header">
  <h1>beastie run · ${model.playbook}</h1> ${verdict}
  <div class="facts">
    <span>playbook <b class="mono">${model.playbook}</b></span>
    <span>started <b>${new Date(model.startedAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</b></span>
    <span>check mode <b>${model.check ? 'yes (--check: nothing was changed)' : 'no'}</b></span>
    <span>exit code <b id="exit-code">${exitCode ?? '—'}</b></span>
    <span>duration <b>${formatDuration(duration)}</b></span>
    <span>hosts <b>${model.hosts.length}</b></span>
    <span>plays <b>${model.plays.map((play) => play.name).join(', ')}</b></span>
  </div>
  <div class="counts">${counts}</div>
</section>
${model.unfinished.length === 0 ? '' : html`<div class="note" id="unfinished-note"><b>${model.unfinished.length} host${model.unfinished.length === 1 ? ' was' : 's were'} left unfinished</b> (the play stopped before their last task): <span class="mono">${model.unfinished.slice(0, NOTE_HOSTS).join(', ')}${model.unfinished.length > NOTE_HOSTS ? ', …' : ''}</span>${allHosts(model.unfinished, NOTE_HOSTS)}</div>`}
${model.untouched.length === 0 ? '' : html`<div class="note" id="untouched-note"><b>${model.untouched.length} host${model.untouched.length === 1 ? ' was' : 's were'} never touched</b> (the play stopped before their batch): <span class="mono">${model.untouched.slice(0, NOTE_HOSTS).join(', ')}${model.untouched.length > NOTE_HOSTS ? ', …' : ''}</span>${allHosts(model.untouched, NOTE_HOSTS)}</div>`}`;
}

function spanTitle(span: TaskSpan): string {
  const extra = span.ignored ? ' (ignored)' : span.rescued ? ' (rescued)' : '';
  return `${span.task} — ${span.status}${extra} — ${formatDuration(span.durationMs)} — ${formatSourceRef(span.source)}`;
}

function timelineRow(row: HostTimeline, plays: readonly PlayEntry[], total: number, anchors: ReadonlyMap<number, string>): SafeHtml {
  const bands = plays.flatMap((play) =>
    play.batches
      .filter((batch) => batch.hosts.includes(row.host))
      .map(
        (batch) =>
          html`<span class="batch" style="left:${percent(batch.startMs, total)};width:${percent(batch.endMs - batch.startMs, total)}" title="${play.name}: batch ${batch.batch} (${batch.hosts.length} hosts)"><span>batch ${batch.batch}</span></span>`,
      ),
  );
  const spans = row.spans.map((span) => {
    // A reboot or wait keeps its own look unless it failed: then it is red like any failure.
    const look = span.kind === 'task' || span.status === 'failed' || span.status === 'unreachable' ? span.status : span.kind;
    const classes = [look, span.ignored ? 'ignored' : '', span.rescued ? 'rescued' : ''].filter((c) => c !== '').join(' ');
    return html`<span class="span ${classes}" data-status="${span.status}" style="left:${percent(span.startMs, total)};width:${percent(span.endMs - span.startMs, total)}" title="${spanTitle(span)}"></span>`;
  });
  const markers = row.spans.flatMap((span) =>
    span.failureId === undefined || span.ignored
      ? []
      : [html`<a class="marker" href="#${anchors.get(span.failureId) ?? ''}" style="left:${percent(span.endMs, total)}" title="${span.status}: ${span.task} (${formatSourceRef(span.source)})">✕</a>`],
  );
  const waits = row.waits.map(
    (wait) =>
      html`<span class="span wait-phase" style="left:${percent(wait.startMs, total)};width:${percent(wait.endMs - wait.startMs, total)}" title="${wait.task}: waited ${formatDuration(wait.endMs - wait.startMs)} for the host to accept SSH again${wait.open ? ' (still waiting when the run ended)' : ''}"></span>`,
  );
  const marks = row.marks.map((mark) => html`<span class="mark" style="left:${percent(mark.atMs, total)}" title="${mark.task}: ${mark.message}"></span>`);
  const untouched = row.outcome === 'untouched' ? html`<span class="untouched-label">never touched</span>` : '';
  return html`<div class="row ${row.outcome}" data-host="${row.host}" data-outcome="${row.outcome}"><div class="name" title="${row.host}: ${row.outcome}">${row.host}</div><div class="lane">${bands}${spans}${waits}${marks}${markers}${untouched}</div></div>`;
}

function timeline(model: RunModel, anchors: ReadonlyMap<number, string>): SafeHtml {
  const total = Math.max(model.endMs, 1);
  const step = tickStep(total);
  const ticks: SafeHtml[] = [];
  for (let at = 0; at < total; at += step) ticks.push(html`<span class="tick" style="left:${percent(at, total)}">${formatDuration(at)}</span>`);
  const legend = html`<div class="legend"><span><i style="background:var(--ok)"></i>ok</span><span><i style="background:var(--changed)"></i>changed</span><span><i style="background:var(--failed)"></i>failed</span><span><i style="background:var(--unreachable)"></i>unreachable</span><span><i style="background:var(--skipped)"></i>skipped</span><span><i class="reboot"></i>reboot task</span><span><i class="wait"></i>wait_for_connection task</span><span><i class="waiting"></i>host down, waiting for SSH</span><span><i style="background:var(--band)"></i>batch</span><span>✕ failure (links below)</span></div>`;
  return html`<section id="timeline-section"><h2>Timeline</h2>
${legend}
<div class="controls"><input type="search" id="host-filter" placeholder="filter hosts by name" aria-label="filter hosts"><label><input type="checkbox" id="problems-only"> only hosts with problems</label><span class="summary-line">showing <span id="shown-count">${model.timelines.length}</span> of ${model.timelines.length} hosts</span></div>
<div class="timeline" id="timeline"><div class="row axis"><div class="name">host</div><div class="lane">${ticks}</div></div>
${model.timelines.map((row) => timelineRow(row, model.plays, total, anchors))}
</div></section>`;
}

function failures(groups: readonly FailureGroup[]): SafeHtml {
  if (groups.length === 0) return html`<section id="failures"><h2>Failures</h2><p class="empty">No task failed.</p></section>`;
  const items = groups.map(({ first, hosts }) => {
    const stderr = first.stderr !== undefined && first.stderr.trim() !== '' && !first.msg.includes(first.stderr.trim()) ? first.stderr.trim() : undefined;
    const tags = [first.ignored ? 'ignored' : '', first.rescued ? 'rescued' : '', first.reason === undefined ? '' : `reason: ${first.reason}`, first.rc === undefined ? '' : `rc ${first.rc}`].filter((t) => t !== '');
    return html`<div class="failure ${first.status}" id="failure-${first.id}" data-failure-host="${hosts.join(' ')}">
  <div class="title">${first.status === 'failed' ? 'FAILED' : 'UNREACHABLE'}: ${first.task} — on <span class="mono">${hostList(hosts)}</span></div>
  <div class="where mono">${formatSourceRef(first.source)}${tags.length > 0 ? ` · ${tags.join(' · ')}` : ''} · at ${formatDuration(first.atMs)}</div>
  <pre class="msg">${first.msg}</pre>
  ${stderr === undefined ? '' : html`<pre class="stderr">stderr: ${stderr}</pre>`}
  ${first.explanation === undefined ? '' : html`<div class="explanation"><p><strong>cause:</strong> ${first.explanation.cause}</p><p><strong>fix:</strong> ${first.explanation.fix}</p><p class="mono">${first.explanation.id} · ${first.explanation.doc}</p></div>`}
  ${allHosts(hosts)}
</div>`;
  });
  const hostCount = new Set(groups.flatMap((group) => group.hosts)).size;
  return html`<section id="failures"><h2>Failures</h2><p class="summary-line">${groups.length} distinct failure${groups.length === 1 ? '' : 's'} on ${hostCount} host${hostCount === 1 ? '' : 's'}</p>${items}</section>`;
}

function diffLines(text: string): SafeHtml[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) =>
      line.startsWith('@@')
        ? html`<span class="hunk">${line}</span>`
        : line.startsWith('+')
          ? html`<span class="add">${line}</span>`
          : line.startsWith('-')
            ? html`<span class="del">${line}</span>`
            : html`${line}\n`,
    );
}

function changeItems(groups: readonly ChangeGroup[]): SafeHtml[] {
  return groups.map(
    ({ first, hosts }) =>
      html`<details class="change"><summary><b>${first.task}</b> — <span class="mono">${first.header}</span> — <span class="mono">${hostList(hosts)}</span></summary>${allHosts(hosts)}<pre class="diff">${diffLines(first.diff)}</pre></details>`,
  );
}

/** Changes: what was applied; apart from it, what was planned and not applied (--check, a failed task). */
function changes(groups: readonly ChangeGroup[], check: boolean): SafeHtml {
  if (groups.length === 0) return html`<section id="changes"><h2>Changes</h2><p class="empty">No diff was reported.</p></section>`;
  const applied = groups.filter((group) => group.first.applied);
  const planned = groups.filter((group) => !group.first.applied);
  const count = (n: number) => `${n} diff${n === 1 ? '' : 's'}`;
  const done =
    applied.length === 0
      ? html`<p class="empty">${check ? 'Nothing was applied: this was a --check run.' : 'No diff was applied.'}</p>`
      : html`<p class="summary-line">${count(applied.length)} applied; click one to open it</p>${changeItems(applied)}`;
  const why = check
    ? '--check planned these and applied none of them'
    : 'the task failed: its plan stopped at the failure, so these were not applied (steps before it may have run; see Failures)';
  const notDone = planned.length === 0 ? '' : html`<h3 id="changes-not-applied">Planned, not applied</h3><p class="summary-line">${count(planned.length)}: ${why}</p>${changeItems(planned)}`;
  return html`<section id="changes"><h2>Changes</h2>${done}${notDone}</section>`;
}

function recap(model: RunModel, outcomes: ReadonlyMap<string, HostOutcome>): SafeHtml {
  const zero: RecapCounts = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };
  const rows = model.hosts.map((host) => {
    const counts = model.end?.hosts[host] ?? zero;
    const outcome = outcomes.get(host) ?? 'ok';
    const cells = recapColumns.map((column) => {
      const value = counts[column];
      return html`<td class="${value === 0 ? 'zero' : `nz-${column}`}">${value}</td>`;
    });
    return html`<tr class="${outcome}" data-host="${host}" data-outcome="${outcome}"><td class="mono">${host}</td>${cells}<td class="state">${outcome === 'untouched' ? 'never touched' : outcome}</td></tr>`;
  });
  return html`<section id="recap"><h2>Recap</h2>${model.end === undefined ? html`<p class="note">The run ended before its recap; the counts below are empty.</p>` : ''}
<div class="recap-wrap"><table class="recap"><thead><tr><th>host</th>${recapColumns.map((column) => html`<th>${column}</th>`)}<th class="state">state</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function warnings(model: RunModel): SafeHtml | string {
  if (model.warnings.length === 0) return '';
  return html`<ul class="warnings" id="warnings">${model.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>`;
}

/** The whole page. */
export function renderReport(model: RunModel): string {
  const outcomes = new Map(model.timelines.map((row) => [row.host, row.outcome] as const));
  const failureGroups = groupFailures(model.failures);
  const anchors = new Map<number, string>();
  for (const group of failureGroups) for (const id of group.ids) anchors.set(id, `failure-${group.first.id}`);
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>beastie run · ${model.playbook}</title>
<style>${trustedConstant(REPORT_STYLE)}</style></head>
<body><main>
${header(model, outcomes)}
${warnings(model)}
${timeline(model, anchors)}
${failures(failureGroups)}
${changes(groupChanges(model.changes), model.check)}
${recap(model, outcomes)}
</main><script>${trustedConstant(REPORT_SCRIPT)}</script></body></html>
`;
  return page.text;
}
