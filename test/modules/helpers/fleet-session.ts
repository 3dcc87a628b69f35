// Module runs over the real SSH transport against hosts of the simulated fleet, with the
// three-way check: apply on one host (changed), --check on a fresh host (reports changed,
// changes no file), apply again on the first (not changed).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { fleetPaths } from '../../../sim/infra/fleet-layout.js';
import type { ModuleDefinition } from '../../../src/module-api/module.js';
import { executeModule, type ModuleOutcome } from '../../../src/runner/execute-module.js';
import { HostSession } from '../../../src/runner/host-session.js';
import { JailTransport } from '../../../src/transport/jail.js';
import { createSshTransportFactory } from '../../../src/transport/ssh/ssh-transport-factory.js';
import type { Transport, TransportFactory } from '../../../src/transport/transport.js';
import { startFleet, type FleetOptions, type TestFleet } from '../../helpers/fleet.js';
import { hostDigest as digestHost } from '../../helpers/host-digest.js';

/** SSH transports to every host of a test fleet, sharing one factory. */
export class FleetSessions {
  private readonly transports = new Map<string, Transport>();

  private constructor(
    private readonly fleet: TestFleet,
    private readonly factory: TransportFactory,
    private readonly home: string,
  ) {}

  static async open(fleet: TestFleet): Promise<FleetSessions> {
    // An empty home: no ~/.ssh/config or known_hosts of the machine leaks into the test.
    const home = await mkdtemp(join(tmpdir(), 'beastie-ssh-home-'));
    return new FleetSessions(fleet, createSshTransportFactory({ acceptNewHostKeys: false, allowPassword: false, connectTimeoutMs: 10_000, home, agentSocket: null }), home);
  }

  /** The host's transport (one connection per host for the whole file). */
  transport(name: string): Transport {
    let transport = this.transports.get(name);
    if (transport === undefined) {
      const host = this.fleet.hosts.find((h) => h.name === name);
      if (host === undefined) throw new Error(`no host ${name} in the fleet`);
      const paths = fleetPaths(this.fleet.dir);
      transport = this.factory.open({
        host: name,
        connection: 'ssh',
        address: host.address,
        port: host.port,
        user: 'root',
        privateKeyFile: paths.clientKey,
        sshArgs: `-o UserKnownHostsFile=${paths.knownHosts} -o StrictHostKeyChecking=yes`,
      });
      this.transports.set(name, transport);
    }
    return transport;
  }

  /** A fresh session (empty fact cache) on a host, or inside one of its jails. */
  session(name: string, jail?: string): HostSession {
    const transport = this.transport(name);
    return new HostSession(jail === undefined ? transport : new JailTransport(transport, jail));
  }

  /** Run a module once on a host. */
  run(module: ModuleDefinition, host: string, params: unknown, options: { check?: boolean; jail?: string; vars?: Record<string, unknown> } = {}): Promise<ModuleOutcome> {
    const parsed = module.params.parse(params);
    // As the runner does: a module's own `jail` parameter (sysrc, pkgng) picks the jail.
    const jail = module.jail?.(parsed) ?? options.jail;
    return executeModule({ module, params: parsed, session: this.session(host, jail), vars: options.vars ?? { inventory_hostname: host }, check: options.check ?? false });
  }

  async close(): Promise<void> {
    await this.factory.closeAll();
    await rm(this.home, { recursive: true, force: true });
  }
}

/** What a module could have changed on a host, kernel state and directories included, to prove --check wrote nothing. */
/** A test file's fleet and its SSH sessions, as {@link fleetOfFile} hands them out once beforeAll has run. */
export interface FileFleet {
  readonly fleet: TestFleet;
  readonly sessions: FleetSessions;
}

/**
 * For one test file: a fleet of `options` started in beforeAll (then `prepare` run on it), with
 * SSH sessions to its hosts, both closed in afterAll. Read the fleet and the sessions in tests.
 */
export function fleetOfFile(options: FleetOptions, prepare?: (fleet: TestFleet) => Promise<void>): FileFleet {
  let fleet: TestFleet | undefined;
  let sessions: FleetSessions | undefined;
  beforeAll(async () => {
    fleet = await startFleet(options);
    sessions = await FleetSessions.open(fleet);
    await prepare?.(fleet);
  }, 180_000);
  afterAll(async () => {
    await sessions?.close();
    await fleet?.down();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the file fleet is not up: read it inside a test, after beforeAll');
    return value;
  };
  return {
    get fleet() {
      return started(fleet);
    },
    get sessions() {
      return started(sessions);
    },
  };
}

export const hostDigest = (fleet: TestFleet, host: string): string => digestHost(fleet, host, { withKernel: true, directories: true });

/** The three-way check over SSH: `applied` gets apply twice, `fresh` only --check. */
export async function threeWayOverSsh(
  sessions: FleetSessions,
  fleet: TestFleet,
  module: ModuleDefinition,
  params: unknown,
  hosts: { readonly applied: string; readonly fresh: string; readonly jail?: string; readonly vars?: Record<string, unknown> },
): Promise<{ first: ModuleOutcome; check: ModuleOutcome; second: ModuleOutcome }> {
  const options = { ...(hosts.jail === undefined ? {} : { jail: hosts.jail }), ...(hosts.vars === undefined ? {} : { vars: hosts.vars }) };
  const first = await sessions.run(module, hosts.applied, params, options);
  expect(first.status, `apply: ${first.msg}`).toBe('changed');
  const before = hostDigest(fleet, hosts.fresh);
  const check = await sessions.run(module, hosts.fresh, params, { ...options, check: true });
  expect(check.status, `--check: ${check.msg}`).toBe('changed');
  expect(check.results).toHaveLength(0);
  expect(hostDigest(fleet, hosts.fresh)).toBe(before);
  const second = await sessions.run(module, hosts.applied, params, options);
  expect(second.status, `apply again: ${second.msg}`).toBe('ok');
  return { first, check, second };
}
