import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/html-report/render-report.js';
import { RunCollector } from '../../src/html-report/run-collector.js';
import { counts, result, TestClock } from './events.js';
import { withExplanation } from '../../src/explain/explaining-reporter.js';

const HOSTILE = '<script>alert("pwned")</script>';

/** A run of `hosts`, with `build` feeding events in between run_start and the recap. */
function page(hosts: readonly string[], build: (collect: (e: Parameters<RunCollector['collect']>[0]) => void, clock: TestClock) => void, exitCode = 0): string {
  const clock = new TestClock();
  const run = new RunCollector(clock.read);
  const collect = (event: Parameters<RunCollector['collect']>[0]) => run.collect(event);
  collect({ event: 'run_start', playbook: 'site.yml', check: false, hosts });
  build(collect, clock);
  collect({ event: 'recap', hosts: Object.fromEntries(hosts.map((host) => [host, counts({ ok: 1 })])), durationMs: 2_500, exitCode });
  return renderReport(run.model());
}

describe('renderReport', () => {
  it('keeps a <script> in a task name, stderr, message, host name, diff and warning as text', () => {
    const host = `evil"><img src=x onerror=alert(1)>`;
    const html = page([host], (collect, clock) => {
      clock.advance(100);
      collect({ event: 'warning', msg: HOSTILE });
      collect(
        result(host, HOSTILE, 'failed', 50, {
          msg: `msg ${HOSTILE}`,
          stderr: `stderr ${HOSTILE}`,
          source: { file: `${HOSTILE}.yml`, line: 1, column: 1 },
          diff: [{ header: HOSTILE, before: '', after: `${HOSTILE}\n` }],
        }),
      );
      collect({ event: 'task_progress', host, task: HOSTILE, message: HOSTILE });
    });
    // The page's own script is the only one; nothing from the run became markup.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert("pwned")');
    expect(html).toContain('&#60;script&#62;alert(&#34;pwned&#34;)&#60;/script&#62;');
    expect(html).toContain('stderr: stderr &#60;script&#62;');
    expect(html).toContain('data-host="evil&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"');
  });

  it('forbids every request: a CSP of none, and no URL to fetch anywhere', () => {
    const html = page(['a'], (collect) => collect(result('a', 't', 'ok', 5)));
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|@import|url\(/);
  });

  it('shows the header: playbook, start, check mode, exit code, duration', () => {
    const html = page(['a'], (collect) => collect(result('a', 't', 'ok', 5)), 2);
    expect(html).toContain('failed · exit 2');
    expect(html).toContain('<b id="exit-code">2</b>');
    expect(html).toContain('duration <b>2.5 s</b>');
    expect(html).toContain('started <b>2025-11-24 16:00:00 UTC</b>');
    expect(html).toContain('check mode <b>no</b>');
    expect(page(['a'], () => undefined)).toContain('<span class="verdict pass">succeeded</span>');
  });

  it('says when the run ended before its recap', () => {
    const run = new RunCollector(new TestClock().read);
    run.collect({ event: 'run_start', playbook: 'p.yml', check: true, hosts: ['a'] });
    const html = renderReport(run.model());
    expect(html).toContain('did not finish');
    expect(html).toContain('check mode <b>yes');
    expect(html).toContain('The run ended before its recap');
  });

  it('colours each span by its status and draws reboots and waits apart', () => {
    const html = page(['a'], (collect, clock) => {
      for (const status of ['ok', 'changed', 'skipped'] as const) {
        clock.advance(100);
        collect(result('a', status, status, 50));
      }
      clock.advance(100);
      collect(result('a', 'restart', 'changed', 50, { module: 'reboot' }));
      clock.advance(100);
      collect(result('a', 'back', 'ok', 50, { module: 'wait_for_connection' }));
      clock.advance(100);
      collect(result('a', 'never back', 'unreachable', 50, { module: 'reboot' }));
      clock.advance(100);
      collect({ event: 'task_progress', host: 'a', task: 'pptdev', message: 'down', waiting: true });
      clock.advance(1000);
      collect({ event: 'task_progress', host: 'a', task: 'pptdev', message: 'up', waiting: false });
    });
    for (const cls of ['span ok', 'span changed', 'span skipped', 'span reboot', 'span wait', 'span wait-phase']) expect(html).toContain(`class="${cls}"`);
    expect(html).toContain('title="pptdev: waited 1.0 s for the host to accept SSH again"');
    // A reboot that failed is drawn as a failure.
    expect(html).toContain('<span class="span unreachable" data-status="unreachable"');
    // 50 ms ending at 100 ms of a 2.5 s run: 2 % from the left, 2 % wide.
    expect(html).toContain('style="left:2.000%;width:2.000%" title="ok — ok — 50 ms — site.yml:7:7"');
  });

  it('groups one failure seen on many hosts, and the markers link to it', () => {
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    const html = page(hosts, (collect) => {
      for (const host of hosts.slice(0, 4)) collect(result(host, 'probe', 'failed', 5, { msg: 'no vmm', rc: 1 }));
      collect(result('e', 'probe', 'failed', 5, { msg: 'other' }));
    });
    expect(html.match(/<div class="failure /g)).toHaveLength(2);
    expect(html).toContain('on <span class="mono">4 hosts: a, b, c, d</span>');
    expect(html).toContain('site.yml:7:7 · rc 1');
    expect(html.match(/href="#failure-1"/g)).toHaveLength(4);
    expect(html.match(/href="#failure-5"/g)).toHaveLength(1);
  });

  // issue 16: the catalogue's explanation (src/explain) under the failure, as in the human and JSON output
  it("shows a catalogued failure's cause and fix under it, with the entry's id", () => {
    const html = page(['a'], (collect) => {
      collect(withExplanation(result('a', 'vm init', 'failed', 5, { msg: 'non-zero return code', rc: 1, stderr: '/usr/local/sbin/vm: ERROR: unable to load if_tap.ko!\n', jail: 'bhyve' })));
    }, 2);
    const failure = html.slice(html.indexOf('<div class="failure '));
    expect(failure).toMatch(/<div class="explanation"><p><strong>cause:<\/strong> [^<]*jail[^<]*<\/p><p><strong>fix:<\/strong> [^<]+<\/p><p class="mono">vm-bhyve-load-module-in-jail · /);
  });

  it('shows each distinct diff once, collapsed, with its hosts', () => {
    const html = page(['a', 'b'], (collect) => {
      for (const host of ['a', 'b']) collect(result(host, 'rc.conf', 'changed', 5, { diff: [{ header: '/etc/rc.conf', before: 'x\n', after: 'x\ny\n' }] }));
    });
    expect(html.match(/<details class="change">/g)).toHaveLength(1);
    expect(html).toContain('<span class="mono">a, b</span></summary>');
    expect(html).toContain('<span class="add">+y</span>');
    expect(html).toContain('<span class="hunk">@@ -1,1 +1,2 @@</span>');
  });

  it('lists under Changes only what was applied; a failed task\'s planned diff is apart, marked not applied', () => {
    const html = page(['a', 'b'], (collect) => {
      collect(result('a', 'rc.conf', 'changed', 5, { diff: [{ header: '/etc/rc.conf', before: 'x\n', after: 'x\ny\n' }] }));
      collect(result('b', 'jail.conf', 'failed', 5, { diff: [{ header: '/etc/jail.conf', before: '', after: 'bhyve {}\n' }] }));
    });
    const [applied, planned] = html.split('<h3 id="changes-not-applied">Planned, not applied</h3>');
    expect(applied).toContain('1 diff applied');
    expect(applied).toContain('/etc/rc.conf');
    expect(applied).not.toContain('/etc/jail.conf');
    expect(planned).toMatch(/^<p class="summary-line">1 diff: the task failed/);
    expect(planned).toContain('/etc/jail.conf</span> — <span class="mono">b</span>');
  });

  it('in a --check run nothing is listed as applied', () => {
    const clock = new TestClock();
    const run = new RunCollector(clock.read);
    run.collect({ event: 'run_start', playbook: 'site.yml', check: true, hosts: ['a'] });
    run.collect(result('a', 'rc.conf', 'changed', 5, { diff: [{ header: '/etc/rc.conf', before: 'x\n', after: 'x\ny\n' }] }));
    const html = renderReport(run.model());
    expect(html).toContain('Nothing was applied: this was a --check run.');
    expect(html).toContain('1 diff: --check planned these and applied none of them');
  });

  it('names untouched hosts in the note, on their rows and in the recap', () => {
    const html = page(['a', 'b', 'c'], (collect) => {
      collect(result('a', 't', 'failed', 5));
      collect({ event: 'play_end', play: 'p', untouched: ['b', 'c'] });
    });
    expect(html).toContain('2 hosts were never touched');
    expect(html).toContain('<span class="mono">b, c</span>');
    expect(html.match(/<span class="untouched-label">never touched<\/span>/g)).toHaveLength(2);
    expect(html.match(/<td class="state">never touched<\/td>/g)).toHaveLength(2);
  });

  it('names the hosts a stopped play left unfinished', () => {
    const html = page(['a', 'b', 'c'], (collect) => {
      collect(result('a', 't', 'failed', 5));
      collect(result('b', 't', 'ok', 5));
      collect(result('c', 't', 'ok', 5));
      collect({ event: 'play_end', play: 'p', untouched: [], unfinished: ['b', 'c'] });
    });
    expect(html).toContain('<b>2 hosts were left unfinished</b> (the play stopped before their last task): <span class="mono">b, c</span>');
    expect(html.match(/<td class="state">unfinished<\/td>/g)).toHaveLength(2);
  });

  it('folds a long list of untouched hosts after the first 30', () => {
    const hosts = Array.from({ length: 41 }, (_, k) => `h${k}`);
    const html = page(hosts, (collect) => {
      collect(result('h0', 't', 'failed', 5));
      collect({ event: 'play_end', play: 'p', untouched: hosts.slice(1) });
    });
    expect(html).toContain('40 hosts were never touched');
    expect(html).toContain(`<span class="mono">${hosts.slice(1, 31).join(', ')}, …</span><details class="hosts"><summary>all 40 hosts</summary>`);
  });

  it('stays one page of bounded size for 500 hosts', () => {
    const hosts = Array.from({ length: 500 }, (_, k) => `host${String(k + 1).padStart(3, '0')}`);
    const started = performance.now();
    const html = page(hosts, (collect, clock) => {
      for (let task = 0; task < 20; task++) {
        for (const host of hosts) {
          clock.advance(1);
          collect(result(host, `task ${task}`, task === 19 && host.endsWith('7') ? 'failed' : 'ok', 1, { msg: 'probe failed' }));
        }
      }
    });
    const ms = performance.now() - started;
    expect(html.match(/class="row [a-z]+" data-host=/g)).toHaveLength(500);
    // 50 hosts failed alike: one failure entry that names them all.
    expect(html.match(/<div class="failure /g)).toHaveLength(1);
    expect(html).toContain('50 hosts: host007, host017, host027, host037, host047, …');
    // The whole list is there, folded.
    expect(html).toContain('<details class="hosts"><summary>all 50 hosts</summary>');
    expect(html.length).toBeLessThan(8_000_000);
    expect(ms).toBeLessThan(5_000);
  });
});
