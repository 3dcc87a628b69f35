import { describe, expect, it } from 'vitest';
import { connectionAliveFact, parseConnectionAlive } from '../../src/facts/connection-alive.js';
import { readFacts } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';

describe('connectionAliveFact', () => {
  it('is true when the host ran true, and each nonce is its own cache key', async () => {
    const [alive] = await readFacts(new LocalTransport(), [connectionAliveFact('a')]);
    expect(alive).toBe(true);
    expect(connectionAliveFact('a').key).not.toBe(connectionAliveFact('b').key);
    expect(parseConnectionAlive({ stdout: '', stderr: '', exitCode: 127 })).toBe(false);
  });
});
