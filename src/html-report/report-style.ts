// The report page's stylesheet, inlined so the page needs nothing but itself (no fonts, no
// network). Status colours match the human reporter's: green ok, yellow changed, red failed.

/** CSS of the run report. */
export const REPORT_STYLE = `
:root { --ok:#2e9e44; --changed:#d69a00; --failed:#d32f2f; --unreachable:#8e24aa; --skipped:#9aa4ad;
  --reboot:#1e6fd9; --wait:#6aa6f0; --ink:#1b1f24; --muted:#5f6b76; --line:#dde2e7; --bg:#ffffff; --band:#f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.header { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; padding: 12px 16px; border-radius: 8px; background: var(--band); }
.header .verdict { font-weight: 700; font-size: 15px; padding: 2px 10px; border-radius: 12px; color: #fff; }
.verdict.pass { background: var(--ok); } .verdict.fail { background: var(--failed); }
.facts { display: flex; flex-wrap: wrap; gap: 4px 20px; color: var(--muted); }
.facts b { color: var(--ink); font-weight: 600; }
.counts { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 10px; }
.pill { border-radius: 10px; padding: 1px 9px; font-size: 12.5px; color: #fff; }
.pill.ok { background: var(--ok); } .pill.changed { background: var(--changed); } .pill.failed { background: var(--failed); }
.pill.unreachable { background: var(--unreachable); } .pill.unfinished { background: #fff; color: var(--changed); border: 1px solid var(--changed); } .pill.untouched { background: #fff; color: var(--muted); border: 1px dashed var(--muted); }
.warnings { margin: 8px 0 0; padding: 6px 12px 6px 30px; background: #fff8e1; border-left: 4px solid var(--changed); }
.note { margin: 10px 0 0; padding: 8px 12px; border-left: 4px solid var(--changed); background: #fff8e1; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; color: var(--muted); font-size: 12.5px; margin: 6px 0; }
.legend i { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: middle; }
.controls { display: flex; gap: 16px; align-items: center; margin: 6px 0; }
.controls input[type=search] { padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 220px; }
.timeline { border: 1px solid var(--line); border-radius: 6px; max-height: 70vh; overflow: auto; }
.row { display: grid; grid-template-columns: 150px 1fr; height: 22px; border-bottom: 1px solid #f0f2f4; content-visibility: auto; contain-intrinsic-size: auto 22px; }
.row.axis { position: sticky; top: 0; z-index: 3; background: #fff; border-bottom: 1px solid var(--line); height: 24px; content-visibility: visible; }
.row .name { padding: 0 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; line-height: 22px; border-right: 1px solid var(--line); }
.row .name a { color: inherit; text-decoration: none; }
.row.untouched .name { color: var(--muted); font-style: italic; }
.row.unfinished .name { color: #9a6b00; font-style: italic; }
.row.failed .name, .row.unreachable .name { color: var(--failed); font-weight: 600; }
.lane { position: relative; margin-right: 22px; }
.lane .batch { position: absolute; top: 0; bottom: 0; background: var(--band); border-left: 1px dashed #c5ccd3; }
.lane .batch span { position: absolute; left: 3px; top: 3px; font-size: 10.5px; color: var(--muted); white-space: nowrap; }
.lane .untouched-label { position: absolute; left: 6px; top: 3px; font-size: 11.5px; color: var(--muted); font-style: italic; }
.span { position: absolute; top: 5px; height: 12px; min-width: 2px; border-radius: 2px; display: block; }
.span.ok { background: var(--ok); } .span.changed { background: var(--changed); } .span.failed { background: var(--failed); }
.span.unreachable { background: var(--unreachable); } .span.skipped { background: var(--skipped); opacity: .55; }
.span.reboot { background: #c9dcf8; border: 1px solid var(--reboot); }
.span.wait { background: #e3eefc; border: 1px solid var(--wait); }
.span.wait-phase { top: 7px; height: 8px; background: repeating-linear-gradient(135deg, var(--reboot) 0 3px, #fff 3px 6px); z-index: 1; }
.legend i.reboot { background: #c9dcf8; border: 1px solid var(--reboot); } .legend i.wait { background: #e3eefc; border: 1px solid var(--wait); }
.legend i.waiting { background: repeating-linear-gradient(135deg, var(--reboot) 0 3px, #fff 3px 6px); }
.span.ignored, .span.rescued { opacity: .6; }
.marker { position: absolute; top: 2px; width: 18px; height: 18px; margin-left: 1px; border-radius: 50%; background: var(--failed); border: 2px solid #fff; box-shadow: 0 0 0 1px var(--failed); color: #fff; font-size: 10px; line-height: 14px; text-align: center; font-weight: 700; text-decoration: none; z-index: 2; }
.mark { position: absolute; top: 2px; width: 2px; height: 18px; background: var(--reboot); opacity: .7; }
.tick { position: absolute; top: 0; bottom: 0; border-left: 1px solid var(--line); font-size: 11px; color: var(--muted); padding-left: 3px; line-height: 24px; white-space: nowrap; }
.summary-line { color: var(--muted); margin: 4px 0 8px; }
.failure { border: 1px solid #f1c0c0; border-left: 4px solid var(--failed); border-radius: 6px; padding: 8px 12px; margin: 8px 0; background: #fffafa; }
.failure.unreachable { border-left-color: var(--unreachable); }
.failure .title { font-weight: 600; }
.failure .where { color: var(--muted); }
.failure pre { white-space: pre-wrap; word-break: break-word; margin: 6px 0 0; padding: 6px 8px; background: #fff; border: 1px solid #f3dede; border-radius: 4px; max-height: 240px; overflow: auto; }
.failure .hosts { color: var(--muted); margin-top: 4px; }
details.change { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; }
details.change summary { cursor: pointer; padding: 6px 10px; }
details.change pre { margin: 0; padding: 8px 10px; border-top: 1px solid var(--line); overflow: auto; max-height: 400px; }
.diff .add { color: #1a7f37; background: #e6ffec; display: block; } .diff .del { color: #b3261e; background: #ffebe9; display: block; }
.diff .hunk { color: var(--reboot); display: block; }
table.recap { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.recap th, table.recap td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; }
table.recap th:first-child, table.recap td:first-child, table.recap .state { text-align: left; }
table.recap tr.failed td.state, table.recap tr.unreachable td.state { color: var(--failed); font-weight: 600; }
table.recap td.nz-failed { color: var(--failed); font-weight: 700; } table.recap td.nz-changed { color: var(--changed); font-weight: 600; }
table.recap td.nz-unreachable { color: var(--unreachable); font-weight: 700; } table.recap td.zero { color: #b8c0c8; }
table.recap tr.untouched td { color: var(--muted); font-style: italic; }
.recap-wrap { max-height: 60vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.recap-wrap thead th { position: sticky; top: 0; background: #fff; }
details.hosts { margin: 4px 0 0; color: var(--muted); } details.hosts summary { cursor: pointer; }
details.change details.hosts { padding: 0 10px 6px; }
.hidden { display: none !important; }
.empty { color: var(--muted); font-style: italic; }
`;
