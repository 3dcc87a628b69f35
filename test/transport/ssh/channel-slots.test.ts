import { describe, expect, it } from 'vitest';
import { ChannelSlots } from '../../../src/transport/ssh/channel-slots.js';

describe('ChannelSlots', () => {
  it('never lets more than the limit in, and serves waiters in order', async () => {
    const slots = new ChannelSlots(2);
    const a = await slots.acquire();
    const b = await slots.acquire();
    const order: string[] = [];
    const c = slots.acquire().then((release) => (order.push('c'), release));
    const d = slots.acquire().then((release) => (order.push('d'), release));
    // Nothing is waited for here: what could run has run once the pending callbacks have.
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    expect(slots.used).toBe(2);
    a();
    a(); // a second release of the same slot is ignored
    const releaseC = await c;
    expect(order).toEqual(['c']);
    b();
    (await d)();
    releaseC();
    expect(slots.used).toBe(0);
  });

  it('fails waiters and later acquires once the connection is gone', async () => {
    const slots = new ChannelSlots(1);
    await slots.acquire();
    const waiting = slots.acquire();
    slots.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await expect(slots.acquire()).rejects.toThrow('gone');
  });
});
