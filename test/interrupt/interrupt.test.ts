import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunInterrupt } from '../../src/interrupt/interrupt.js';

function setup(graceMs = 5000) {
  const source = new EventEmitter();
  const calls: string[] = [];
  const interrupt = new RunInterrupt(source, graceMs, {
    stopping: (ms) => calls.push(`stopping ${ms}`),
    graceExpired: () => calls.push('grace expired'),
    abortNow: () => calls.push('abort now'),
  });
  return { source, calls, interrupt };
}

describe('RunInterrupt', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('first Ctrl-C aborts the signal and starts the grace period; expiry cuts the commands', () => {
    vi.useFakeTimers();
    const { source, calls, interrupt } = setup(3000);
    expect(interrupt.signal.aborted).toBe(false);
    source.emit('SIGINT');
    expect(interrupt.signal.aborted).toBe(true);
    expect(interrupt.interrupted).toBe(true);
    expect(calls).toEqual(['stopping 3000']);
    vi.advanceTimersByTime(2999);
    expect(calls).toEqual(['stopping 3000']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['stopping 3000', 'grace expired']);
    interrupt.dispose();
  });

  it('a second Ctrl-C aborts at once', () => {
    vi.useFakeTimers();
    const { source, calls, interrupt } = setup();
    source.emit('SIGINT');
    source.emit('SIGINT');
    expect(calls).toEqual(['stopping 5000', 'abort now']);
    interrupt.dispose();
  });

  it('a run that ends within the grace period cancels the timer and stops listening', () => {
    vi.useFakeTimers();
    const { source, calls, interrupt } = setup(1000);
    source.emit('SIGINT');
    interrupt.dispose();
    vi.advanceTimersByTime(5000);
    expect(calls).toEqual(['stopping 1000']);
    expect(source.listenerCount('SIGINT')).toBe(0);
  });
});
