// community.general.portinstall: the plan and the collection's names and messages; the install and
// removal themselves run over SSH in more-builtin-over-ssh.test.ts (portupgrade on the simulated fleet).
import { describe, expect, it } from 'vitest';
import portinstall, { isInstalled, planPortinstall, portinstallCommand, removeCommand, withoutDigits } from '../../modules/portinstall.js';

const params = (p: Record<string, unknown>) => portinstall.params.parse(p);
const commands = (plan: ReturnType<typeof planPortinstall>) => plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)) : []));

describe('portinstall plan', () => {
  it('installs what pkg info does not know, by name or by name without digits (mysql55-client → mysql-client)', () => {
    const p = params({ name: 'tmux,mysql80-client,sysutils/nano' });
    expect(withoutDigits('mysql80-client')).toBe('mysql-client');
    const states = { tmux: { installed: true }, 'mysql-client': { installed: true } };
    expect(isInstalled('mysql80-client', states)).toBe(true);
    expect(commands(planPortinstall(p, states))).toEqual(['portinstall --batch --use-packages sysutils/nano']);
    expect(planPortinstall(params({ name: 'tmux' }), states)).toMatchObject({ values: { msg: 'package(s) already present' } });
    expect(portinstallCommand('tmux', params({ name: 'tmux', use_packages: false })).text).toBe('portinstall --batch tmux');
  });

  it('removes what is installed with pkg delete of pkg_glob; the alias pkg', () => {
    const p = params({ pkg: 'tmux,nano', state: 'absent' });
    expect(commands(planPortinstall(p, { tmux: { installed: true } }))).toEqual(['pkg delete -y $(pkg_glob tmux)']);
    expect(planPortinstall(p, {})).toMatchObject({ steps: [{ kind: 'noop' }, { kind: 'noop' }], values: { msg: 'package(s) already absent' } });
    expect(removeCommand("x'y").text).toBe("pkg delete -y $(pkg_glob 'x'\\''y')");
  });

  it("takes Ansible's parameters only, and no shell in names; no check mode, as the collection", () => {
    expect(() => params({ name: 'tmux; reboot' })).toThrow(/package names/);
    expect(() => params({ name: 'tmux', state: 'latest' })).toThrow();
    expect(() => params({ name: 'tmux', jail: 'x' })).toThrow();
    expect(params({ name: 'www/apache24' })).toEqual({ name: 'www/apache24', state: 'present', use_packages: true });
    expect(portinstall.supportsCheckMode).toBe(false);
  });
});
