// bastille update (update.sh of BastilleBSD/bastille tags 1.4.4 and 0.7.20200714,
// docs/freebsd/bastille.md "Upgrading jails"): Bastille's own checks and texts, the exit
// statuses, and the freebsd-update command lines it hands on (-b / -j, which the simulated
// freebsd-update refuses as not modelled: the simulator has no patch levels).
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT } from './seed-steps.js';

const R = '\u001b[0;31m';
const X = '\u001b[0;0m';
const USAGE_1 =
  '    Options:\n\n    -a | --auto      Auto mode. Start/stop jail(s) if required.\n' +
  '    -f | --force     Force update a release (FreeBSD legacy releases).\n    -x | --debug     Enable debug mode.\n\n';

describe('bastille update (current profile, Bastille 1.4.4)', () => {
  const r = scenarioBox('current', [
    BOOT,
    step('jails', 'bastille bootstrap 14.3-RELEASE >/dev/null 2>&1 && bastille create thin 14.3-RELEASE 10.1.1.5 em0 >/dev/null 2>&1 && bastille create -T thick 14.3-RELEASE 10.1.1.6 em0 >/dev/null 2>&1; jls name; bastille stop thick >/dev/null 2>&1; jls name'),
    step('usage', 'bastille update'),
    step('usage-count', 'bastille update -a -f thick'),
    step('thin', 'bastille update thin'),
    step('thick-stopped', 'bastille update thick'),
    step('thick-auto', 'bastille update -a thick; echo rc=$?; jls name'),
    step('release-missing', 'bastille update 15.0-RELEASE'),
    step('release', 'bastille config thin set osrelease 14.2-RELEASE >/dev/null 2>&1; bastille update 14.3-RELEASE; echo rc=$?; grep osrelease /usr/local/bastille/jails/thin/jail.conf /usr/local/bastille/jails/thick/jail.conf'),
  ], 120_000);

  it('prints its usage for no TARGET and for more than two arguments, counted before the options', () => {
    expect(r['jails']?.stdout).toBe('thin\nthick\nthin\n');
    for (const name of ['usage', 'usage-count']) {
      expect(r[name]).toEqual({ stdout: USAGE_1, stderr: 'Usage: bastille update [option(s)] TARGET\n', code: 1 });
    }
  });

  it('refuses a thin jail (its release is updated instead) and a stopped jail without -a', () => {
    expect(r['thin']).toEqual({
      stdout: '\n',
      stderr: "\n[thin]:\n[ERROR]: thin is a thin jail.\nSee 'bastille update RELEASE' to update thin jails.\n",
      code: 1,
    });
    expect(r['thick-stopped']).toEqual({ stdout: '\n', stderr: '\n[thick]:\nJail is not running.\nUse [-a|--auto] to auto-start the jail.\n', code: 1 });
  });

  it('with -a starts a thick jail and runs freebsd-update -j fetch, then install; their failure still exits 0', () => {
    expect(r['thick-auto']?.stdout).toBe('thick: created\nrc=0\nthin\nthick\n');
    expect(r['thick-auto']?.stderr).toBe(
      '\n[thick]:\n\n[thick]:\n' + 'freebsd-update: -j is not modelled by the simulator\n'.repeat(2) + '\nNo updates available.\n\n',
    );
  });

  it('updates a release through freebsd-update -b and gives every thin jail its version as osrelease, thick jails not', () => {
    expect(r['release-missing']).toEqual({ stdout: '\n', stderr: '[ERROR]: Release not found: 15.0-RELEASE\n', code: 1 });
    expect(r['release']?.stderr).toBe(
      '\nAttempting to update release: 14.3-RELEASE\n' + 'freebsd-update: -b is not modelled by the simulator\n'.repeat(2),
    );
    expect(r['release']?.stdout).toBe(
      'rc=0\n/usr/local/bastille/jails/thin/jail.conf:  osrelease = 14.3-RELEASE;\n' +
        '/usr/local/bastille/jails/thick/jail.conf:  osrelease = "14.3-RELEASE";\n',
    );
  });
});

describe('bastille update (seed profile, Bastille 0.7.20200714)', () => {
  const r = scenarioBox('seed', [
    BOOT,
    step('jails', 'bastille bootstrap 12.2-RELEASE >/dev/null 2>&1 && bastille create thin 12.2-RELEASE 10.1.1.5 >/dev/null 2>&1 && bastille create -T thk 12.2-RELEASE 10.1.1.6 em0 >/dev/null 2>&1; ls /usr/local/bastille/jails; jls name'),
    step('usage', 'bastille update'),
    step('usage-two', 'bastille update thin 12.2-RELEASE'),
    step('thin', 'bastille update thin'),
    step('thick-stopped', 'bastille update thk'),
    step('thick', 'bastille start thk >/dev/null; bastille update thk'),
    step('missing', 'bastille update 13.5-RELEASE'),
    step('release', 'bastille update 12.2-RELEASE'),
  ], 120_000);

  it('takes exactly one argument', () => {
    expect(r['jails']?.stdout).toBe('thin\nthk\n');
    for (const name of ['usage', 'usage-two']) {
      expect(r[name]).toEqual({ stdout: `${R}Usage: bastille update [release|container].${X}\n`, stderr: '', code: 1 });
    }
  });

  it('refuses a thin jail and a stopped thick one, in red on stdout', () => {
    expect(r['thin']).toEqual({ stdout: `${R}thin is not a thick container.${X}\n`, stderr: '', code: 1 });
    expect(r['thick-stopped']).toEqual({
      stdout: `${R}thk is not running.${X}\n${R}See 'bastille start thk'.${X}\n`,
      stderr: '',
      code: 1,
    });
    expect(r['missing']).toEqual({ stdout: `${R}13.5-RELEASE not found. See bootstrap.${X}\n`, stderr: '', code: 1 });
  });

  it("hands a running thick jail and a release to freebsd-update -b, whose status is bastille's", () => {
    for (const name of ['thick', 'release']) {
      expect(r[name]).toEqual({ stdout: '', stderr: 'freebsd-update: -b is not modelled by the simulator\n', code: 1 });
    }
  });
});
