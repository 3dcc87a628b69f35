// `beastie doctor` over a set of hosts: each host read (two round trips at most), every check
// evaluated on what was read, the hosts in parallel up to --forks. Nothing is written on any host.
import PQueue from 'p-queue';
import { UnreachableError } from '../errors.js';
import type { BecomeSpec, ConnectionSettings, TransportFactory } from '../transport/transport.js';
import type { Check } from './check.js';
import type { Finding } from './finding.js';
import { withoutSecrets } from './evidence-secrets.js';
import { gatherEvidence } from './gather.js';

/** What doctor found on one host. */
export type HostDiagnosis =
  | { readonly host: string; readonly status: 'examined'; readonly findings: readonly Finding[]; readonly jails: readonly string[] }
  | { readonly host: string; readonly status: 'unreachable'; readonly message: string };

/** One host to examine: how to reach it and how to become root there. */
export interface DoctorTarget {
  readonly host: string;
  readonly connection: ConnectionSettings;
  readonly become: BecomeSpec | undefined;
}

/** The findings of every check, in check order; a jail the user named but the host lacks is a finding too. */
export function diagnose(checks: readonly Check[], evidence: Awaited<ReturnType<typeof gatherEvidence>>): Finding[] {
  const findings: Finding[] = [];
  for (const name of evidence.examined) {
    if (!evidence.jails.has(name)) {
      findings.push({
        id: 'jail-missing',
        severity: 'error',
        jail: name,
        what: `no jail ${name} on this host: neither Bastille's jail.conf nor jls knows it`,
        evidence: [evidence.host.evidence('jls'), evidence.host.evidence('jail.conf')],
        fix: { task: `- name: the VNET jail ${name} may run bhyve\n  bastille_jail:\n    name: ${name}\n    vnet: true\n    params:\n      allow.vmm: true`, step: 'walk-through "Create a new jail"' },
      });
    }
  }
  for (const check of checks) findings.push(...check.evaluate(evidence));
  return findings.map((finding) => ({ ...finding, evidence: finding.evidence.map((shown) => ({ ...shown, output: withoutSecrets(shown.output) })) }));
}

/** Examine every target; never throws for a host's failure. */
export async function runDoctor(targets: readonly DoctorTarget[], options: { readonly checks: readonly Check[]; readonly transports: TransportFactory; readonly jail: string | undefined; readonly forks: number }): Promise<HostDiagnosis[]> {
  const queue = new PQueue({ concurrency: Math.max(1, options.forks) });
  try {
    return await Promise.all(
      targets.map((target) =>
        queue.add(async (): Promise<HostDiagnosis> => {
          const transport = options.transports.open(target.connection);
          try {
            const evidence = await gatherEvidence(transport, options.jail, target.become === undefined ? {} : { become: target.become });
            return { host: target.host, status: 'examined', findings: diagnose(options.checks, evidence), jails: evidence.examined };
          } catch (error) {
            if (error instanceof UnreachableError) return { host: target.host, status: 'unreachable', message: error.message };
            throw error;
          } finally {
            await transport.close();
          }
        }),
      ),
    );
  } finally {
    await options.transports.closeAll();
  }
}
