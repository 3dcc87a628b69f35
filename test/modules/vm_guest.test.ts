import { describe, expect, it } from 'vitest';
import vmGuest, { isoFileName, planVmGuest } from '../../modules/vm_guest.js';
import { vmGuestStateFact, type VmGuestState } from '../../src/facts/vm-bhyve-state.js';
import type { Plan } from '../../src/module-api/module.js';
import { sectionsOutput } from '../helpers/sections-output.js';

const isoUrl = 'https://download.freebsd.org/ftp/releases/ISO-IMAGES/12.2/FreeBSD-12.2-RELEASE-amd64-bootonly.iso';
const created = `loader="bhyveload"
cpu=1
memory=256M
network0_type="virtio-net"
network0_switch="public"
disk0_type="virtio-blk"
disk0_name="disk0.img"
uuid="a179833c-204e-11eb-97b6-90e2ba4673cc"
network0_mac="58:9c:fc:0c:fa:98"
`;
const state = (extra: Partial<VmGuestState> = {}): VmGuestState => ({
  version: 'vm-bhyve: Bhyve virtual machine management v1.4.2 (rev. 104002)',
  vmEnable: 'YES',
  vmDir: '/vms',
  vmDirExists: true,
  systemConf: 'switch_list="public"\n',
  guestConf: undefined,
  guestDir: '/vms/test',
  listState: undefined,
  isoPresent: false,
  installed: false,
  vmLogTail: '',
  bhyveLogTail: '',
  ...extra,
});
const params = (extra: Record<string, unknown> = {}) => vmGuest.params.parse({ name: 'test', ...extra });
const summary = (plan: Plan) => plan.steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));
const commands = (plan: Plan) => plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : `put ${a.path}`)) : []));

