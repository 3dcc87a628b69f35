import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/command/command.js';
import { UnreachableError } from '../../src/errors.js';
import type { Fact } from '../../src/facts/fact.js';
import type { ApplyContext } from '../../src/module-api/module.js';
import { rebootHost } from '../../src/module-api/reboot-host.js';
import type { CommandResult } from '../../src/transport/transport.js';

/** A host whose boottime changes `bootsAfter` reconnections after the reboot was sent. */
function fakeHost(bootsAfter: number | 'never') {
  let rebootSent = false;
  let reconnections = 0;
  const commands: string[] = [];
  const result = (stdout: string): CommandResult => ({ command: '', exitCode: 0, stdout, stderr: '', durationMs: 1 });
  const boottime = () => {
    const rebooted = rebootSent && bootsAfter !== 'never' && reconnections >= bootsAfter;
    return `{ sec = ${rebooted ? 2000 : 1000}, usec = 500000 } Tue May 14 15:03:20 2024\n`;
  };
  const context = {
    host: 'h',
    vars: {},
    put: async () => undefined,
    // kern.boottime is read as the shared fact, through the host's fact cache.
    facts: async (...facts: readonly Fact<unknown>[]) => facts.map((fact) => fact.parse({ stdout: boottime(), stderr: '', exitCode: 0 })) as never,
    invalidateFacts: () => undefined,
    progress: () => undefined,
    run: async (command: Command) => {
      commands.push(command.text);
      if (command.text.includes('shutdown -r now')) rebootSent = true;
      return result('');
    },
    waitForConnection: async () => {
      reconnections++;
    },
  } satisfies Partial<ApplyContext>;
  return { context: context as unknown as ApplyContext, commands };
}

describe('rebootHost', () => {
  it('sends the reboot detached and succeeds once the boottime changed', async () => {
    const host = fakeHost(2);
    const outcome = await rebootHost(host.context, { rebootTimeoutMs: 20_000, postRebootDelayMs: 0 });
    expect(outcome).toMatchObject({ before: 1000.5, after: 2000.5 });
    expect(host.commands[0]).toBe("nohup /bin/sh -c 'sleep 1; shutdown -r now' >/dev/null 2>&1 </dev/null &");
  });

  it('reports a host that never comes back with a new boottime as unreachable', async () => {
    const host = fakeHost('never');
    await expect(rebootHost(host.context, { rebootTimeoutMs: 1500, postRebootDelayMs: 0 })).rejects.toThrow(UnreachableError);
  });
});
