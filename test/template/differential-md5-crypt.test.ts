// password_hash('md5') — md5_crypt, $1$ (src/jinja/filters/sha-crypt.ts md5Crypt, the algorithm of
// FreeBSD's lib/libcrypt/crypt-md5.c) — against ansible-core 2.14 with passlib: given salts of
// several lengths, an empty and a long password, UTF-8, and passlib's refusals (a salt over 8
// characters or with other characters, rounds); an empty salt is a random one, for sha512 too.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const templates = [
  "{{ 'secret' | password_hash('md5', 'saltsalt') }}",
  "{{ 'secret' | password_hash('md5_crypt', 'abc') }}",
  "{{ '' | password_hash('md5', 'xy') }}",
  "{{ 'a much longer password than sixteen bytes, to cover the alt loop' | password_hash('md5', 'Zz./09') }}",
  "{{ 'pässwörd' | password_hash('md5', 'salt') }}",
  "{{ ('secret' | password_hash('md5', salt='')) is match('^\\$1\\$[./0-9A-Za-z]{8}\\$') }}",
  "{{ ('secret' | password_hash('sha512', salt='', rounds=5000)) is match('^\\$6\\$rounds=5000\\$[./0-9A-Za-z]{16}\\$') }}",
  "{{ 'secret' | password_hash('md5', 'toolongsalt') }}",
  "{{ 'secret' | password_hash('md5', 'a$b') }}",
  "{{ 'secret' | password_hash('md5', 'saltsalt', rounds=5000) }}",
  "{{ ('secret' | password_hash('md5')) is match('^\\\\$1\\\\$[./0-9A-Za-z]{8}\\\\$[./0-9A-Za-z]{22}$') }}",
];
const cases: Case[] = templates.map((template) => ({ template }));

describe('password_hash md5 hashes as passlib md5_crypt does', () => {
  itRendersAsAnsible(cases, { moreThan: 0.6 });
});