describe('vm_guest plan', () => {
  it("the seed's first run: fetch the ISO, create, then configure and install", () => {
    const plan = planVmGuest(params({ iso: isoUrl, install: true, config: { memory: '4G' }, state: 'running' }), state());
    expect(commands(plan)).toEqual([`vm iso ${isoUrl}`, 'vm create test']);
    expect(summary(plan)).toEqual([
      'change: fetch FreeBSD-12.2-RELEASE-amd64-bootonly.iso',
      'change: create guest test from template default',
      'change: then set memory, install from FreeBSD-12.2-RELEASE-amd64-bootonly.iso',
    ]);
  });

  it('after creation: sets only the differing keys, installs once, writes the marker', () => {
    const plan = planVmGuest(params({ iso: isoUrl, install: true, config: { memory: '4G', cpu: 1 } }), state({ guestConf: created, isoPresent: true, listState: 'Stopped' }));
    expect(summary(plan)).toEqual([
      'noop: FreeBSD-12.2-RELEASE-amd64-bootonly.iso is in the ISO store',
      'change: set memory=4G in test.conf',
      'change: install test from FreeBSD-12.2-RELEASE-amd64-bootonly.iso',
    ]);
    expect(plan.steps[1]).toMatchObject({ diff: { header: '/vms/test/test.conf', after: created.replace('memory=256M', 'memory="4G"') } });
    expect(commands(plan).slice(1)).toEqual(['vm install test FreeBSD-12.2-RELEASE-amd64-bootonly.iso', 'touch /vms/test/.beastie-installed']);
  });

  it('second run: nothing, even though vm iso and vm install would act again', () => {
    const conf = created.replace('memory=256M', 'memory="4G"');
    const plan = planVmGuest(params({ iso: isoUrl, install: true, config: { memory: '4G' } }), state({ guestConf: conf, isoPresent: true, installed: true, listState: 'Running (4242)' }));
    expect(commands(plan)).toEqual([]);
  });

  it('passthrough config on a running guest: restart only when asked, else report it', () => {
    const config = { wired_memory: true, passthru0: '1/0/0' };
    const running = state({ guestConf: created, listState: 'Running (4242)' });
    const quiet = planVmGuest(params({ config, state: 'running' }), running);
    expect(commands(quiet)).toEqual(['put /vms/test/test.conf']);
    expect(quiet.values).toEqual({ restart_required: true, storage: 'directory' });
    expect(quiet.notes?.at(-1)).toMatch(/restart it to apply wired_memory, passthru0/);
    const plan = planVmGuest(params({ config, state: 'running', restart_on_change: true }), running);
    expect(commands(plan)).toEqual(['put /vms/test/test.conf', expect.stringMatching(/^vm stop test && i=0 && while \[ -e \/dev\/vmm\/test \]/), 'vm start test']);
    expect(plan.steps[0]).toMatchObject({ diff: { after: `${created}wired_memory="yes"\npassthru0="1/0/0"\n` } });
  });

  it('a guest still running with the options of an earlier configuration: a warning on every run until it is stopped and started', () => {
    // memory=4G was written by an earlier run; vm-bhyve logged the bhyve command line of the start before it
    const conf = created.replace('memory=256M', 'memory="4G"');
    const earlier = state({ guestConf: conf, listState: 'Running (4242)', runOptions: '-c 1 -m 256M -AHP -U a179833c -u', runDevices: '-s 0,hostbridge -s 31,lpc' });
    const again = planVmGuest(params({ config: { memory: '4G' }, state: 'running' }), earlier);
    expect(commands(again)).toEqual([]);
    expect(again.values).toMatchObject({ restart_required: true, warnings: [expect.stringMatching(/^guest test runs with its old configuration \(memory 256M → 4G\): it applies only after vm stop and vm start/)] });
    const present = planVmGuest(params({ config: { memory: '4G' } }), earlier);
    expect(present.values?.['warnings']).toEqual(again.values?.['warnings']);
    const restarted = planVmGuest(params({ config: { memory: '4G' }, state: 'running', restart_on_change: true }), earlier);
    expect(commands(restarted)).toEqual([expect.stringMatching(/^vm stop test && /), 'vm start test']);
    // once it runs with its configuration there is nothing to say
    const current = planVmGuest(params({ config: { memory: '4G' }, state: 'running' }), { ...earlier, runOptions: '-c 1 -m 4G -AHP -U a179833c -u' });
    expect(current.values).toEqual({ storage: 'directory' });
    expect(summary(current).at(-1)).toBe('noop: guest test is Running (4242)');
  });

  it('starts a stopped guest, stops a running one and waits for it', () => {
    expect(commands(planVmGuest(params({ state: 'running' }), state({ guestConf: created, listState: 'Stopped' })))).toEqual(['vm start test']);
    expect(commands(planVmGuest(params({ state: 'stopped', stop_timeout: 30 }), state({ guestConf: created, listState: 'Running (1)' })))).toEqual([
      'vm stop test && i=0 && while [ -e /dev/vmm/test ] && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done',
    ]);
  });

  it('create options and destroy', () => {
    expect(commands(planVmGuest(params({ template: 'freebsd-zvol', size: '40G', datastore: 'ssd' }), state()))).toEqual(['vm create -t freebsd-zvol -s 40G -d ssd test']);
    expect(commands(planVmGuest(params({ state: 'absent' }), state({ guestConf: created, listState: 'Running (1)' })))).toEqual(['vm poweroff -f test', 'vm destroy -f test']);
  });

  it("verify shows bhyve's own error when the guest did not start (vm start exits 0 anyway)", () => {
    const failed = state({
      guestConf: created,
      listState: 'Stopped',
      bhyveLogTail: 'bhyve: failed to open /dev/pci: Operation not permitted\ndevice emulation initialization error: No such file or directory\n',
      vmLogTail: 'Nov 25 14:00:00: bhyve exited with status 4\n',
    });
    expect(vmGuest.verify?.({ params: params({ state: 'running' }), facts: failed, results: [] })).toBe(
      'guest test is not running (vm list: Stopped)\nbhyve.log:\nbhyve: failed to open /dev/pci: Operation not permitted\ndevice emulation initialization error: No such file or directory\nvm-bhyve.log:\nNov 25 14:00:00: bhyve exited with status 4',
    );
  });
});

describe('vm guest fact', () => {
  it('takes STATE from the end of the vm list row', () => {
    const out = [
      '@@section version@@', 'v', '@@section vm_enable@@', 'YES', '@@section vm_dir@@', '/vms', '@@section vm_dir_exists@@', 'yes',
      '@@section guest.conf@@', 'cpu=1',
      '@@section list@@', 'test  default    bhyveload  1    256M    -    Yes [1]  Running (4242)',
      '@@section iso@@', '@@section guest_dir@@', '/vms/test', '@@section installed@@', 'yes', '@@section vm-bhyve.log@@', '@@section bhyve.log@@',
    ].join('\n');
    const parsed = vmGuestStateFact('test', '').parse({ stdout: sectionsOutput(out), stderr: '', exitCode: 0 });
    expect(parsed).toMatchObject({ listState: 'Running (4242)', guestConf: 'cpu=1\n', installed: true, isoPresent: false, guestDir: '/vms/test' });
  });

  it('names ISO files after the URL path', () => {
    expect(isoFileName(isoUrl)).toBe('FreeBSD-12.2-RELEASE-amd64-bootonly.iso');
  });
});
