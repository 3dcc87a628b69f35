import { describe, expect, it } from 'vitest';
import vbotkaService, { checksRcvar, commandKind, parsedOutput, planVbotkaService, rcVerb, verifyVbotkaService, type VbotkaServiceFacts } from '../../modules/vbotka_service.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { ansibleNames, resolveModuleName } from '../../src/playbook/module-names.js';

const p = (params: Record<string, unknown>) => vbotkaService.params.parse(params);
const out = (rc: number, stdout = '', stderr = '') => ({ rc, stdout, stderr });
const running = { kind: 'running' as const, output: 'ntpd is running as pid 42.' };
const stopped = { kind: 'stopped' as const, output: 'ntpd is not running.' };
const view = (plan: ReturnType<typeof planVbotkaService>) =>
  plan.failure ?? plan.steps.map((s) => (s.kind === 'noop' ? `noop: ${s.reason}` : s.actions.map((a) => (a.kind === 'run' ? `${a.command.text} [ok ${String(a.okExitCodes)}]` : a.path)).join('; ')));

describe('vbotka.freebsd.service: names and parameters', () => {
  it('is found by its FQCN and listed with it', () => {
    const registry = moduleRegistry([vbotkaService]);
    expect(resolveModuleName('vbotka.freebsd.service', (n) => registry.find(n) !== undefined)).toBe('vbotka_service');
    expect(ansibleNames('vbotka_service')).toEqual(['vbotka.freebsd.service']);
  });

  it("refuses what vbotka's module refuses, and synopsis", () => {
    expect(() => p({})).toThrow(/Script is required\./);
    expect(() => p({ script: 'sshd' })).toThrow(/Command is required for script sshd\./);
    expect(() => p({ script: 'sshd', synopsis: true })).toThrow(/synopsis is not supported/);
    expect(() => p({ script: 'sshd', command: 'start', env: { A: '1' } })).toThrow();
    expect(p({ list_enabled: true })).toMatchObject({ list_enabled: true, wait: 0.5 });
    expect(p({ script: 'sshd', command: 'status', jail: 147 }).jail).toBe('147');
  });

  it.each([
    ['onestart', 'one', 'start', 'start', false],
    ['faststop', 'fast', 'stop', 'stop', false],
    ['quietstatus', 'quiet', 'status', 'read', false],
    ['rcvar', '', 'rcvar', 'read', false],
    ['restart', '', 'restart', 'other', true],
    ['onerestart', 'one', 'restart', 'other', false],
    ['forcereload', 'force', 'reload', 'other', false],
    ['enable', '', 'enable', 'enable', false],
    ['start', '', 'start', 'start', true],
    ['stop', '', 'stop', 'stop', false],
  ])('%s: prefix %j, verb %s, kind %s, rcvar checked %s', (command, prefix, verb, kind, checked) => {
    expect(rcVerb(command)).toEqual({ prefix, verb });
    expect(commandKind(command)).toBe(kind);
    expect(checksRcvar(command)).toBe(checked);
  });
});

describe("vbotka.freebsd.service: the registered value under the command's name", () => {
  it.each([
    ['rcvar', out(0, '# sshd : Secure Shell Daemon\n#\nsshd_enable="YES"\n#   (default: "")\n\n'), { sshd_enable: 'YES' }],
    ['rcvar', out(1, '', 'no rcvar\n'), 'no rcvar\n'],
    ['status', out(0, 'sshd is running as pid 88647.\n'), 'running'],
    ['onestatus', out(1, 'sshd is not running.\n'), 'stopped'],
    ['status', out(0, "Cannot 'status' sshd. Set sshd_enable to YES in /etc/rc.conf or use 'onestatus' instead of 'status'.\n"), 'unknown'],
    ['enabled', out(1), false],
    ['onestart', out(0, 'Starting sshd.\n'), 'Starting sshd.'],
    ['stop', out(0, 'Stopping sshd.\nWaiting for PIDS: 42.\n'), 'Waiting for PIDS: 42'],
    ['start', out(0), 'void'],
    ['reload', out(0), 'Not parsed.'],
  ])('%s %j', (command, output, expected) => {
    expect(parsedOutput('sshd', command, output)).toEqual(expected);
  });
});

