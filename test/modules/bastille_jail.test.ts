import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import bastilleJail, { bastilleEra, planBastilleJail } from '../../modules/bastille_jail.js';
import { bastilleStateFact, jailReleaseOf, parseJlsParams, type BastilleState } from '../../src/facts/bastille-state.js';
import type { Plan } from '../../src/module-api/module.js';
import { sectionsOutput } from '../helpers/sections-output.js';

const seedParams = { 'allow.vmm': true, 'allow.raw_sockets': true, devfs_ruleset: 25, securelevel: -1 };
const params = (extra: Record<string, unknown> = {}) =>
  bastilleJail.params.parse({ name: 'bhyve', release: '14.3-RELEASE', ip: '192.168.1.225', interface: 'em0', vnet: true, params: seedParams, ...extra });

const conf14 = `bhyve {
  enforce_statfs = 2;
  devfs_ruleset = 13;
  exec.clean;
  path = /usr/local/bastille/jails/bhyve/root;
  securelevel = 2;

  vnet;
  vnet.interface = e0b_bhyve;
}
`;
const configured = conf14.replace('devfs_ruleset = 13;', 'devfs_ruleset = 25;').replace('securelevel = 2;', 'securelevel = -1;').replace('vnet.interface = e0b_bhyve;\n}', 'vnet.interface = e0b_bhyve;\n  allow.vmm;\n  allow.raw_sockets;\n}');

const state = (extra: Partial<BastilleState> = {}): BastilleState => ({
  version: '1.4.4',
  jailsDir: '/usr/local/bastille/jails',
  releasePresent: true,
  jailConf: undefined,
  settingsConf: undefined,
  running: undefined,
  bastilleEnable: undefined,
  bastilleList: undefined,
  storage: { kind: 'directories' },
  ...extra,
});
const runningWith = (line: string) => parseJlsParams(line);
const summary = (plan: Plan) => plan.steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));
const commands = (plan: Plan) => plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : `put ${a.path}`)) : []));
/** What the plan's commands show (a checked bastille destroy shows the command and its check). */
const displays = (plan: Plan) => plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.display : `put ${a.path}`)) : []));
const DESTROY_1 = 'bastille destroy -a -y bhyve, then fail if /usr/local/bastille/jails/bhyve/jail.conf is still there';

describe('bastilleEra', () => {
  it.each([
    ['0.7.20200714', true, false],
    ['0.10.20231125', true, false],
    ['1.0.20250714', false, false],
    ['1.1.0', false, true],
    ['1.4.4', false, true],
  ] as const)('%s → legacy %s, VNET names restricted %s', (version, legacy, restricted) => {
    expect(bastilleEra(version)).toMatchObject({ legacy, vnetNamesRestricted: restricted });
  });
});

