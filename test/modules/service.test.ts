import { describe, expect, it } from 'vitest';
import service, { isYes, planService, verifyService, type ServiceFacts } from '../../modules/service.js';

const params = (p: Record<string, unknown>) => service.params.parse({ name: 'ntpd', ...p });
const running: ServiceFacts = { status: { kind: 'running', output: 'ntpd is running as pid 1.' } };
const stopped: ServiceFacts = { status: { kind: 'stopped', output: 'ntpd is not running.' } };
const view = (plan: ReturnType<typeof planService>) =>
  plan.failure ?? plan.steps.map((s) => (s.kind === 'noop' ? `noop: ${s.reason}` : s.actions.map((a) => (a.kind === 'run' ? a.command.text : '')).join(' && ')));

describe('service plan', () => {
  it.each([
    ['starts a stopped service with onestart', { state: 'started' }, stopped, ['service ntpd onestart']],
    ['leaves a running one', { state: 'started' }, running, ['noop: ntpd is running']],
    ['stops a running one', { state: 'stopped' }, running, ['service ntpd onestop']],
    ['leaves a stopped one', { state: 'stopped' }, stopped, ['noop: ntpd is not running']],
    ['always restarts', { state: 'restarted' }, running, ['service ntpd onerestart']],
    ['reloads a running one', { state: 'reloaded' }, running, ['service ntpd onereload']],
    ['starts a stopped one asked to reload', { state: 'reloaded' }, stopped, ['service ntpd onestart']],
    ['enables with sysrc', { enabled: true }, { ...stopped, enable: { value: 'NO', inFile: false } }, ['sysrc ntpd_enable=YES']],
    ['any checkyesno yes counts as enabled', { enabled: true }, { ...stopped, enable: { value: 'on', inFile: true } }, ['noop: ntpd_enable is on']],
    ['disables', { enabled: false }, { ...stopped, enable: { value: 'YES', inFile: true } }, ['sysrc ntpd_enable=NO']],
    ['enables before starting', { enabled: true, state: 'started' }, { ...stopped, enable: { value: undefined, inFile: false } }, ['sysrc ntpd_enable=YES', 'service ntpd onestart']],
  ])('%s', (_name, p, facts, expected) => {
    expect(view(planService(params(p), facts))).toEqual(expected);
  });

  it('arguments (alias args) are service(8) options before the name, split as sh would, in the status read too', () => {
    const p = params({ state: 'started', args: "-j 'web 1'" });
    expect(p.arguments).toBe("-j 'web 1'");
    expect(view(planService(p, stopped))).toEqual(["service -j 'web 1' ntpd onestart"]);
    expect(view(planService(params({ state: 'stopped', arguments: '-v' }), running))).toEqual(['service -v ntpd onestop']);
    const [status] = service.needs?.(p, { host: 'sim01', vars: {} }) ?? [];
    expect(status?.command.text).toContain("service -j 'web 1' ntpd onestatus");
    expect(params({ state: 'started' }).arguments).toBe('');
    expect(() => params({ state: 'started', args: '-v; reboot' })).toThrow(/';' is shell syntax and service runs no shell/);
    expect(() => params({ state: 'started', args: "-j 'web" })).toThrow(/unterminated ' quote in arguments/);
  });

  it('fails for a service without an rc.d script', () => {
    expect(view(planService(params({ state: 'started' }), { status: { kind: 'missing', output: 'nosuch does not exist in /etc/rc.d' } }))).toBe(
      'service ntpd does not exist: nosuch does not exist in /etc/rc.d',
    );
  });

  it('needs state or enabled', () => {
    expect(() => params({})).toThrow(/give state, enabled, or both/);
    expect(service.params.parse({ name: 'php-fpm', state: 'started' })).toMatchObject({ name: 'php-fpm' });
  });

  it("enables a script whose name is no variable name through the rcvar it lists (php-fpm → php_fpm_enable), as Ansible does", () => {
    const fpm = (p: Record<string, unknown>) => service.params.parse({ name: 'php-fpm', ...p });
    const rcvar = (value: string) => ({ ...stopped, rcvar: { kind: 'found' as const, variable: 'php_fpm_enable', value } });
    expect(service.needs?.(fpm({ enabled: true }), { host: 'sim01', vars: {} })?.map((f) => f.command.text)).toEqual([expect.stringContaining('service php-fpm onestatus'), 'service php-fpm rcvar']);
    expect(view(planService(fpm({ enabled: true, state: 'started' }), rcvar('NO')))).toEqual(['sysrc php_fpm_enable=YES', 'service php-fpm onestart']);
    expect(view(planService(fpm({ enabled: true }), rcvar('YES')))).toEqual(['noop: php_fpm_enable is YES']);
    expect(view(planService(fpm({ enabled: false }), rcvar('YES')))).toEqual(['sysrc php_fpm_enable=NO']);
    expect(view(planService(fpm({ enabled: true }), { ...stopped, rcvar: { kind: 'none', output: '' } }))).toBe('unable to determine rcvar of php-fpm: service php-fpm rcvar printed nothing');
    expect(verifyService(fpm({ enabled: true }), rcvar('NO'))).toBe('php_fpm_enable is NO after sysrc');
    expect(verifyService(fpm({ enabled: true }), rcvar('YES'))).toBeUndefined();
    // A name that is a variable name keeps the one-round-trip NAME_enable read.
    expect(service.needs?.(params({ enabled: true }), { host: 'sim01', vars: {} })?.map((f) => f.key)).toEqual(['service-status:ntpd', 'sysrc:rc_conf_files:ntpd_enable']);
  });

  it('verify: an rc.d script that exited 0 without starting fails with its output', () => {
    expect(verifyService(params({ state: 'started' }), stopped)).toBe('ntpd is not running after service reported success: ntpd is not running.');
    expect(verifyService(params({ state: 'started' }), running)).toBeUndefined();
    expect(verifyService(params({ enabled: true }), { ...running, enable: { value: 'NO', inFile: true } })).toBe('ntpd_enable is NO after sysrc');
  });

  it("reads YES like rc.subr's checkyesno", () => {
    expect(['YES', 'yes', 'True', 'ON', '1'].every(isYes)).toBe(true);
    expect(['NO', '', 'y', undefined].some(isYes)).toBe(false);
  });
});
