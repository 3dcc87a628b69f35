// A relative path that starts with `-` reaches head, openssl, cat and rm as an operand (./-NAME),
// never as an option: the openssl modules' facts and their `state: absent` (src/command/path-operand.ts).
import { describe, expect, it } from 'vitest';
import openssl_csr, { csrFileFact, planCsr } from '../../modules/openssl_csr.js';
import openssl_dhparam, { dhFileFact, planDhparam } from '../../modules/openssl_dhparam.js';
import { keyFileFact } from '../../modules/openssl_privatekey.js';

const asOption = /(^|[\s($])-k\.pem/m;

describe('openssl modules: a path starting with - is an operand', () => {
  it('in what the facts read', () => {
    for (const fact of [keyFileFact('-k.pem', true), dhFileFact('-k.pem', true), csrFileFact('-k.pem', '/etc/ssl/key.pem', true)]) {
      expect(fact.command.text).toContain('./-k.pem');
      expect(fact.command.text).not.toMatch(asOption);
    }
  });

  it('in the rm of state: absent', () => {
    const dh = planDhparam(openssl_dhparam.params.parse({ path: '-k.pem', state: 'absent' }), { baseDir: true, exists: true, valid: false, bits: undefined, pem: undefined } as never, undefined);
    const csr = planCsr(openssl_csr.params.parse({ path: '-k.pem', state: 'absent', privatekey_path: '/etc/ssl/key.pem' }), { baseDir: true, exists: true } as never, undefined);
    for (const plan of [dh, csr]) {
      const commands = plan.steps.flatMap((step) => (step.kind === 'change' ? step.actions : [])).map((action) => ('command' in action ? action.command.text : ''));
      expect(commands).toContain('rm -f ./-k.pem');
    }
  });
});