describe('vbotka.freebsd.service: plans', () => {
  it.each<[string, Record<string, unknown>, VbotkaServiceFacts, unknown]>([
    ['a read command is a fact', { script: 'ntpd', command: 'rcvar' }, { output: out(0, '# ntpd\n#\nntpd_enable="NO"\n') }, ['noop: service ntpd rcvar changes nothing']],
    ['start of a stopped service, waiting before the status is read again', { script: 'ntpd', command: 'onestart' }, { status: stopped }, ["service ntpd onestart; rc=$?; sleep 0.5; exit $rc [ok 0,1]"]],
    ['start of a running one', { script: 'ntpd', command: 'onestart' }, { status: running }, ['noop: ntpd is running']],
    ['stop with wait 0', { script: 'ntpd', command: 'onestop', wait: 0 }, { status: running }, ['service ntpd onestop [ok 0,1]']],
    ['stop of a stopped one', { script: 'ntpd', command: 'stop' }, { status: stopped }, ['noop: ntpd is not running']],
    ['a bare start rc.subr refuses', { script: 'ntpd', command: 'start' }, { status: stopped, enabled: out(1) }, ["noop: ntpd is not enabled: rc.subr refuses 'start' (use onestart)"]],
    ['a bare start of an enabled one', { script: 'ntpd', command: 'start' }, { status: stopped, enabled: out(0) }, ["service ntpd start; rc=$?; sleep 0.5; exit $rc [ok 0,1]"]],
    ['enabled unknown to the script: run it', { script: 'sshd', command: 'restart' }, { enabled: out(1, '', "Usage: /etc/rc.d/sshd [fast|force|one|quiet](start|stop|status)\n") }, ['service sshd restart [ok 0,1]']],
    ['restart always runs', { script: 'ntpd', command: 'onerestart' }, {}, ['service ntpd onerestart [ok 0,1]']],
    ['enable of an enabled one', { script: 'ntpd', command: 'enable' }, { enabled: out(0) }, ['noop: ntpd is enabled']],
    ['disable of an enabled one', { script: 'ntpd', command: 'disable' }, { enabled: out(0) }, ['service ntpd disable [ok 0,1]']],
    ['a missing script', { script: 'nope', command: 'onestart' }, { status: { kind: 'missing', output: 'nope does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d), or is not executable' } }, 'nope does not exist in /etc/rc.d or the local startup directories (/usr/local/etc/rc.d), or is not executable'],
    ['an unknown read command', { script: 'ntpd', command: 'onedescribe' }, { output: out(1, '', "/etc/rc.d/ntpd: unknown directive 'describe'.\nUsage: /etc/rc.d/ntpd [fast|force|one|quiet](start|stop)\n") }, "Command onedescribe is not a command of ntpd: /etc/rc.d/ntpd: unknown directive 'describe'. Usage: /etc/rc.d/ntpd [fast|force|one|quiet](start|stop)"],
    ['rc above 1 fails', { script: 'ntpd', command: 'status' }, { output: out(3, '', 'boom\n') }, 'Command failed. (service ntpd status: rc 3: boom)'],
  ])('%s', (_name, params, facts, expected) => {
    expect(view(planVbotkaService(p(params), facts))).toEqual(expected);
  });

  it('registers the read command as vbotka does (rc 0 for an answer with rc 1), and service -e sorted', () => {
    expect(planVbotkaService(p({ script: 'ntpd', command: 'onestatus' }), { output: out(1, 'ntpd is not running.\n') }).values).toEqual({ rc: 0, stdout: 'ntpd is not running.\n', stderr: '', onestatus: 'stopped' });
    expect(planVbotkaService(p({ list_enabled: true }), { output: out(0, '/etc/rc.d/sshd\n/etc/rc.d/cron\n') }).values).toEqual({ rc: 0, stdout: '/etc/rc.d/cron\n/etc/rc.d/sshd', stderr: '' });
  });

  it("verifies start and stop by the status, and fails rc.subr's unknown directive", () => {
    expect(verifyVbotkaService(p({ script: 'ntpd', command: 'onestart' }), { status: stopped }, out(0, 'Starting ntpd.\n'))).toBe('ntpd is not running after service ntpd onestart: ntpd is not running.');
    expect(verifyVbotkaService(p({ script: 'ntpd', command: 'onestart' }), { status: running }, out(0))).toBeUndefined();
    expect(verifyVbotkaService(p({ script: 'ntpd', command: 'onebogus' }), {}, out(1, '', "/etc/rc.d/ntpd: unknown directive 'bogus'.\n"))).toMatch(/^Command onebogus is not a command of ntpd: /);
  });
});
