// bastille service (service.sh of BastilleBSD/bastille tags 1.4.4 and 0.7.20200714): 1.4.4 takes
// -a/-x before TARGET and then exactly three arguments (`$# -ne 3`), its usage with the option
// list otherwise; 0.7 has no options and needs at least two (`$# -lt 2`), so `service TARGET -e`
// runs service -e in the jail.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT } from './seed-steps.js';

const G = '\u001b[0;32m';
const X = '\u001b[0;0m';
const USAGE1 = {
  stdout: '\n    Options:\n\n    -a | --auto      Auto mode. Start/stop jail(s) if required.\n    -x | --debug     Enable debug mode.\n\n',
  stderr: 'Usage: bastille service [option(s)] TARGET SERVICE ARGS\n',
  code: 1,
};

describe('bastille service (current profile, Bastille 1.4.4)', () => {
  const r = scenarioBox('current', [
    BOOT,
    step('jails', 'bastille bootstrap 14.3-RELEASE >/dev/null 2>&1 && bastille create a 14.3-RELEASE 10.1.1.5 em0 >/dev/null 2>&1 && bastille create b 14.3-RELEASE 10.1.1.6 em0 >/dev/null 2>&1; bastille stop b >/dev/null 2>&1; jls name'),
    step('two', 'bastille service a sshd'),
    step('four', 'bastille service a sshd status extra'),
    step('unknown', 'bastille service -q a sshd status'),
    step('stopped', 'bastille service b sshd status'),
    step('runs', 'bastille service a sshd status; echo rc=$?; bastille service -xa b sshd status; echo rc=$?; jls name'),
  ], 120_000);

  it('prints its usage with the options unless given exactly three arguments', () => {
    expect(r['jails']?.stdout).toBe('a\n');
    expect(r['two']).toEqual(USAGE1);
    expect(r['four']).toEqual(USAGE1);
    expect(r['unknown']).toEqual({ stdout: '\n', stderr: '[ERROR]: Unknown Option: "-q"\n', code: 1 });
  });

  it('skips a stopped jail with its notice; -a starts it', () => {
    expect(r['stopped']).toEqual({ stdout: '', stderr: '\n[b]:\nJail is not running.\nUse [-a|--auto] to auto-start the jail.\n', code: 0 });
    // rc.subr's answer for a service not enabled; -a prints start's own [b]: and 'b: created'
    const CANNOT = "Cannot 'status' sshd. Set sshd_enable to YES in /etc/rc.conf or use 'onestatus' instead of 'status'.\n";
    expect(r['runs']).toEqual({
      stdout: `${CANNOT}rc=0\nb: created\n${CANNOT}rc=0\na\nb\n`,
      stderr: '\n[a]:\n\n[b]:\n\n[b]:\n',
      code: 0,
    });
  });
});

describe('bastille service (seed profile, Bastille 0.7.20200714)', () => {
  const r = scenarioBox('seed', [
    BOOT,
    step('jail', 'bastille bootstrap 12.2-RELEASE >/dev/null 2>&1 && bastille create t 12.2-RELEASE 10.1.1.5 em0 >/dev/null 2>&1 && bastille start t >/dev/null 2>&1; jls name'),
    step('one', 'bastille service t'),
    step('two', 'bastille service t -e'),
  ], 120_000);

  it('needs at least two arguments: TARGET -e runs service -e in the jail', () => {
    expect(r['jail']?.stdout).toBe('t\n');
    expect(r['one']).toEqual({ stdout: `\u001b[0;31mUsage: bastille service TARGET service_name action${X}\n`, stderr: '', code: 1 });
    expect(r['two']?.code).toBe(0);
    expect(r['two']?.stdout.startsWith(`${G}[t]:${X}\n`)).toBe(true);
    expect(r['two']?.stdout).not.toContain('Usage');
  });
});
