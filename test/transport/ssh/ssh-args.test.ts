import { describe, expect, it } from 'vitest';
import { parseSshArgs } from '../../../src/transport/ssh/ssh-args.js';
import { splitShellWords as splitWords } from '../../../src/text/shell-words.js';
import { resolveSshOptions } from '../../../src/transport/ssh/ssh-option.js';

/** The words as ssh args are split (no comments). */
const splitShellWords = (text: string) => splitWords(text, { comments: false }).map((word) => word.text);

describe('splitShellWords', () => {
  it('splits like a shell, with quotes and backslashes', () => {
    expect(splitShellWords(`-o 'ProxyCommand=ssh -W %h:%p j' -o "A=b c" x\\ y`)).toEqual(['-o', 'ProxyCommand=ssh -W %h:%p j', '-o', 'A=b c', 'x y']);
  });
  it('refuses an unterminated quote', () => {
    expect(() => splitShellWords(`-o 'A=b`)).toThrow(/unterminated/);
  });
});

describe('parseSshArgs', () => {
  it('reads -o in its spellings and the value flags', () => {
    const options = parseSshArgs('-o UserKnownHostsFile=/k -oStrictHostKeyChecking=accept-new -o "ConnectTimeout 7" -p 2222 -l admin -i ~/.ssh/k -J jump@j:22 -C');
    expect(options.map((o) => [o.keyword, o.value])).toEqual([
      ['UserKnownHostsFile', '/k'],
      ['StrictHostKeyChecking', 'accept-new'],
      ['ConnectTimeout', '7'],
      ['Port', '2222'],
      ['User', 'admin'],
      ['IdentityFile', '~/.ssh/k'],
      ['ProxyJump', 'jump@j:22'],
      ['-C', ''],
    ]);
  });

  it('says which argument lacks its value', () => {
    expect(() => parseSshArgs('-o', 'ansible_ssh_extra_args')).toThrow(/ansible_ssh_extra_args: -o needs a value/);
  });
});

describe('resolveSshOptions', () => {
  it('takes the first value of each keyword, accumulates IdentityFile and converts units', () => {
    const settings = resolveSshOptions([
      ...parseSshArgs('-o ConnectTimeout=3 -o ServerAliveInterval=5 -o ServerAliveCountMax=2 -i /a -o StrictHostKeyChecking=no -o UserKnownHostsFile="/x /y"'),
      ...parseSshArgs('-o ConnectTimeout=9 -i /b -o StrictHostKeyChecking=yes -o ForwardAgent=yes'),
    ]);
    expect(settings).toMatchObject({
      connectTimeoutMs: 3000,
      serverAliveIntervalMs: 5000,
      serverAliveCountMax: 2,
      identityFiles: ['/a', '/b'],
      hostKeyPolicy: 'accept-new',
      userKnownHostsFiles: ['/x', '/y'],
    });
    expect(settings.ignored.map((o) => o.keyword)).toEqual(['ForwardAgent']);
  });

  it('maps StrictHostKeyChecking yes and ask to strict, and refuses nonsense with its origin', () => {
    expect(resolveSshOptions(parseSshArgs('-o StrictHostKeyChecking=ask')).hostKeyPolicy).toBe('strict');
    expect(() => resolveSshOptions(parseSshArgs('-o StrictHostKeyChecking=maybe', 'ansible_ssh_common_args'))).toThrow(/ansible_ssh_common_args: StrictHostKeyChecking/);
    expect(() => resolveSshOptions(parseSshArgs('-p 70000'))).toThrow(/Port must be/);
  });

  it('treats ProxyJump none as no jump', () => {
    expect(resolveSshOptions(parseSshArgs('-J none -J other')).proxyJump).toBeUndefined();
  });
});
