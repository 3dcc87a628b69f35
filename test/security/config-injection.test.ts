// A playbook value must never become code in the file it is written to (README.md here: "a
// playbook author" and the data a playbook renders). Each file is read back by the parser that
// reads it on a FreeBSD host: rc.conf by /bin/sh (sourced as root), jail.conf by the simulated
// jail(8)'s tokenizer (sim/tools/lib/jail.sh, which follows usr.sbin/jail/jaillex.l for what is
// written here), devfs.rules by the eval rc.subr runs on each rule line. A value is either refused
// with its reason or written so that the parser reads back exactly that value and runs nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bastilleJail from '../../modules/bastille_jail.js';
import devfsRule from '../../modules/devfs_rule.js';
import sysrc from '../../modules/sysrc.js';
import { InvalidInputError } from '../../src/errors.js';
import { parseDevfsRules, setDevfsRuleset } from '../../src/freebsd/devfs-rules.js';
import { setJailParams } from '../../src/freebsd/jail-conf.js';
import { setShConf } from '../../src/freebsd/sh-conf.js';

let work: string;
let marker: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'beastie-injection-'));
  marker = join(work, 'pwned');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Hostile values: each would run `touch MARKER` if written verbatim between quotes. */
function hostile(): string[] {
  return [
    `"; touch ${marker}; x="`,
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `a\\"; touch ${marker}; #`,
    `x'; touch ${marker}; '`,
    `ok\ntouch ${marker}\n`,
  ];
}

describe('rc.conf and loader.conf (sh-conf, sysrc)', () => {
  it('never writes a value /bin/sh would run when it sources the file', async () => {
    for (const value of hostile()) {
      let text: string;
      try {
        text = setShConf('', { beastie_x: value });
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        continue;
      }
      const file = join(work, 'rc.conf');
      await writeFile(file, text);
      const read = execFileSync('/bin/sh', ['-c', '. "$1"; printf %s "$beastie_x"', 'sh', file], { encoding: 'utf8' });
      expect(existsSync(marker)).toBe(false);
      expect(read).toBe(value);
    }
  });

  it('sysrc refuses such a value when the playbook loads, saying why', () => {
    for (const value of hostile().filter((v) => /["$`\n]/.test(v))) {
      const parsed = sysrc.params.safeParse({ name: 'beastie_x', value });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/\/bin\/sh would run/);
    }
    expect(sysrc.params.safeParse({ name: 'ifconfig_em0', value: 'inet 10.0.0.1/24' }).success).toBe(true);
  });
});

describe('jail.conf (bastille_jail params)', () => {
  /** The statements jail.conf's tokenizer reads from `text`, as "OP NAME=VALUE" lines. */
  async function jailStatements(text: string): Promise<string[]> {
    const file = join(work, 'jail.conf');
    await writeFile(file, text);
    const lib = join(import.meta.dirname, '..', '..', 'sim', 'tools', 'lib', 'jail.sh');
    const out = execFileSync('/bin/sh', ['-c', 'SIM_RUN=/nonexistent; . "$1"; sim_jailconf_parse "$2"', 'sh', lib, file], { encoding: 'utf8' });
    return out.split('\n').filter((line) => line !== '').map((line) => line.split('\t').slice(2).join('='));
  }

  it('keeps every value one string: no statement such as exec.prestart is ever added', async () => {
    const conf = 'bhyve {\n  path = /usr/local/bastille/jails/bhyve/root;\n}\n';
    for (const value of [...hostile(), `x';\n  exec.prestart = 'touch ${marker}`, `x";\n  exec.prestart = "touch ${marker}`, '$name and ${name}']) {
      const after = setJailParams(conf, { 'host.hostname': value });
      const statements = await jailStatements(after);
      expect(statements).toEqual(['path=/usr/local/bastille/jails/bhyve/root', `host.hostname=${value.replaceAll('\n', '\\n')}`]);
    }
  });

  it('refuses a control character no jail.conf reader escapes alike', () => {
    expect(() => setJailParams('j {\n}\n', { 'host.hostname': 'a\rb' })).toThrow(InvalidInputError);
    expect(bastilleJail.params.safeParse({ name: 'bhyve', params: { 'exec.prestart;x': 'y' } }).success).toBe(false);
  });
});

describe('devfs.rules (devfs_rule)', () => {
  it('refuses a rule that would add a ruleset or run a command when rc.subr evals it', () => {
    const rules = [
      'add path null unhide\n[evil=99]\nadd hide',
      '[evil=99]',
      `add path null unhide; touch ${marker}`,
      `add path $(touch ${marker}) unhide`,
      'add path `id` unhide',
      'add path x unhide > /etc/passwd',
      "add path 'tap* unhide",
    ];
    for (const rule of rules) {
      expect(() => setDevfsRuleset('', 'jail_x', 30, [rule]), rule).toThrow(InvalidInputError);
      const parsed = devfsRule.params.safeParse({ name: 'jail_x', number: 30, rules: [rule] });
      expect(parsed.success, rule).toBe(false);
    }
  });

  it('still takes the rules FreeBSD ships: $ruleset references and quoted globs', () => {
    const rules = ['add include $devfsrules_jail', "add path 'tap*' unhide", 'add path vmm/* unhide', 'add path pts unhide mode 0666'];
    const text = setDevfsRuleset('', 'jail_x', 30, rules);
    expect(parseDevfsRules(text)).toMatchObject([{ name: 'jail_x', number: 30, rules }]);
    expect(devfsRule.params.safeParse({ name: 'jail_x', number: 30, rules }).success).toBe(true);
  });
});
