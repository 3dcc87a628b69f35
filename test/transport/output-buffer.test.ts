import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../src/transport/output-buffer.js';

describe('OutputBuffer', () => {
  it('keeps everything under the limit, unmarked', () => {
    const buffer = new OutputBuffer(10);
    buffer.push(Buffer.from('hello '));
    buffer.push(Buffer.from('you'));
    expect(buffer.text()).toBe('hello you');
    expect(buffer.dropped).toBe(0);
  });

  it('keeps the first bytes up to the limit, counts the rest and says so', () => {
    const buffer = new OutputBuffer(8);
    buffer.push(Buffer.from('12345'));
    buffer.push(Buffer.from('67890'));
    buffer.push(Buffer.from('abc'));
    expect(buffer.bytes().toString()).toBe('12345678');
    expect(buffer.dropped).toBe(5);
    expect(buffer.text()).toBe('12345678\n[beastie: output truncated: only the first 8 bytes are kept in memory, 5 more were dropped; the run log (--log-file) has all of it]');
  });
});
