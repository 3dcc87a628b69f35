// community.crypto.openssl_privatekey over SSH on the simulated FreeBSD fleet, with the host's own
// openssl(1) alone: generated three ways (apply, --check on a fresh host, apply again), the key
// read back by the host's openssl with the registered fingerprint; a size change regenerates with
// a backup; state absent three ways. openssl_dhparam likewise, checked by the host's openssl dhparam -check; openssl_csr three ways, read back by openssl req.
import { describe, expect, it } from 'vitest';
import openssl_csr from '../../modules/openssl_csr.js';
import openssl_dhparam from '../../modules/openssl_dhparam.js';
import openssl_privatekey from '../../modules/openssl_privatekey.js';
import { fleetOfFile, threeWayOverSsh } from './helpers/fleet-session.js';

const up = fleetOfFile({ hosts: 2, profile: 'current' }, async (fleet) => {
  for (const host of ['sim01', 'sim02']) {
    const made = await fleet.ssh(host, 'mkdir -p /usr/local/etc/ssl/keys && openssl version');
    expect(made.exitCode, made.stderr).toBe(0);
  }
});

describe('openssl_privatekey on the fleet', () => {
  it('an ECC key with owner and mode, three ways; the host reads it as registered', async () => {
    const { fleet, sessions } = up;
    const params = { path: '/usr/local/etc/ssl/keys/ec.key', type: 'ECC', curve: 'secp256r1', group: 'operator' };
    const { first, second } = await threeWayOverSsh(sessions, fleet, openssl_privatekey, params, { applied: 'sim01', fresh: 'sim02' });
    const read = await fleet.ssh('sim01', "stat -c '%a %G' /usr/local/etc/ssl/keys/ec.key; head -n 1 /usr/local/etc/ssl/keys/ec.key; openssl pkey -in /usr/local/etc/ssl/keys/ec.key -pubout -outform DER | openssl dgst -sha256 -r; ls -a /usr/local/etc/ssl/keys");
    const [attributes, header, digest, ...names] = read.stdout.trim().split('\n');
    expect([attributes, header]).toEqual(['600 operator', '-----BEGIN EC PRIVATE KEY-----']);
    const sha256 = (digest ?? '').split(' ')[0]?.replace(/(..)(?!$)/g, '$1:');
    expect((first.values['fingerprint'] as Record<string, string>)['sha256']).toBe(sha256);
    expect((second.values['fingerprint'] as Record<string, string>)['sha256']).toBe(sha256);
    expect(second.values).toMatchObject({ filename: '/usr/local/etc/ssl/keys/ec.key', type: 'ECC', curve: 'secp256r1' });
    // No temporary file left beside it.
    expect(names.sort()).toEqual(['.', '..', 'ec.key']);
  }, 120_000);

  it('another curve regenerates with a backup of the old key; state absent three ways', async () => {
    const { fleet, sessions } = up;
    const before = (await fleet.ssh('sim01', 'cat /usr/local/etc/ssl/keys/ec.key')).stdout;
    const changed = await sessions.run(openssl_privatekey, 'sim01', { path: '/usr/local/etc/ssl/keys/ec.key', type: 'ECC', curve: 'secp384r1', backup: true });
    expect(changed.status, changed.msg).toBe('changed');
    const backup = String(changed.values['backup_file']);
    expect(backup).toMatch(/^\/usr\/local\/etc\/ssl\/keys\/ec\.key\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect((await fleet.ssh('sim01', `cat '${backup}'`)).stdout).toBe(before);
    expect((await fleet.ssh('sim01', 'openssl pkey -in /usr/local/etc/ssl/keys/ec.key -noout -text | grep "ASN1 OID"')).stdout).toBe('ASN1 OID: secp384r1\n');
    await fleet.ssh('sim02', 'openssl genpkey -algorithm ED25519 -out /usr/local/etc/ssl/keys/ec.key');
    await threeWayOverSsh(sessions, fleet, openssl_privatekey, { path: '/usr/local/etc/ssl/keys/ec.key', state: 'absent' }, { applied: 'sim01', fresh: 'sim02' });
    expect((await fleet.ssh('sim01', 'test -e /usr/local/etc/ssl/keys/ec.key')).exitCode).toBe(1);
  }, 120_000);

  it('openssl_dhparam: 512-bit parameters three ways, valid to the host\'s openssl; another size with a backup keeps the mode', async () => {
    const { fleet, sessions } = up;
    const params = { path: '/usr/local/etc/ssl/dh.pem', size: 512, mode: '0640', return_content: true };
    const { first, second } = await threeWayOverSsh(sessions, fleet, openssl_dhparam, params, { applied: 'sim01', fresh: 'sim02' });
    const check = await fleet.ssh('sim01', "openssl dhparam -check -text -noout -in /usr/local/etc/ssl/dh.pem 2>&1 | grep -c 'DH Parameters: (512 bit)'; stat -c '%a' /usr/local/etc/ssl/dh.pem; cat /usr/local/etc/ssl/dh.pem");
    const [count, mode, ...pem] = check.stdout.split('\n');
    expect([count, mode]).toEqual(['1', '640']);
    expect(first.values['dhparams']).toBe(pem.join('\n'));
    expect(second.values).toMatchObject({ size: 512, filename: '/usr/local/etc/ssl/dh.pem', dhparams: pem.join('\n') });
    const bigger = await sessions.run(openssl_dhparam, 'sim01', { path: '/usr/local/etc/ssl/dh.pem', size: 768, backup: true });
    expect(bigger.status, bigger.msg).toBe('changed');
    expect(String(bigger.values['backup_file'])).toMatch(/^\/usr\/local\/etc\/ssl\/dh\.pem\.\d+\..*~$/);
    expect((await fleet.ssh('sim01', "stat -c '%a' /usr/local/etc/ssl/dh.pem; openssl dhparam -in /usr/local/etc/ssl/dh.pem -noout -text | head -n 1")).stdout).toBe('640\n    DH Parameters: (768 bit)\n');
  }, 120_000);

  it('openssl_csr: a request for its key three ways, as the host\'s openssl req reads it; another SAN regenerates it', async () => {
    const { fleet, sessions } = up;
    for (const host of ['sim01', 'sim02']) await sessions.run(openssl_privatekey, host, { path: '/usr/local/etc/ssl/keys/csr.key', type: 'ECC', curve: 'secp256r1' });
    const params = { path: '/usr/local/etc/ssl/pkg.csr', privatekey_path: '/usr/local/etc/ssl/keys/csr.key', common_name: 'pkg.example.org', organization_name: 'Example' };
    const { second } = await threeWayOverSsh(sessions, fleet, openssl_csr, params, { applied: 'sim01', fresh: 'sim02' });
    expect(second.values).toMatchObject({ filename: '/usr/local/etc/ssl/pkg.csr', subject: [['O', 'Example'], ['CN', 'pkg.example.org']], subjectAltName: ['DNS:pkg.example.org'] });
    const read = await fleet.ssh('sim01', 'openssl req -in /usr/local/etc/ssl/pkg.csr -noout -verify -subject -nameopt RFC2253 2>&1; openssl req -in /usr/local/etc/ssl/pkg.csr -noout -text | grep -A1 "Subject Alternative Name" | tail -n 1');
    expect(read.stdout).toContain('subject=CN=pkg.example.org,O=Example');
    expect(read.stdout).toContain('verify OK');
    expect(read.stdout).toContain('DNS:pkg.example.org');
    const changed = await sessions.run(openssl_csr, 'sim01', { ...params, subject_alt_name: ['DNS:pkg.example.org', 'DNS:pkg2.example.org'] });
    expect(changed.status, changed.msg).toBe('changed');
    expect((await fleet.ssh('sim01', 'openssl req -in /usr/local/etc/ssl/pkg.csr -noout -text | grep -A1 "Subject Alternative Name" | tail -n 1')).stdout.trim()).toBe('DNS:pkg.example.org, DNS:pkg2.example.org');
  }, 120_000);
});
