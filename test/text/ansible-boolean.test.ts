import { describe, expect, it } from 'vitest';
import { ansibleBoolean } from '../../src/text/ansible-boolean.js';

describe('ansibleBoolean', () => {
  it("reads convert_bool's words, any case, blanks ignored", () => {
    for (const word of ['yes', 'ON', ' y', 'True', 't', '1']) expect(ansibleBoolean(word)).toBe(true);
    for (const word of ['no', 'OFF', 'n ', 'False', 'f', '0']) expect(ansibleBoolean(word)).toBe(false);
  });

  it('is undefined for anything else, so callers can say what they expected', () => {
    for (const word of ['', 'yess', '2', '1.0', 'enabled']) expect(ansibleBoolean(word)).toBeUndefined();
  });
});
