// Reading a host for doctor, read-only, in at most two round trips: every host probe in one
// /bin/sh (split by markers, as facts are read: src/facts/read-facts.ts), then every jail probe of
// every examined jail that runs in a second one (one `jexec NAME /bin/sh -c …` per jail, each
// batch split again by its own markers).
import { sh } from '../command/command.js';
import type { Fact } from '../facts/fact.js';
import { batchFactCommand, readFactOutputs, splitFactOutputs } from '../facts/read-facts.js';
import type { RunOptions, Transport } from '../transport/transport.js';
import type { DoctorEvidence } from './check.js';
import { HOST_PROBES } from './host-probes.js';
import { JAIL_PROBES } from './jail-probes.js';
import { jailsOf, wantsBhyve } from './jails.js';
import { ProbeResults, fileProbeOutput, sectionedProbeOutput, type Probe, type ProbeOutput } from './probe.js';
import { SYSCTL_PROBE_ID, splitSysctl } from './sysctl-probe.js';
import { outputNonce } from '../facts/output-nonce.js';

const asFacts = (probes: readonly Probe[]): Fact<unknown>[] => probes.map((probe) => ({ key: probe.id, command: probe.command, parse: () => undefined }));

function results(where: string, probes: readonly Probe[], outputs: readonly { stdout: string; stderr: string; exitCode: number }[], prefix = ''): ProbeResults {
  const map = new Map<string, ProbeOutput>();
  probes.forEach((probe, index) => {
    const output = outputs[index];
    if (output === undefined) return;
    const decoded = probe.file === true ? fileProbeOutput(output) : probe.shown !== undefined ? sectionedProbeOutput(output, probe.shown) : output;
    map.set(probe.id, { command: `${prefix}${probe.command.display}`, ...decoded });
    // The one sysctl stands for one `sysctl NAME` per value the checks read.
    if (probe.id === SYSCTL_PROBE_ID) for (const [id, value] of splitSysctl(output)) map.set(id, { ...value, command: `${prefix}${value.command}` });
  });
  return new ProbeResults(where, map);
}

/** Everything doctor reads on one host; `jail` limits the jail part to that jail. */
export async function gatherEvidence(transport: Transport, jail: string | undefined, options: RunOptions = {}): Promise<DoctorEvidence> {
  const host = results('host', HOST_PROBES, await readFactOutputs(transport, asFacts(HOST_PROBES), options));
  const jails = jailsOf(host);
  const examined = jail !== undefined ? [jail] : [...jails.values()].filter(wantsBhyve).map((view) => view.name);
  const running = examined.filter((name) => jails.get(name)?.running !== undefined);
  const inside = new Map<string, ProbeResults>();
  if (running.length > 0) {
    // The inner batch makes its own nonce inside the jail; `word` is the controller's part of it.
    const word = outputNonce();
    const inner = batchFactCommand(asFacts(JAIL_PROBES), word);
    // LC_ALL=C inside the jail too, as the jail transport does (src/transport/jail.ts).
    const perJail = running.map((name) => ({ key: name, command: sh`jexec ${name} /bin/sh -c ${`LC_ALL=C; export LC_ALL; ${inner.text}`}`, parse: () => undefined }));
    const outputs = await readFactOutputs(transport, perJail, options);
    running.forEach((name, index) => {
      const output = outputs[index];
      if (output === undefined) return;
      try {
        inside.set(name, results(`jail ${name}`, JAIL_PROBES, splitFactOutputs(JAIL_PROBES.length, word, output.stdout, output.stderr), `jexec ${name} `));
      } catch {
        // The jail stopped between the two round trips (jexec found no jail): nothing inside to read.
      }
    });
  }
  return { host, jails, examined, inside };
}
