// community.general.shutdown on FreeBSD: the plan (command, delay, search_paths) and the refusal on a
// local connection; the power-off itself is tested over SSH in more-builtin-over-ssh.test.ts.
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import shutdown, { planShutdown, shutdownCommand } from '../../modules/shutdown.js';
import { executeModule } from '../../src/runner/execute-module.js';
import { HostSession } from '../../src/runner/host-session.js';
import { LocalTransport } from '../../src/transport/local.js';

const params = (p: Record<string, unknown>) => shutdown.params.parse(p);

describe('shutdown plan', () => {
  it("runs the collection's FreeBSD command: -p +{delay}s and the message, quoted", () => {
    const plan = planShutdown(params({ delay: 100, msg: 'Custom Message' }), { found: '/sbin/shutdown' });
    expect(plan.values).toEqual({ shutdown: true, shutdown_command: "/sbin/shutdown -p +100s 'Custom Message'" });
    expect(plan.steps).toMatchObject([{ kind: 'change', summary: 'power off in 100 s' }]);
    // the collection's integration test: a negative delay is 0, and the default message
    const minus = planShutdown(params({ delay: -100 }), { found: '/sbin/shutdown' });
    expect(String(minus.values?.['shutdown_command'])).toBe("/sbin/shutdown -p +0s 'Shut down initiated by Ansible'");
  });

  it('keeps a hostile message one argument', () => {
    expect(shutdownCommand('/sbin/shutdown', params({ msg: "bye'; reboot; echo '" })).text).toBe("/sbin/shutdown -p +0s 'bye'\\''; reboot; echo '\\'''");
  });

  it('searches only search_paths (a string is a list of one) and fails as the collection without shutdown', () => {
    expect(params({ search_paths: '/lib/molly-guard' }).search_paths).toEqual(['/lib/molly-guard']);
    expect(params({}).search_paths).toEqual(['/sbin', '/usr/sbin', '/usr/local/sbin']);
    expect(planShutdown(params({ search_paths: ['/opt/bin'] }), { found: undefined })).toEqual({
      steps: [],
      failure: 'Could not find command "shutdown" in search paths: [\'/opt/bin\'], unable to shutdown.',
      values: { shutdown: false },
    });
    expect(() => params({ delay: 'soon' })).toThrow();
    expect(() => params({ reboot: true })).toThrow();
  });

  it('refuses to power off the controller on a local connection, but reports the command in --check', async () => {
    // A stand-in shutdown that only leaves a mark: this machine's own must never be found.
    const dir = await mkdtemp(join(tmpdir(), 'beastie-shutdown-'));
    try {
      await writeFile(join(dir, 'shutdown'), `#!/bin/sh\ntouch ${dir}/ran\n`, { mode: 0o755 });
      const session = new HostSession(new LocalTransport());
      const vars = { inventory_hostname: 'localhost', ansible_connection: 'local' };
      const input = { module: shutdown, session, vars };
      const missing = await executeModule({ ...input, params: params({ search_paths: [join(dir, 'none')] }), check: false });
      expect(missing).toMatchObject({ status: 'failed', values: { shutdown: false } });
      const check = await executeModule({ ...input, params: params({ search_paths: dir, delay: 60 }), check: true });
      expect(check).toMatchObject({ status: 'changed', values: { shutdown: true, shutdown_command: `${dir}/shutdown -p +60s 'Shut down initiated by Ansible'` } });
      const applied = await executeModule({ ...input, params: params({ search_paths: dir }), check: false });
      expect(applied).toMatchObject({ status: 'failed', msg: 'Running community.general.shutdown with local connection would shutdown the control node.', values: { shutdown: false, elapsed: 0 } });
      await expect(access(join(dir, 'ran'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
