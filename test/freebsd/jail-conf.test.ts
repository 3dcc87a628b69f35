import { describe, expect, it } from 'vitest';
import { jailParam, jailParamMatches, parseJailConf, setJailParams } from '../../src/freebsd/jail-conf.js';

// Bastille 1.4.x's VNET jail.conf, as generate_vnet_jail_conf writes it (docs/freebsd/bastille.md).
const bastille14 = `bhyve {
  enforce_statfs = 2;
  devfs_ruleset = 13;
  exec.clean;
  exec.consolelog = /var/log/bastille/bhyve/console.log;
  exec.start = '/bin/sh /etc/rc';
  exec.stop = '/bin/sh /etc/rc.shutdown';
  host.hostname = bhyve;
  mount.devfs;
  mount.fstab = /usr/local/bastille/jails/bhyve/fstab;
  path = /usr/local/bastille/jails/bhyve/root;
  securelevel = 2;
  osrelease = "14.3-RELEASE-p1";

  vnet;
  vnet.interface = e0b_bhyve;
  exec.prestart += "jib addm bhyve em0";
  exec.prestart += "ifconfig e0a_bhyve description \\"vnet0 host interface for Bastille jail bhyve\\"";
  exec.poststop += "ifconfig e0a_bhyve destroy";
}
`;

// The seed article's file, with its `devfs_ruleset =25;` spacing.
const seed = `test-bhyve {
  devfs_ruleset =25;
  enforce_statfs = 2;
  exec.clean;
  securelevel = 2;
  allow.vmm;
  vnet;
  vnet.interface = e0b_bastille0;
  exec.prestart += "jib addm bastille0 em0";
  exec.poststop += "jib destroy bastille0";
}
`;

describe('parseJailConf', () => {
  it('reads the name and every statement kind', () => {
    const conf = parseJailConf(bastille14);
    expect(conf.name).toBe('bhyve');
    expect(jailParam(conf, 'devfs_ruleset')).toBe('13');
    expect(jailParam(conf, 'exec.start')).toBe('/bin/sh /etc/rc');
    expect(jailParam(conf, 'osrelease')).toBe('14.3-RELEASE-p1');
    expect(jailParam(conf, 'vnet')).toBe('true');
    expect(jailParam(conf, 'allow.vmm')).toBeUndefined();
    expect(conf.statements.filter((s) => s.operator === '+=')).toHaveLength(3);
    expect(jailParam(parseJailConf(seed), 'devfs_ruleset')).toBe('25');
  });

  it('understands negated flags', () => {
    expect(jailParam(parseJailConf('j {\n  allow.vmm;\n  allow.novmm;\n}\n'), 'allow.vmm')).toBe('false');
  });
});

describe('jailParamMatches', () => {
  it.each([
    [true, 'true', true],
    [true, '1', true],
    [true, undefined, false],
    [false, undefined, true],
    [false, 'false', true],
    [-1, '-1', true],
    [25, '25', true],
    [25, '13', false],
  ] as const)('wanted %s, file has %s → %s', (wanted, actual, expected) => {
    expect(jailParamMatches(wanted, actual)).toBe(expected);
  });
});

describe('setJailParams', () => {
  it("gives Bastille 1.4's file the seed's parameters, in place and before the brace", () => {
    const result = setJailParams(bastille14, { 'allow.vmm': true, devfs_ruleset: 25, securelevel: -1, 'allow.raw_sockets': true });
    expect(result).toBe(
      bastille14
        .replace('devfs_ruleset = 13;', 'devfs_ruleset = 25;')
        .replace('securelevel = 2;', 'securelevel = -1;')
        .replace('  exec.poststop += "ifconfig e0a_bhyve destroy";\n}', '  exec.poststop += "ifconfig e0a_bhyve destroy";\n  allow.vmm;\n  allow.raw_sockets;\n}'),
    );
    expect(setJailParams(result, { 'allow.vmm': true, devfs_ruleset: 25, securelevel: -1, 'allow.raw_sockets': true })).toBe(result);
  });

  it("keeps a line that already holds the value, whatever its spacing (the seed's `devfs_ruleset =25;`)", () => {
    expect(setJailParams(seed, { devfs_ruleset: 25, 'allow.vmm': true })).toBe(seed);
  });

  it('removes a flag set to false and later duplicates of a key', () => {
    const text = 'j {\n  allow.vmm;\n  securelevel = 2;\n  securelevel = 3;\n}\n';
    expect(setJailParams(text, { 'allow.vmm': false, securelevel: -1 })).toBe('j {\n  securelevel = -1;\n}\n');
  });

  it('quotes values with spaces', () => {
    expect(setJailParams('j {\n}\n', { 'exec.start': '/bin/sh /etc/rc' })).toBe("j {\n  exec.start = '/bin/sh /etc/rc';\n}\n");
  });

  it('refuses a file without a jail block', () => {
    expect(() => setJailParams('# nothing here\n', { vnet: true })).toThrow(/no `name \{ … \}` block/);
  });
});
