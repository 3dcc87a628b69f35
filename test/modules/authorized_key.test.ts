import { describe, expect, it } from 'vitest';
import authorized_key, { planAuthorizedKey, type AuthorizedKeyFacts } from '../../modules/authorized_key.js';
import { enforceKeys, parseKeyOptions } from '../../modules/support/authorized-keys.js';
import type { UserEntry } from '../../src/facts/accounts.js';

const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIBBBBnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const request = (r: Partial<Parameters<typeof enforceKeys>[1]>) => ({ keys: `ssh-ed25519 ${K1} me@x`, state: 'present' as const, exclusive: false, ...r });

// Each row was run through ansible.posix.authorized_key (ansible-core 2.14, -c local) on the same
// file text: its changed flag and the bytes it left are the expected values.
describe('authorized_key: the file as Ansible rewrites it', () => {
  it.each([
    ['appends a new key after the existing lines', `# my keys\nssh-ed25519 ${K2} other\n`, {}, true, `# my keys\nssh-ed25519 ${K2} other\nssh-ed25519 ${K1} me@x\n`],
    ['leaves a present key', `# my keys\nssh-ed25519 ${K1} me@x\n`, {}, false, `# my keys\nssh-ed25519 ${K1} me@x\n`],
    ['exclusive removes the other keys', `ssh-ed25519 ${K1} me@x\nssh-ed25519 ${K2} other\n`, { exclusive: true }, true, `ssh-ed25519 ${K1} me@x\n`],
    ['new key_options move the key to the end', `ssh-ed25519 ${K2} other\nssh-ed25519 ${K1} me@x\n`, { keyOptions: 'from="10.0.0.1",no-pty' }, true, `ssh-ed25519 ${K2} other\nfrom="10.0.0.1",no-pty ssh-ed25519 ${K1} me@x\n`],
    ['absent removes the key whatever its comment', `ssh-ed25519 ${K2} other\nssh-ed25519 ${K1} me@x\n`, { keys: `ssh-ed25519 ${K1}`, state: 'absent' }, true, `ssh-ed25519 ${K2} other\n`],
    ['comment replaces the key\'s own', `ssh-ed25519 ${K2} other\n`, { comment: 'newcomment' }, true, `ssh-ed25519 ${K2} other\nssh-ed25519 ${K1} newcomment\n`],
    ['a key without a comment gets a trailing space', '', { keys: `ssh-ed25519 ${K1}` }, true, `ssh-ed25519 ${K1} \n`],
  ] as const)('%s', (_name, existing, r, write, content) => {
    expect(enforceKeys(existing, request(r))).toEqual({ kind: 'ok', write, content });
  });
  it('refuses a line without a key type, with Ansible\'s message', () => {
    expect(enforceKeys('', request({ keys: 'not a key' }))).toEqual({ kind: 'invalid', line: 'not a key' });
  });
  it('splits options on commas outside quotes', () => {
    expect(parseKeyOptions('command="a,b",no-pty,from=\'x\'')).toEqual([['command', '"a,b"'], ['no-pty', null], ['from', "'x'"]]);
  });
});

const user: UserEntry = { name: 'deploy', uid: 1001, gid: 1001, loginClass: '', comment: '', home: '/home/deploy', shell: '/bin/sh', locked: false, passwordSha256: '', homeExists: true };
const facts = (f: Partial<AuthorizedKeyFacts>): AuthorizedKeyFacts => ({
  user, groups: [{ name: 'deploy', gid: 1001, members: [] }], keyfile: '/home/deploy/.ssh/authorized_keys', stat: undefined, sha256: undefined, content: { kind: 'absent' }, keys: `ssh-ed25519 ${K1} me@x`, ...f,
});
const params = (p: Record<string, unknown>) => authorized_key.params.parse({ user: 'deploy', key: `ssh-ed25519 ${K1} me@x`, ...p });

describe('authorized_key: plan', () => {
  it('creates the directory 0700 and the file 0600, owned by the user', () => {
    const plan = planAuthorizedKey(params({}), facts({}));
    const step = plan.steps[0];
    if (step?.kind !== 'change') throw new Error('expected a change');
    expect(step.actions[0]).toMatchObject({ kind: 'run', command: { text: '{ [ -d /home/deploy/.ssh ] || mkdir -m 0700 /home/deploy/.ssh; } && chown deploy:deploy /home/deploy/.ssh && chmod 0700 /home/deploy/.ssh' } });
    expect(step.actions.at(-1)).toEqual({ kind: 'put', path: '/home/deploy/.ssh/authorized_keys', content: Buffer.from(`ssh-ed25519 ${K1} me@x\n`), mode: 0o600, owner: 'deploy', group: 'deploy' });
    expect(plan.values).toMatchObject({ user: 'deploy', keyfile: '/home/deploy/.ssh/authorized_keys', path: null, manage_dir: true, exclusive: false, key_options: null, comment: null, state: 'file', mode: '0600', owner: 'deploy', group: 'deploy', uid: 1001, gid: 1001 });
  });
  it('is ok when the key is there; the file\'s attributes are left as they are (as Ansible)', () => {
    const content = Buffer.from(`ssh-ed25519 ${K1} me@x\n`);
    const plan = planAuthorizedKey(params({}), facts({ stat: { type: 'file', mode: 0o644, owner: 'deploy', group: 'deploy', size: content.length } as never, content: { kind: 'file', content } }));
    expect(plan.steps).toEqual([{ kind: 'noop', reason: '/home/deploy/.ssh/authorized_keys has the keys in it' }]);
    expect(plan.values).toMatchObject({ mode: '0644', state: 'file' });
  });
  it('without manage_dir, writes only the file', () => {
    const step = planAuthorizedKey(params({ manage_dir: false, path: '/etc/ssh/keys/deploy' }), facts({ keyfile: '/etc/ssh/keys/deploy' })).steps[0];
    expect(step?.kind === 'change' && step.actions.map((a) => a.kind)).toEqual(['run', 'put']);
    expect(step?.kind === 'change' && step.actions[0]?.kind === 'run' && step.actions[0].command.text).toBe('mkdir -p /etc/ssh/keys');
  });
  it('fails with Ansible\'s texts', () => {
    expect(planAuthorizedKey(params({}), facts({ user: undefined })).failure).toBe(`Failed to lookup user deploy: "getpwnam(): name not found: 'deploy'"`);
    expect(planAuthorizedKey(params({ key: 'bogus' }), facts({ keys: 'bogus' })).failure).toBe('invalid key specified: bogus');
    expect(planAuthorizedKey(params({ key: 'https://x/keys' }), facts({ keyError: 'Error getting key from: https://x/keys' })).failure).toBe('Error getting key from: https://x/keys');
  });
});
