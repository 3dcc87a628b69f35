// The reboot supervisor (`reboot-watch`): one background process per fleet. It watches each
// host's /var/sim/reboot-request and DIR/hosts/simK/power-cycle-request and power-cycles the
// host (or, for a "poweroff" request, only takes it down): kill its sshd and sessions, stay down for the configured time, run the boot script,
// start sshd again (sim/CONTRACT.md, "Boot"). It also keeps DIR/tools in step with sim/tools.
import { watch, type FSWatcher } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fleetPaths, hostPaths, REBOOT_REQUEST } from './fleet-layout.js';
import { readFleetRecord, type FleetRecord } from './fleet-record.js';
import { holderIsAlive, readHolderRecord } from './holder.js';
import { readHostState, writeHostState } from './host-state.js';
import { insideHost, powerOff, powerOn, type RunningHost } from './host-power.js';
import { syncTools } from './tools-sync.js';
import { isAlive } from './namespace-processes.js';
import { hostCgroups } from './fleet-cgroup.js';

/** Why a host is being cycled: its own reboot, or a power-cycle asked for from outside (with the request's token). */
type CycleReason = { readonly kind: 'reboot' } | { readonly kind: 'power-cycle'; readonly token: string };

/** How often requests are looked for besides inotify and SIGUSR1 (which make it immediate). */
const POLL_MS = 5_000;
/**
 * How often DIR/tools is re-synced besides inotify on sim/tools (which makes it immediate): the
 * pass that catches what a watch cannot see, such as the profile files behind releases/'s links.
 * A pass costs about 50 ms of CPU, so once a second it took 5 % of a core per live fleet.
 */
const TOOLS_SYNC_MS = 30_000;

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

/** One host under supervision: at most one cycle at a time, requests arriving meanwhile are looked at afterwards. */
class SupervisedHost {
  private busy = false;
  private again = false;

  constructor(
    readonly host: RunningHost,
    private readonly downSeconds: number,
  ) {}

