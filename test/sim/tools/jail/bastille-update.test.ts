// bastille update (update.sh of BastilleBSD/bastille tags 1.4.4 and 0.7.20200714,
// docs/freebsd/bastille.md "Upgrading jails"): Bastille's own checks and texts, the exit
// statuses, and the freebsd-update command lines it hands on (-b / -j, which the simulated
// freebsd-update runs; the simulator has no patch levels, so fetch finds nothing but the end of life).
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
    const out = r['thick-auto']?.stdout ?? '';
    expect(out.startsWith('thick: created\n')).toBe(true);
    // -j thick: the jail's freebsd-version is the source release, its path the tree
    expect(out).toContain('Fetching metadata signature for 14.3-RELEASE from update2.freebsd.org... done.\n');
    expect(out).toContain('\nNo updates needed to update system to 14.3-RELEASE-p0.\n');
    expect(out).toContain("No updates are available to install.\nRun 'freebsd-update [options] fetch' first.\n");
    expect(out.endsWith('rc=0\nthin\nthick\n')).toBe(true);
    expect(r['thick-auto']?.stderr).toBe('\n[thick]:\n\n[thick]:\n\nNo updates available.\n\n');
  });

  it('updates a release through freebsd-update -b and gives every thin jail its version as osrelease, thick jails not', () => {
    expect(r['release-missing']).toEqual({ stdout: '\n', stderr: '[ERROR]: Release not found: 15.0-RELEASE\n', code: 1 });
    expect(r['release']?.stderr).toBe('\nAttempting to update release: 14.3-RELEASE\n');
    expect(r['release']?.stdout).toContain('\nNo updates needed to update system to 14.3-RELEASE-p0.\n');
    expect(r['release']?.stdout?.endsWith(
      'rc=0\n/usr/local/bastille/jails/thin/jail.conf:  osrelease = 14.3-RELEASE;\n' +
        '/usr/local/bastille/jails/thick/jail.conf:  osrelease = "14.3-RELEASE";\n',
    )).toBe(true);
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
    // fetch then install with --currently-running 12.2-RELEASE: nothing to fetch, and 12.2 is past its
    // end of life, so fetch exits 1 (fetch_warn_eol) and Bastille 0.7 exec's it: its status is Bastille's
    for (const name of ['thick', 'release']) {
      expect(r[name]).toMatchObject({ stderr: '', code: 1 });
      expect(r[name]?.stdout).toContain('\nNo updates needed to update system to 12.2-RELEASE-p0.\n\nWARNING: FreeBSD 12.2-RELEASE HAS PASSED ITS END-OF-LIFE DATE.\n');
    }
  });
});
