import { describe, expect, it } from 'vitest';
import { changesLeft, stillNotAsWanted } from '../../src/module-api/changes-left.js';
import type { Plan } from '../../src/module-api/module.js';

const plan = (steps: Plan['steps'], failure?: string): Plan => ({ steps, ...(failure === undefined ? {} : { failure }) });

describe('what a plan still wants to change', () => {
  it('lists the change steps in order and leaves the no-ops out', () => {
    const steps: Plan['steps'] = [
      { kind: 'change', summary: 'chmod 0644 /etc/motd', actions: [] },
      { kind: 'noop', reason: 'owner is root' },
      { kind: 'change', summary: 'chown wheel /etc/motd', actions: [] },
    ];
    expect(changesLeft(plan(steps))).toEqual(['chmod 0644 /etc/motd', 'chown wheel /etc/motd']);
    expect(stillNotAsWanted('/etc/motd', plan(steps))).toBe('/etc/motd is still not as wanted: chmod 0644 /etc/motd; chown wheel /etc/motd');
  });

  it('is undefined when only no-ops are left, and the failure when the plan fails', () => {
    expect(stillNotAsWanted('/etc/motd', plan([{ kind: 'noop', reason: 'as wanted' }]))).toBeUndefined();
    expect(stillNotAsWanted('/etc/motd', plan([], '/etc/motd is a directory'))).toBe('/etc/motd is a directory');
  });
});
