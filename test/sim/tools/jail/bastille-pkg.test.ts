// bastille pkg (pkg.sh of BastilleBSD/bastille tags 1.4.4 and 0.7.20200714, docs/freebsd/bastille.md
// "list, config, cmd, destroy"): 1.4.4's options (-a starts a stopped jail, -H runs the host's
// pkg -j JAIL, -y answers yes), a stopped jail skipped without counting as a failure, and
// "Command failed on N jails."; 0.7 has no options and exits 0 whatever pkg returned.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT } from './seed-steps.js';

const G = '\u001b[0;32m';
const R = '\u001b[0;31m';
const X = '\u001b[0;0m';
const PROMPT = 'The package management tool is not yet installed on your system.\nDo you want to fetch and install it now? [y/N]: ';

describe('bastille pkg (current profile, Bastille 1.4.4)', () => {
  const r = scenarioBox('current', [
    BOOT,
    step('jails', 'bastille bootstrap 14.3-RELEASE >/dev/null 2>&1 && bastille create a 14.3-RELEASE 10.1.1.5 em0 >/dev/null 2>&1 && bastille create b 14.3-RELEASE 10.1.1.6 em0 >/dev/null 2>&1; bastille stop b >/dev/null 2>&1; jls name'),
    step('usage', 'bastille pkg a'),
    step('unknown', 'bastille pkg -q a info'),
    step('stopped', 'bastille pkg b info'),
    step('fails', 'bastille pkg a info'),
    step('yes', 'bastille pkg -y a info'),
    step('host', 'bastille pkg -Hy a install vm-bhyve >/dev/null; echo rc=$?; jexec a pkg info -q'),
    step('all', 'bastille pkg ALL info -e nosuch'),
    step('auto', 'bastille pkg -a b info; echo rc=$?; jls name'),
  ], 120_000);

  it('prints its usage with the options for fewer than two arguments, and refuses an unknown option', () => {
    expect(r['jails']?.stdout).toBe('a\n');
    expect(r['usage']).toEqual({
      stdout:
        "\n    Options:\n\n    -a | --auto      Auto mode. Start/stop jail(s) if required.\n    -H | --host      Use host 'pkg' binary instead of jails.\n" +
        '    -y | --yes       Do not prompt. Assume always yes.\n    -x | --debug     Enable debug mode.\n\n',
      stderr: 'Usage: bastille pkg [option(s)] TARGET ARGS\n',
      code: 1,
    });
    expect(r['unknown']).toEqual({ stdout: '\n', stderr: '[ERROR]: Unknown Option: "-q"\n', code: 1 });
  });

  it('skips a stopped jail with its notice and exits 0; a failed pkg ends in Command failed on N jails', () => {
    expect(r['stopped']).toEqual({ stdout: '', stderr: '\n[b]:\nJail is not running.\nUse [-a|--auto] to auto-start the jail.\n', code: 0 });
    // pkg is not bootstrapped in the jail: without a tty the bootstrapper takes N and exits 1
    expect(r['fails']).toEqual({ stdout: `${PROMPT}\n`, stderr: '\n[a]:\n[ERROR]: Command failed on 1 jails.\n', code: 1 });
    expect(r['all']).toEqual({
      stdout: '\n',
      stderr: '\n[a]:\n\n[b]:\nJail is not running.\nUse [-a|--auto] to auto-start the jail.\n[ERROR]: Command failed on 1 jails.\n',
      code: 1,
    });
  });

  it('-y answers the bootstrapper, -H runs the host pkg -j JAIL, -a starts the stopped jail first', () => {
    expect(r['yes']?.code).toBe(0);
    expect(r['yes']?.stdout).toContain('Installing pkg-');
    expect(r['host']?.stdout).toMatch(/^rc=0\n/);
    expect(r['host']?.stdout).toMatch(/^vm-bhyve-1\.6\.2 /m);
    expect(r['auto']?.stderr).toMatch(/^\n\[b\]:\n\n\[b\]:\n\[ERROR\]: Command failed on 1 jails\.\n$/);
    expect(r['auto']?.stdout).toBe(`b: created\n${PROMPT}\nrc=1\na\nb\n`);
  });
});

describe('bastille pkg (seed profile, Bastille 0.7.20200714)', () => {
  const r = scenarioBox('seed', [
    BOOT,
    step('jail', 'bastille bootstrap 12.2-RELEASE >/dev/null 2>&1 && bastille create t 12.2-RELEASE 10.1.1.5 em0 >/dev/null 2>&1 && bastille start t >/dev/null 2>&1; jls name'),
    step('usage', 'bastille pkg t'),
    step('option', 'bastille pkg -y t info'),
    step('fails', 'bastille pkg t info'),
  ], 120_000);

  it('has its own usage line and no options: -y is a TARGET that matches no running jail', () => {
    expect(r['jail']?.stdout).toBe('t\n');
    expect(r['usage']).toEqual({ stdout: `${R}Usage: bastille pkg TARGET command [args]${X}\n`, stderr: '', code: 1 });
    expect(r['option']).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('exits 0 when pkg fails in the jail: its loop ends with echo', () => {
    expect(r['fails']).toEqual({ stdout: `${G}[t]:${X}\n${PROMPT}\n`, stderr: '', code: 0 });
  });
});