describe('bastille_jail plan', () => {
  it('a fresh host: bootstrap, create, then configure (planned after creation)', () => {
    const plan = planBastilleJail(params({ boot: true }), state({ releasePresent: false }));
    expect(summary(plan)).toEqual([
      'change: bootstrap 14.3-RELEASE',
      'change: create VNET jail bhyve from 14.3-RELEASE',
      'change: then set allow.vmm, allow.raw_sockets, devfs_ruleset=25, securelevel=-1 in its jail.conf, boot on, restart it with them',
    ]);
    expect(commands(plan)).toEqual(['bastille bootstrap 14.3-RELEASE', 'bastille create --vnet bhyve 14.3-RELEASE 192.168.1.225 em0']);
    expect(plan.notes).toEqual(['storage: directories (/usr/local/bastille/jails/bhyve); bastille_zfs_enable is off', 'Bastille 1.4.4 (1.x)']);
  });

  it('type thick and clone create with -T and -C; 0.x has no clone jails and says so before trying', () => {
    const thick = planBastilleJail(params({ type: 'thick' }), state());
    expect(commands(thick)).toEqual(['bastille create -T --vnet bhyve 14.3-RELEASE 192.168.1.225 em0']);
    expect(summary(thick)[0]).toBe('change: create thick VNET jail bhyve from 14.3-RELEASE');
    expect(commands(planBastilleJail(params({ type: 'clone', vnet: false, interface: undefined }), state()))).toEqual(['bastille create -C bhyve 14.3-RELEASE 192.168.1.225']);
    expect(commands(planBastilleJail(params({ type: 'thick' }), state({ version: '0.7.20200714' })))).toEqual(['bastille create -T --vnet bhyve 14.3-RELEASE 192.168.1.225 em0']);
    expect(planBastilleJail(params({ type: 'clone' }), state({ version: '0.7.20200714' })).failure).toBe(
      'Bastille 0.7.20200714 (0.x, the seed\'s era: jail.conf edited in place) has no clone jails (bastille create -C came with 1.x: "Unknown Option."); use type: thick or thin',
    );
    // an existing jail: the type is not looked at
    expect(commands(planBastilleJail(params({ type: 'clone' }), state({ jailConf: configured, running: runningWith('devfs_ruleset=25 securelevel=-1 allow.vmm allow.raw_sockets vnet=new') })))).toEqual([]);
  });

  it("refuses the seed's VNET name test-bhyve on Bastille 1.1+ before trying, and accepts it on 0.x", () => {
    expect(planBastilleJail(params({ name: 'test-bhyve' }), state()).failure).toBe(
      `Bastille 1.4.4 (1.x) refuses VNET jail names containing - or _ ("[ERROR]: VNET jail names may not contain (-|_) characters."); name the jail 'testbhyve' instead`,
    );
    expect(commands(planBastilleJail(params({ name: 'test-bhyve' }), state({ version: '0.7.20200714' })))).toEqual([
      'bastille create --vnet test-bhyve 14.3-RELEASE 192.168.1.225 em0',
    ]);
  });

  it('a created, running jail: edits jail.conf in place and restarts it', () => {
    const plan = planBastilleJail(params(), state({ jailConf: conf14, running: runningWith('devfs_ruleset=13 securelevel=2 allow.novmm vnet=new') }));
    expect(summary(plan)).toEqual([
      "change: set allow.vmm, allow.raw_sockets, devfs_ruleset=25, securelevel=-1 in bhyve's jail.conf",
      'change: restart jail bhyve (parameters changed: allow.vmm, allow.raw_sockets, devfs_ruleset, securelevel)',
    ]);
    expect(plan.steps[0]).toMatchObject({ diff: { before: conf14, after: configured } });
    expect(commands(plan)).toEqual(['put /usr/local/bastille/jails/bhyve/jail.conf', 'bastille restart bhyve']);
  });

  it('second run: nothing to do', () => {
    const plan = planBastilleJail(params(), state({ jailConf: configured, running: runningWith('devfs_ruleset=25 securelevel=-1 allow.vmm allow.raw_sockets') }));
    expect(summary(plan)).toEqual([
      'noop: jail.conf of bhyve has allow.vmm, allow.raw_sockets, devfs_ruleset=25, securelevel=-1',
      'noop: jail bhyve is running with its parameters',
    ]);
  });

  it('reports a jail older than the release asked for; release_upgrade upgrades it with bastille upgrade -a (bootstrapping first)', () => {
    const running = runningWith('devfs_ruleset=25 securelevel=-1 allow.vmm allow.raw_sockets');
    const old = state({ jailConf: configured, running, jailRelease: '13.5-RELEASE' });
    const report = planBastilleJail(params(), old);
    expect(report.notes).toContain('jail bhyve runs 13.5-RELEASE, older than 14.3-RELEASE; release_upgrade: true upgrades it (bastille upgrade)');
    expect(report.values).toMatchObject({ jail_release: '13.5-RELEASE' });
    expect(commands(report)).toEqual([]);
    const upgrade = planBastilleJail(params({ release_upgrade: true }), { ...old, releasePresent: false });
    expect(summary(upgrade)).toEqual([
      'change: bootstrap 14.3-RELEASE',
      'change: upgrade jail bhyve from 13.5-RELEASE to 14.3-RELEASE (stopped and started again)',
      'noop: jail.conf of bhyve has allow.vmm, allow.raw_sockets, devfs_ruleset=25, securelevel=-1',
      'noop: jail bhyve is running with its parameters',
    ]);
    expect(commands(upgrade)).toEqual(['bastille bootstrap 14.3-RELEASE', 'bastille upgrade -a bhyve 14.3-RELEASE']);
    // a newer jail is left alone; Bastille 0.x has no thin-jail upgrade: the task fails saying what to do
    expect(planBastilleJail(params({ release_upgrade: true }), { ...old, jailRelease: '15.0-RELEASE' }).notes).toContain('jail bhyve runs 15.0-RELEASE, not older than 14.3-RELEASE: left as it is');
    expect(planBastilleJail(params({ release_upgrade: true }), { ...old, version: '0.7.20200714' }).failure).toMatch(/^jail bhyve runs 13\.5-RELEASE, older than 14\.3-RELEASE, and Bastille 0\.7\.20200714 has no thin-jail upgrade/);
    expect(bastilleJail.verify?.({ params: params({ release_upgrade: true }), facts: old, results: [] })).toBe('jail bhyve still runs 13.5-RELEASE after bastille upgrade to 14.3-RELEASE');
  });

  it('release_upgrade refuses a thick or clone jail, whose bastille upgrade only stages freebsd-update -j, and says what it needs', () => {
    const running = runningWith('devfs_ruleset=25 securelevel=-1 allow.vmm allow.raw_sockets');
    const old = state({ jailConf: configured, running, jailRelease: '13.5-RELEASE' });
    for (const jailType of ['thick', 'clone'] as const) {
      const plan = planBastilleJail(params({ release_upgrade: true }), { ...old, jailType });
      expect(plan.failure).toBe(
        `jail bhyve is a ${jailType} jail running 13.5-RELEASE: bastille upgrade only stages its upgrade (freebsd-update -j bhyve -r 14.3-RELEASE upgrade, with the jail running) ` +
          "and then needs 'bastille upgrade bhyve install', a restart and 'install' again, which release_upgrade does not drive; " +
          'upgrade it by hand (docs/freebsd/upgrade.md, "Jails after the host\'s upgrade") or recreate it from 14.3-RELEASE',
      );
      expect(commands(plan)).toEqual([]);
      // without release_upgrade it is only reported, as for a thin jail
      expect(planBastilleJail(params({ type: jailType }), { ...old, jailType }).notes).toContain('jail bhyve runs 13.5-RELEASE, older than 14.3-RELEASE; release_upgrade: true upgrades it (bastille upgrade)');
    }
    expect(commands(planBastilleJail(params({ release_upgrade: true }), { ...old, jailType: 'thin' }))).toEqual(['bastille upgrade -a bhyve 14.3-RELEASE']);
  });

  it('reads the jail\'s release from its fstab (thin jail), else from jail.conf osrelease', () => {
    expect(jailReleaseOf('/usr/local/bastille/releases/14.3-RELEASE /usr/local/bastille/jails/bhyve/root/.bastille nullfs ro 0 0\n', conf14)).toBe('14.3-RELEASE');
    expect(jailReleaseOf(undefined, conf14.replace('securelevel = 2;', 'securelevel = 2;\n  osrelease = "13.5-RELEASE";'))).toBe('13.5-RELEASE');
    expect(jailReleaseOf('', conf14)).toBeUndefined();
  });

  it('restarts a jail whose file is right but which still runs with old parameters (an earlier run stopped halfway)', () => {
    const plan = planBastilleJail(params(), state({ jailConf: configured, running: runningWith('devfs_ruleset=13 securelevel=2 allow.novmm allow.raw_sockets') }));
    expect(summary(plan).at(-1)).toBe('change: restart jail bhyve (parameters changed: allow.vmm, devfs_ruleset, securelevel)');
  });

  it('starts a stopped jail, stops a running one, leaves a present one with a note', () => {
    expect(commands(planBastilleJail(params(), state({ jailConf: configured })))).toEqual(['bastille start bhyve']);
    expect(commands(planBastilleJail(params({ state: 'stopped' }), state({ jailConf: configured, running: runningWith('allow.vmm') })))).toEqual(['bastille stop bhyve']);
    const present = planBastilleJail(params({ state: 'present' }), state({ jailConf: conf14, running: runningWith('devfs_ruleset=13') }));
    expect(commands(present)).toEqual(['put /usr/local/bastille/jails/bhyve/jail.conf']);
    expect(present.notes?.[2]).toMatch(/runs with old parameters/);
  });

  it('a running jail whose jls parameters differ from its jail.conf needs a restart: warned on every run until it restarts', () => {
    // jail.conf edited by hand (devfs_ruleset 25, allow.vmm), the jail still runs with 13 and no allow.vmm
    const running = runningWith('devfs_ruleset=13 host.hostname=bhyve path=/usr/local/bastille/jails/bhyve/root securelevel=-1 vnet=new allow.raw_sockets allow.novmm');
    const present = planBastilleJail(params({ state: 'present', params: {} }), state({ jailConf: configured, running }));
    expect(commands(present)).toEqual([]);
    expect(present.values).toMatchObject({
      restart_required: true,
      warnings: ['jail bhyve runs with parameters other than its jail.conf\'s (devfs_ruleset: running 13, jail.conf 25; allow.vmm: running off, jail.conf on): they apply only when it restarts (bastille restart bhyve)'],
    });
    // state: started restarts only for the parameters it enforces; a hand edit of another is warned, not restarted
    const started = planBastilleJail(params({ params: { securelevel: -1 } }), state({ jailConf: configured, running }));
    expect(commands(started)).toEqual([]);
    expect(started.values?.['warnings']).toHaveLength(1);
    // when the task restarts it, or the jail runs as its file says, nothing is pending
    expect(planBastilleJail(params(), state({ jailConf: configured, running })).values?.['warnings']).toBeUndefined();
    const current = runningWith('devfs_ruleset=25 host.hostname=bhyve securelevel=-1 vnet=new allow.raw_sockets allow.vmm');
    expect(planBastilleJail(params({ state: 'present' }), state({ jailConf: configured, running: current })).values).not.toHaveProperty('restart_required');
    // a VNET jail.conf on a jail that runs without its own stack
    expect(planBastilleJail(params({ state: 'present', params: {} }), state({ jailConf: configured, running: runningWith('devfs_ruleset=25 securelevel=-1 vnet=inherit allow.raw_sockets allow.vmm') })).values?.['warnings']).toEqual([
      "jail bhyve runs with parameters other than its jail.conf's (vnet: running off, jail.conf on): they apply only when it restarts (bastille restart bhyve)",
    ]);
  });

  it('boot: settings.conf on 1.x, bastille_list on 0.x, bastille_enable on both', () => {
    expect(commands(planBastilleJail(params({ boot: true, params: {} }), state({ jailConf: conf14, running: runningWith('') , settingsConf: 'boot="off"\n' })))).toEqual([
      'sysrc bastille_enable=YES',
      'sysrc -f /usr/local/bastille/jails/bhyve/settings.conf boot=on',
    ]);
    const legacy = state({ version: '0.7.20200714', jailConf: conf14, running: runningWith('x=1'), bastilleEnable: 'YES', bastilleList: 'web' });
    expect(commands(planBastilleJail(params({ boot: true, params: {} }), legacy))).toEqual(['sysrc bastille_list+=bhyve']);
    expect(summary(planBastilleJail(params({ boot: true, params: {} }), { ...legacy, bastilleList: undefined }))).toContain('noop: bhyve starts at boot');
  });

  it('destroys: 1.x auto-stops, 0.x stops first', () => {
    expect(displays(planBastilleJail(params({ state: 'absent' }), state({ jailConf: conf14, running: runningWith('x=1') })))).toEqual([DESTROY_1]);
    expect(displays(planBastilleJail(params({ state: 'absent' }), state({ version: '0.9.20220714', jailConf: conf14, running: runningWith('x=1') })))).toEqual([
      'bastille stop bhyve',
      'bastille destroy bhyve, then fail if /usr/local/bastille/jails/bhyve/jail.conf is still there',
    ]);
    expect(summary(planBastilleJail(params({ state: 'absent' }), state()))).toEqual(['noop: jail bhyve does not exist']);
  });

  // Bastille keeps a busy jail and exits 0 (destroy.sh 1.4.4 error_continue): the destroy fails
  // with Bastille's own output, the reason and the fix; a clone jail's origin then stays.
  it('bastille destroy that exits 0 but keeps the jail fails with its output, the reason and the fix', () => {
    const snapshot = 'zroot/bastille/releases/14.3-RELEASE@bastille-clone-2026-12-03-184000';
    const onZfs = { kind: 'zfs', dataset: 'zroot/bastille/jails/bhyve', datasetExists: true } as const;
    const root = mkdtempSync(join(tmpdir(), 'beastie-bastille-'));
    try {
      // a stand-in bastille on PATH: prints what 1.4.4 prints for a busy dataset, keeps or removes the jail, exits as asked
      const bin = join(root, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'bastille'), '#!/bin/sh\necho "[ERROR]: Jail dataset(s) appears to be busy, exiting." >&2\n[ -n "$KEEP" ] || rm -rf "$JAILS/bhyve"\nexit "${RC:-0}"\n', { mode: 0o755 });
      const run = (facts: Partial<BastilleState>, env: Record<string, string>) => {
        const jails = mkdtempSync(join(root, 'jails-'));
        mkdirSync(join(jails, 'bhyve'));
        writeFileSync(join(jails, 'bhyve', 'jail.conf'), 'bhyve {}\n');
        const plan = planBastilleJail(params({ state: 'absent' }), state({ jailConf: conf14, jailsDir: jails, ...facts }));
        return spawnSync('/bin/sh', ['-c', commands(plan)[0] ?? 'exit 99'], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, JAILS: jails, ...env } });
      };
      const kept = run({ storage: onZfs, jailType: 'clone', cloneOrigin: { snapshot, clones: ['zroot/bastille/jails/bhyve/root'] } }, { KEEP: '1' });
      expect(kept.status).toBe(1);
      expect(kept.stderr).toMatch(/^\[ERROR\]: Jail dataset\(s\) appears to be busy, exiting\.\nbastille destroy exited 0 but kept jail bhyve \(its output above says why/);
      expect(kept.stderr).toContain(`; ${snapshot}, from which the jail's root is cloned, stays too.`);
      expect(kept.stderr).toMatch(/Stop what holds the jail's files \(fstat -f \/.*\/bhyve\/root lists the processes\)/);
      expect(run({ storage: onZfs, jailType: 'thick' }, { KEEP: '1' })).toMatchObject({ status: 1, stderr: expect.not.stringContaining('stays too') });
      // gone: its output on stdout, exit 0; a failing bastille destroy keeps its own status
      expect(run({}, {})).toMatchObject({ status: 0, stdout: '[ERROR]: Jail dataset(s) appears to be busy, exiting.\n', stderr: '' });
      expect(run({}, { KEEP: '1', RC: '3' })).toMatchObject({ status: 3, stderr: '[ERROR]: Jail dataset(s) appears to be busy, exiting.\n' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("destroying a clone jail also destroys the release snapshot it was cloned from, which bastille destroy leaves, unless another clone uses it", () => {
    const snapshot = 'zroot/bastille/releases/14.3-RELEASE@bastille-clone-2026-12-03-184000';
    const onZfs = { kind: 'zfs', dataset: 'zroot/bastille/jails/bhyve', datasetExists: true } as const;
    const clone = (clones: string[]) => state({ jailConf: conf14, storage: onZfs, jailType: 'clone', cloneOrigin: { snapshot, clones } });
    const alone = planBastilleJail(params({ state: 'absent' }), clone(['zroot/bastille/jails/bhyve/root']));
    expect(summary(alone)).toEqual([
      'change: destroy clone jail bhyve',
      `change: destroy ${snapshot}, the release snapshot jail bhyve was cloned from (bastille destroy leaves it)`,
    ]);
    // the origin goes after the checked destroy, which fails while Bastille keeps the jail
    expect(displays(alone)).toEqual([DESTROY_1, `zfs destroy ${snapshot}`]);
    expect(alone.values).toMatchObject({ jail_type: 'clone' });
    const shared = planBastilleJail(params({ state: 'absent' }), clone(['zroot/bastille/jails/bhyve/root', 'zroot/other']));
    expect(displays(shared)).toEqual([DESTROY_1]);
    expect(summary(shared)[1]).toBe(`noop: ${snapshot}, the origin of jail bhyve, stays: zroot/other was cloned from it too`);
    // a snapshot Bastille did not make for the clone is never touched
    const other = state({ jailConf: conf14, storage: onZfs, jailType: 'clone', cloneOrigin: { snapshot: 'zroot/golden@base', clones: ['zroot/bastille/jails/bhyve/root'] } });
    expect(displays(planBastilleJail(params({ state: 'absent' }), other))).toEqual([DESTROY_1]);
    expect(displays(planBastilleJail(params({ state: 'absent' }), state({ jailConf: conf14, storage: onZfs, jailType: 'thick' })))).toEqual([DESTROY_1]);
  });

  it('says when an existing jail is of another type than asked: type applies only at creation', () => {
    const plan = planBastilleJail(params({ type: 'clone' }), state({ jailConf: configured, jailType: 'thick', running: runningWith('devfs_ruleset=25 securelevel=-1 allow.vmm allow.raw_sockets vnet=new') }));
    expect(commands(plan)).toEqual([]);
    expect(plan.notes).toContain('jail bhyve is a thick jail (type: clone applies only when a jail is created; it is left as it is)');
    expect(plan.values).toMatchObject({ jail_type: 'thick' });
  });

  it('plans for a fresh host without bastille, and fails clearly without what creation needs', () => {
    // Not installed yet (--check before the pkg task ran): planned as a fresh host, and said so.
    const fresh = planBastilleJail(params(), state({ version: undefined, releasePresent: false }));
    expect(fresh.failure).toBeUndefined();
    expect(commands(fresh)).toEqual(['bastille bootstrap 14.3-RELEASE', 'bastille create --vnet bhyve 14.3-RELEASE 192.168.1.225 em0']);
    expect(fresh.notes?.[1]).toBe('bastille is not installed yet: planning for a fresh host (an earlier task must install it)');
    expect(planBastilleJail(bastilleJail.params.parse({ name: 'bhyve', vnet: true }), state()).failure).toBe(
      'jail bhyve does not exist, and creating it needs release, ip, interface',
    );
  });

  it('verify: a jail that bastille start did not start fails the task', () => {
    expect(bastilleJail.verify?.({ params: params(), facts: state({ jailConf: configured }), results: [] })).toMatch(/not running after bastille start/);
  });
});

describe('bastille state fact', () => {
  it('parses jls -n words, quoted values and negated flags', () => {
    const p = parseJlsParams(`devfs_ruleset=25 host.hostname=bhyve path="/usr/local/bastille/jails/bhyve/root" allow.novmm exec.start='/bin/sh /etc/rc'`);
    expect(p.get('devfs_ruleset')).toBe('25');
    expect(p.get('path')).toBe('/usr/local/bastille/jails/bhyve/root');
    expect(p.get('allow.vmm')).toBe('false');
    expect(p.get('exec.start')).toBe('/bin/sh /etc/rc');
  });

  it('parses the sectioned output', () => {
    const fact = bastilleStateFact('bhyve', '14.3-RELEASE');
    const out = [
      '@@section version@@', '1.4.4',
      '@@section dirs@@', '/usr/local/bastille/jails', '/usr/local/bastille/releases',
      '@@section release@@', 'yes',
      '@@section jail.conf@@', ...conf14.trimEnd().split('\n'),
      '@@section jls@@',
      '@@section rc@@', 'bastille_enable="YES"', 'bastille_enable="NO"',
    ].join('\n');
    expect(fact.parse({ stdout: sectionsOutput(out), stderr: '', exitCode: 0 })).toEqual(
      state({ jailConf: conf14, bastilleEnable: 'NO', jailType: 'thick' }),
    );
    const zfs = fact.parse({ stdout: sectionsOutput(`${out}\n@@section zfs@@\nzroot/bastille/jails/bhyve\nzroot/bastille/jails/bhyve\n`), stderr: '', exitCode: 0 });
    expect(zfs.storage).toEqual({ kind: 'zfs', dataset: 'zroot/bastille/jails/bhyve', datasetExists: true });
  });

  it("tells the jail's type as bastille list does: thin by the fstab, clone by its root's ZFS origin, else thick", () => {
    const fact = bastilleStateFact('cl', '14.3-RELEASE');
    const base = [
      '@@section version@@', '1.4.4',
      '@@section dirs@@', '/usr/local/bastille/jails', '/usr/local/bastille/releases',
      '@@section jail.conf@@', 'cl {', '}',
    ];
    const parse = (...extra: string[]) => fact.parse({ stdout: sectionsOutput([...base, ...extra].join('\n')), stderr: '', exitCode: 0 });
    const snap = 'zroot/bastille/releases/14.3-RELEASE@bastille-clone-2026-12-03-184000';
    const clone = parse('@@section fstab@@', '', '@@section zfs@@', 'zroot/bastille/jails/cl', 'zroot/bastille/jails/cl', `origin=${snap}`, 'clones=zroot/bastille/jails/cl/root');
    expect(clone.jailType).toBe('clone');
    expect(clone.cloneOrigin).toEqual({ snapshot: snap, clones: ['zroot/bastille/jails/cl/root'] });
    const thick = parse('@@section fstab@@', '', '@@section zfs@@', 'zroot/bastille/jails/cl', 'zroot/bastille/jails/cl', 'origin=-');
    expect([thick.jailType, thick.cloneOrigin]).toEqual(['thick', undefined]);
    // the dataset is missing (a jail made before bastille_zfs_enable): zfs get prints nothing — thick, not list.sh's clone
    expect(parse('@@section zfs@@', 'zroot/bastille/jails/cl', 'origin=').jailType).toBe('thick');
    const thin = parse('@@section fstab@@', '/usr/local/bastille/releases/14.3-RELEASE /usr/local/bastille/jails/cl/root/.bastille nullfs ro 0 0');
    expect(thin.jailType).toBe('thin');
    expect(parse('@@section zfs@@', 'zroot/bastille/jails/cl', 'origin=-').jailType).toBe('thick');
  });

  it('says which storage it found: the dataset on ZFS, directories otherwise or for a jail made before ZFS was on', () => {
    const onZfs = { kind: 'zfs', dataset: 'zroot/bastille/jails/bhyve', datasetExists: true } as const;
    expect(planBastilleJail(params({}), state({ storage: onZfs })).notes?.[0]).toBe('storage: ZFS dataset zroot/bastille/jails/bhyve (bastille_zfs_enable)');
    expect(planBastilleJail(params({}), state({ storage: onZfs })).values).toMatchObject({ storage: 'zfs', dataset: 'zroot/bastille/jails/bhyve' });
    const before = planBastilleJail(params({}), state({ jailConf: conf14, storage: { ...onZfs, datasetExists: false } }));
    expect(before.notes?.[0]).toBe('storage: directories (/usr/local/bastille/jails/bhyve), made before bastille_zfs_enable was set; zroot/bastille/jails/bhyve does not exist');
    expect(before.values).toMatchObject({ storage: 'directories' });
  });
});