  /** Look for requests now (or right after the running cycle). */
  check(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.run().finally(() => {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.check();
      }
    });
  }

  private async run(): Promise<void> {
    if (!holderIsAlive(this.host.holder)) return;
    const token = await readFile(this.host.paths.powerCycleRequest, 'utf8').then((text) => text.trim(), () => undefined);
    if (token !== undefined) {
      await rm(this.host.paths.powerCycleRequest, { force: true });
      await this.cycle({ kind: 'power-cycle', token });
      return;
    }
    const request = await readFile(insideHost(this.host.holder, REBOOT_REQUEST), 'utf8').then((text) => text.trim(), () => undefined);
    // shutdown -p writes "poweroff": the host goes down and stays down until power-cycle. Any
    // other content, or none (a `touch` from a test harness), is a reboot. The host's tools write
    // the file whole (renamed into place), so an empty file is never a request half-written.
    if (request === 'poweroff') await this.switchOff();
    else if (request !== undefined) await this.cycle({ kind: 'reboot' });
    else await this.noticeLostSshd();
  }

  /** A power-off the host asked for (shutdown -p): down like a reboot, but not booted again. */
  private async switchOff(): Promise<void> {
    const name = this.host.plan.name;
    const boots = (await readHostState(this.host.paths.state))?.boots ?? 0;
    log(`${name}: power-off requested (shutdown -p)`);
    await powerOff(this.host);
    await writeHostState(this.host.paths.state, {
      state: 'down',
      since: new Date().toISOString(),
      boots,
      detail: 'powered off (shutdown -p); power-cycle turns it on',
    });
  }

  /**
   * An sshd that died outside a reboot was killed from outside the fleet (a stale pid in some
   * other test, say): record it, so `status` and the log say so instead of a silent refusal.
   */
  private async noticeLostSshd(): Promise<void> {
    const state = await readHostState(this.host.paths.state);
    if (state?.state !== 'up') return;
    const pid = Number((await readFile(this.host.paths.sshdPid, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return;
    const detail = `sshd (pid ${pid}) died outside a reboot, killed from outside the fleet; power-cycle brings it back`;
    log(`${this.host.plan.name}: ${detail}`);
    await writeHostState(this.host.paths.state, { ...state, state: 'down', since: new Date().toISOString(), detail });
  }

  private async cycle(reason: CycleReason): Promise<void> {
    const name = this.host.plan.name;
    const boots = (await readHostState(this.host.paths.state))?.boots ?? 0;
    const token = reason.kind === 'power-cycle' ? reason.token : undefined;
    try {
      log(`${name}: ${reason.kind}: going down for ${this.downSeconds} s`);
      await writeHostState(this.host.paths.state, {
        state: 'down',
        since: new Date().toISOString(),
        boots,
        detail: reason.kind === 'reboot' ? 'rebooting' : 'power-cycling',
      });
      await powerOff(this.host);
      await sleep(this.downSeconds * 1000);
      const { record } = await powerOn(this.host, boots, token);
      log(`${name}: ${record.state}${record.detail ? ` (${record.detail})` : ''}`);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      log(`${name}: ${reason.kind} failed: ${detail}`);
      await writeHostState(this.host.paths.state, {
        state: 'down',
        since: new Date().toISOString(),
        boots: boots + 1,
        detail: `${reason.kind} failed: ${detail}`,
        ...(token === undefined ? {} : { completedRequest: token }),
      });
    }
  }
}

/** Load the fleet's running hosts (those whose holder lives). */
async function runningHosts(record: FleetRecord): Promise<RunningHost[]> {
  const hosts: RunningHost[] = [];
  for (const plan of record.hosts) {
    const paths = hostPaths(record.dir, plan.name);
    const holder = await readHolderRecord(paths.holder);
    const cgroups = record.cgroup === undefined ? {} : { cgroups: hostCgroups(record.cgroup, plan.name) };
    if (holder && holderIsAlive(holder)) hosts.push({ plan, paths, holder, bootScript: record.bootScript, ...cgroups });
    else log(`${plan.name}: no live holder; not supervised`);
  }
  return hosts;
}

/** Run the supervisor for the fleet in `dir` until SIGTERM. */
export async function superviseFleet(dir: string): Promise<void> {
  const paths = fleetPaths(dir);
  const record = await readFleetRecord(paths.record);
  const supervised = (await runningHosts(record)).map((host) => new SupervisedHost(host, record.rebootDownSeconds));
  const watchers: FSWatcher[] = [];
  for (const host of supervised) {
    // inotify on the upper dir sees the request as soon as a session writes it through overlayfs.
    try {
      watchers.push(watch(join(host.host.paths.upper('/var'), 'sim'), () => host.check()));
    } catch {
      log(`${host.host.plan.name}: cannot watch /var/sim; polling only`);
    }
  }
  const checkAll = () => supervised.forEach((host) => host.check());
  const poll = setInterval(checkAll, POLL_MS);
  const toolsRoot = join(record.simRoot, 'tools');
  let syncing = false;
  let syncAgain = false;
  const syncNow = (): void => {
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    syncTools(toolsRoot, paths.tools)
      .then((report) => {
        if (report.copied.length + report.removed.length > 0) {
          log(`tools: updated ${[...report.copied, ...report.removed.map((f) => `-${f}`)].join(' ')}`);
        }
      })
      .catch((error: unknown) => log(`tools: sync failed: ${String(error)}`))
      .finally(() => {
        syncing = false;
        if (syncAgain) {
          syncAgain = false;
          syncNow();
        }
      });
  };
  try {
    // An edit's events come in bursts; a pass asked for during a pass runs once after it.
    const toolsWatch = watch(toolsRoot, { recursive: true }, syncNow);
    toolsWatch.on('error', (error) => log(`tools: watch failed (${error.message}); re-syncing every ${TOOLS_SYNC_MS / 1000} s only`));
    watchers.push(toolsWatch);
  } catch {
    log(`tools: cannot watch ${toolsRoot}; re-syncing every ${TOOLS_SYNC_MS / 1000} s only`);
  }
  const toolsSync = setInterval(syncNow, TOOLS_SYNC_MS);
  // power-cycle sends SIGUSR1 after writing its request, so it need not wait for the next poll.
  process.on('SIGUSR1', checkAll);
  checkAll();
  await writeFile(paths.supervisorReady, `${process.pid}\n`);
  log(`supervising ${supervised.length} host(s), reboot down time ${record.rebootDownSeconds} s`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(poll);
      clearInterval(toolsSync);
      watchers.forEach((w) => w.close());
      log('stopping');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
