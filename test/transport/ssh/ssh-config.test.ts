import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSshConfig, matchesPatternList, parseSshConfig, sshConfigOptions } from '../../../src/transport/ssh/ssh-config.js';
import { resolveSshOptions } from '../../../src/transport/ssh/ssh-option.js';

const CONFIG = `
# lab hosts
Host bhyve-* !bhyve-old
    HostName %h.lab.example
    User admin
    IdentityFile ~/.ssh/lab

Host bhyve-01
    Port 2222
    User ignored-because-first-wins

Host *
    User = fallback
    IdentityFile "/keys/default"
    ProxyJump gateway
    UserKnownHostsFile ~/.ssh/lab_known_hosts
Match host foo
    User matched
`;

describe('ssh config', () => {
  const config = parseSshConfig(CONFIG, '/home/u/.ssh/config');

  it('applies matching Host blocks in order, first value wins', () => {
    const settings = resolveSshOptions(sshConfigOptions(config, 'bhyve-01'));
    expect(settings.hostName).toBe('bhyve-01.lab.example');
    expect(settings.user).toBe('admin');
    expect(settings.port).toBe(2222);
    expect(settings.proxyJump).toBe('gateway');
    expect(settings.identityFiles).toHaveLength(2);
    expect(settings.identityFiles[1]).toBe('/keys/default');
    expect(settings.userKnownHostsFiles?.[0]).toMatch(/\/\.ssh\/lab_known_hosts$/);
  });

  it('honours negated patterns', () => {
    expect(resolveSshOptions(sshConfigOptions(config, 'bhyve-old')).user).toBe('fallback');
    expect(matchesPatternList('a.b', ['*.b', '!a.*'])).toBe(false);
    expect(matchesPatternList('c.b', ['*.b', '!a.*'])).toBe(true);
  });

  it('does not follow Match blocks and reports them', () => {
    const options = sshConfigOptions(config, 'foo');
    expect(resolveSshOptions(options).user).toBe('fallback');
    expect(options.find((o) => o.keyword === 'Match')?.origin).toBe('/home/u/.ssh/config:17');
  });

  it('points at the line it cannot read', () => {
    expect(() => parseSshConfig('Host a\n  ???\n', '/c')).toThrow('/c:2: cannot read');
  });
});

describe('ssh config Include', () => {
  it('reads included files in place, sorted, scoped like OpenSSH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'beastie-ssh-config-'));
    try {
      mkdirSync(join(dir, 'conf.d'));
      writeFileSync(join(dir, 'conf.d', '20-lab.conf'), 'Host lab-*\n  User lab\nHost other\n  Port 2200\n');
      writeFileSync(join(dir, 'conf.d', '10-first.conf'), 'Host lab-1\n  Port 2201\n');
      writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Host *\n  User wrong\n');
      writeFileSync(join(dir, 'config'), 'Host lab-*\n  Include conf.d/*.conf\n  HostName after-include.example\nHost never\n  Include conf.d/20-lab.conf\nHost *\n  User fallback\n');
      const config = loadSshConfig(join(dir, 'config'), dir);
      const lab = resolveSshOptions(sshConfigOptions(config, 'lab-1'));
      // 10-first before 20-lab; the included `Host other` does not end the including block.
      expect(lab).toMatchObject({ port: 2201, user: 'lab', hostName: 'after-include.example' });
      const plain = resolveSshOptions(sshConfigOptions(config, 'web'));
      expect(plain.user).toBe('fallback');
      expect(plain.port).toBeUndefined();
      expect(loadSshConfig(join(dir, 'missing'), dir).lines).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
