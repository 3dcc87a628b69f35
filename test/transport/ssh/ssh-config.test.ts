import { describe, expect, it } from 'vitest';
import { matchesPatternList, parseSshConfig, sshConfigOptions } from '../../../src/transport/ssh/ssh-config.js';
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
