import { describe, expect, it } from 'vitest';
import sysrc, { BAD_NAME, planSysrc, planSysrcTask, verifySysrc } from '../../modules/sysrc.js';

const params = (p: Record<string, unknown>) => sysrc.params.parse(p);
const set = (value: string | undefined, inFile = value !== undefined) => ({ value, inFile });
const view = (step: ReturnType<typeof planSysrc>) => (step.kind === 'noop' ? `noop: ${step.reason}` : step.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)).join(' && '));

describe('sysrc plan', () => {
  it.each([
    ['sets an unset value', { name: 'vm_enable', value: 'YES' }, set(undefined), 'sysrc -f /etc/rc.conf vm_enable=YES'],
    ['leaves an equal value (sysrc would rewrite it)', { name: 'vm_enable', value: 'YES' }, set('YES'), 'noop: vm_enable is "YES" in /etc/rc.conf'],
    ['an equal value from the defaults only is written, as Ansible does', { name: 'sshd_enable', value: 'NO' }, set('NO', false), 'sysrc -f /etc/rc.conf sshd_enable=NO'],
    ['present without a value changes nothing', { name: 'sshd_enable' }, set('YES'), 'noop: no value given: sshd_enable left "YES" in /etc/rc.conf'],
    ['value_absent without a value changes nothing', { name: 'rc_conf_files', state: 'value_absent', path: '/tmp/x.conf' }, set('/etc/rc.conf', false), 'noop: no value given: rc_conf_files left as it is in /tmp/x.conf'],
    ['a list only the defaults give counts as empty', { name: 'kld_list', value: 'vmm', state: 'value_absent' }, set('vmm', false), 'noop: kld_list lacks vmm in /etc/rc.conf'],
    ['changes a different value', { name: 'vm_dir', value: 'zfs:zroot/vms' }, set('/vms'), 'sysrc -f /etc/rc.conf vm_dir=zfs:zroot/vms'],
    ['quotes values for the shell', { name: 'msg', value: "it's a b" }, set(undefined), `sysrc -f /etc/rc.conf 'msg=it'\\''s a b'`],
    ['an empty value is a value', { name: 'ifconfig_em0', value: '' }, set(''), 'noop: ifconfig_em0 is "" in /etc/rc.conf'],
    ['writes other files with -f', { name: 'vmm_load', value: 'YES', path: '/boot/loader.conf' }, set(undefined), 'sysrc -f /boot/loader.conf vmm_load=YES'],
    ['removes a line the file has', { name: 'vmm_load', state: 'absent', path: '/boot/loader.conf' }, set('YES'), 'sysrc -f /boot/loader.conf -x vmm_load'],
    ['does not remove a default-only value', { name: 'sshd_enable', state: 'absent' }, set('NO', false), 'noop: /etc/rc.conf does not set sshd_enable'],
    ['adds a word to a list', { name: 'kld_list', value: 'nmdm', state: 'value_present' }, set('vmm'), 'sysrc -f /etc/rc.conf kld_list+=nmdm'],
    ['adds to an unset list', { name: 'kld_list', value: 'vmm', state: 'value_present' }, set(undefined), 'sysrc -f /etc/rc.conf kld_list+=vmm'],
    ['leaves a word already in the list', { name: 'kld_list', value: 'vmm', state: 'value_present' }, set('vmm  nmdm'), 'noop: kld_list has vmm in /etc/rc.conf'],
    ['removes a word from a list', { name: 'kld_list', value: 'vmm', state: 'value_absent' }, set('vmm nmdm'), 'sysrc -f /etc/rc.conf kld_list-=vmm'],
    ['leaves a list without the word', { name: 'kld_list', value: 'vmm', state: 'value_absent' }, set('nmdm'), 'noop: kld_list lacks vmm in /etc/rc.conf'],
    ['uses another delimiter as sysrc does (leading character)', { name: 'x', value: 'b', state: 'value_present', delim: ',' }, set('a'), 'sysrc -f /etc/rc.conf x+=,b'],
  ])('%s', (_name, p, current, expected) => {
    expect(view(planSysrc(params(p), current))).toBe(expected);
  });

  it('shows the assignment before and after', () => {
    expect(planSysrc(params({ name: 'kld_list', value: 'nmdm', state: 'value_present' }), set('vmm'))).toMatchObject({
      diff: { header: '/etc/rc.conf kld_list', before: 'kld_list="vmm"\n', after: 'kld_list="vmm nmdm"\n' },
    });
    expect(planSysrc(params({ name: 'a', state: 'absent' }), set('1'))).toMatchObject({ diff: { before: 'a="1"\n', after: '' } });
  });

  it('validates delimiters at load; a name sysrc cannot take fails the task with Ansible\'s message', () => {
    expect(() => params({ name: 'x', value: 'a', delim: 'a' })).toThrow(/delimiter/);
    expect(() => params({ name: 'x', value: 'a', jal: 'j' })).toThrow();
    expect(params({ name: 'vm_delay', value: 5 })).toMatchObject({ value: '5' });
    expect(planSysrcTask(params({ name: 'not.valid.var', value: 'test' }), undefined)).toEqual({ steps: [], failure: BAD_NAME, values: { msg: BAD_NAME } });
    expect(BAD_NAME).toBe('Name may only contain alpha-numeric and underscore characters');
  });

  it('registers value as Ansible does: the parameter, or what the file holds when none is given', () => {
    expect(planSysrcTask(params({ name: 'a', value: 'x y' }), set('z')).values).toEqual({ value: 'x y' });
    expect(planSysrcTask(params({ name: 'a' }), set('z')).values).toEqual({ value: 'z' });
    expect(planSysrcTask(params({ name: 'a' }), set(undefined)).values).toEqual({ value: null });
    expect(planSysrcTask(params({ name: 'a', state: 'value_present', delim: ',' }), set('p,q')).values).toEqual({ value: ['p', 'q'] });
  });

  it('the jail parameter runs the task inside that jail', () => {
    expect(sysrc.jail?.(params({ name: 'nginx_enable', value: 'YES', jail: 'testjail' }))).toBe('testjail');
    expect(sysrc.jail?.(params({ name: 'nginx_enable', value: 'YES' }))).toBeUndefined();
  });

  it('verify: a sysrc that exited 0 but left the old value fails the task', () => {
    expect(verifySysrc(params({ name: 'vm_enable', value: 'YES' }), set('NO'))).toMatch(/still needs: set vm_enable="YES" in \/etc\/rc.conf \(now vm_enable="NO"\)/);
    expect(verifySysrc(params({ name: 'vm_enable', value: 'YES' }), set('YES'))).toBeUndefined();
  });
});
