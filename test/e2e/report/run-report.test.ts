// The --report page of a real run, opened in Debian's Chromium: a 20-host fleet, batches of
// serial [1, "25%"] with max_fail_percentage 0, a canary (sim01) that fails, so the other 19
// hosts are never touched. The page must show all of that without a single network request.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, type CliRun } from '../../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';

const CHROMIUM = '/usr/bin/chromium';

/** The flags the project runs Chromium with: headless, nothing fetched or synced behind our back. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const PLAYBOOK = `- name: canary rollout
  hosts: sim
  gather_facts: false
  serial: [1, "25%"]
  max_fail_percentage: 0
  tasks:
    - name: write the rollout marker
      copy:
        content: "rollout 2\\n"
        dest: /etc/rollout-marker
    - name: reboot into the new configuration
      reboot:
        reboot_timeout: 60
    - name: health check after the rollout
      shell: "echo 'health probe: vmm not answering on {{ inventory_hostname }}' >&2; echo probed"
      failed_when: inventory_hostname == "sim01"
    - name: never reached on the canary
      command: "true"
`;

describe('--report in headless Chromium', () => {
  let fleet: TestFleet;
  let dir: string;
  let run: CliRun;
  let reportPath: string;
  let context: BrowserContext;
  const requests: string[] = [];

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 20 });
    dir = await mkdtemp(join(tmpdir(), 'beastie-report-'));
    await writeFile(join(dir, 'rollout.yml'), PLAYBOOK);
    reportPath = join(dir, 'run.html');
    run = await runBeastie(['play', 'rollout.yml', '-i', fleet.inventory, '--diff', '--report', reportPath], { cwd: dir });
    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 1060 },
    });
    context.on('request', (request) => requests.push(request.url()));
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await fleet?.down();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the canary only, and the CLI says so', () => {
    expect(run.exitCode, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toContain('never touched');
  });

  it('shows the run as it happened, offline', async () => {
    const page = await context.newPage();
    const url = pathToFileURL(reportPath).href;
    await page.goto(url);
    // The picture is taken as the page first shows itself, before anything is clicked.
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect((await readFile(shot)).subarray(1, 4).toString()).toBe('PNG');
    // UPDATE_REPORT_SCREENSHOT=1 refreshes the README's picture (docs/report.png).
    if (process.env['UPDATE_REPORT_SCREENSHOT'] === '1') {
      const docs = join(import.meta.dirname, '..', '..', '..', 'docs');
      await mkdir(docs, { recursive: true });
      await copyFile(shot, join(docs, 'report.png'));
    }

    // The header: playbook, exit code, check mode.
    const header = await page.locator('#run-header').innerText();
    expect(header).toContain('rollout.yml');
    expect(header).toContain('failed · exit 2');
    expect(header).toMatch(/check mode\s*no/);
    expect(await page.locator('#exit-code').innerText()).toBe('2');

    // One timeline row per host; the canary failed, the others were never touched.
    const rows = page.locator('#timeline .row[data-host]');
    expect(await rows.count()).toBe(20);
    expect(await page.locator('#timeline .row[data-host="sim01"]').getAttribute('data-outcome')).toBe('failed');
    expect(await page.locator('#timeline .row[data-outcome="untouched"]').count()).toBe(19);
    // The canary's row: its batch, an ok/changed span, the failed span and a marker linking to the failure.
    const canary = page.locator('#timeline .row[data-host="sim01"]');
    expect(await canary.locator('.batch').innerText()).toContain('batch 1');
    expect(await canary.locator('.span[data-status="failed"]').count()).toBe(1);
    // The reboot, and inside it the time the host was down while beastie waited for SSH.
    expect(await canary.locator('.span.reboot').count()).toBe(1);
    // The module may look more than once (the first look can come before sshd went down).
    const waits = await canary.locator('.span.wait-phase').evaluateAll((spans) => spans.map((span) => span.getAttribute('title') ?? ''));
    expect(waits.length).toBeGreaterThanOrEqual(1);
    for (const title of waits) expect(title).toMatch(/^reboot into the new configuration: waited [\d.]+ m?s for the host to accept SSH again$/);
    const marker = canary.locator('a.marker');
    expect(await marker.count()).toBe(1);
    const target = (await marker.getAttribute('href')) ?? '';

    // The failure: message, stderr, the task's file:line:column and the host.
    const failure = page.locator(target);
    const failureText = await failure.innerText();
    expect(failureText).toContain('health check after the rollout');
    expect(failureText).toContain('sim01');
    expect(failureText).toContain('failed_when held: inventory_hostname == "sim01"');
    expect(failureText).toContain('health probe: vmm not answering on sim01');
    expect(failureText).toMatch(/rollout\.yml:14:7/);
    expect(await page.locator('.failure').count()).toBe(1);

    // The 19 untouched hosts are named.
    const note = await page.locator('#untouched-note').innerText();
    expect(note).toContain('19 hosts were never touched');
    for (let k = 2; k <= 20; k++) expect(note).toContain(`sim${String(k).padStart(2, '0')}`);

    // The diff of what changed on the canary, collapsed until opened.
    expect(await page.locator('#changes details.change').count()).toBe(2);
    const change = page.locator('#changes details.change', { hasText: '/etc/rollout-marker' });
    expect(await change.count()).toBe(1);
    expect(await change.getAttribute('open')).toBeNull();
    await change.locator('summary').click();
    expect(await change.locator('pre').innerText()).toContain('+rollout 2');

    // The recap: every host, the canary's counts, the untouched hosts marked.
    const recapRows = page.locator('#recap tbody tr');
    expect(await recapRows.count()).toBe(20);
    const canaryRecap = (await page.locator('#recap tr[data-host="sim01"]').innerText()).split(/\s+/);
    expect(canaryRecap).toEqual(['sim01', '2', '2', '0', '1', '0', '0', '0', 'failed']);
    expect(await page.locator('#recap tr[data-outcome="untouched"]').count()).toBe(19);
    expect(await page.locator('#recap tr[data-host="sim20"] td.state').innerText()).toBe('never touched');

    // The filter (the page's only script) works.
    await page.locator('#problems-only').check();
    expect(await page.locator('#shown-count').innerText()).toBe('1');
    await page.locator('#problems-only').uncheck();
    await page.locator('#host-filter').fill('sim1');
    await expect.poll(() => page.locator('#shown-count').innerText()).toBe('10');
    expect(await page.locator('#timeline .row[data-host]:not(.hidden)').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-host')))).toEqual(
      ['sim10', 'sim11', 'sim12', 'sim13', 'sim14', 'sim15', 'sim16', 'sim17', 'sim18', 'sim19'],
    );
    await page.locator('#host-filter').fill('');
    await expect.poll(() => page.locator('#shown-count').innerText()).toBe('20');

    // The page's own script is its only one.
    expect(await page.locator('script').count()).toBe(1);

    // Nothing but the file itself was requested.
    expect(requests).toEqual([url]);

    await page.close();
  });
});
