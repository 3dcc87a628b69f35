// package_facts: the installed packages as ansible_facts.packages, from `pkg query -a` — Ansible's
// package_facts with its pkg manager. Never changed.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { defineFact, type Fact } from '../src/facts/fact.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const params = z.strictObject({
  manager: z.union([z.enum(['auto', 'pkg']), z.array(z.enum(['auto', 'pkg']))]).default('auto').describe('The package manager: pkg on FreeBSD.'),
  strategy: z.enum(['first', 'all']).default('first').describe('Accepted for Ansible playbooks: there is one manager.'),
});

/** One installed package, with Ansible's pkg atoms. */
export interface PackageFact {
  readonly name: string;
  readonly version: string;
  readonly origin: string;
  readonly arch: string;
  readonly automatic: boolean;
  readonly installed: number;
  readonly prefix: string;
  readonly source: 'pkg';
}

/** `pkg query -a '%n\t%v\t%o\t%q\t%a\t%t\t%p'` → name → [package]. */
export function parsePackages(stdout: string): Record<string, PackageFact[]> {
  const packages: Record<string, PackageFact[]> = {};
  for (const line of stdout.split('\n')) {
    const [name, version = '', origin = '', arch = '', automatic = '0', installed = '0', prefix = ''] = line.split('\t');
    if (name === undefined || name === '') continue;
    (packages[name] ??= []).push({ name, version, origin, arch, automatic: automatic === '1', installed: Number(installed), prefix, source: 'pkg' });
  }
  return packages;
}

/** Every installed package. */
export function packagesFact(): Fact<Record<string, PackageFact[]>> {
  return defineFact('packages', sh`pkg query -a '%n\\t%v\\t%o\\t%q\\t%a\\t%t\\t%p'`, (o) => parsePackages(o.exitCode === 0 ? o.stdout : ''));
}

export default defineModule({
  name: 'package_facts',
  summary: 'The installed packages as ansible_facts.packages (pkg query)',
  description:
    "Ansible's package_facts with the pkg manager: `pkg query -a` gives name, version, origin, arch, automatic, " +
    'installed (time) and prefix of every package, under ansible_facts.packages[NAME] as a list. Never changed. ' +
    'Without pkg (not bootstrapped) the list is empty.',
  params,
  example: `- package_facts:

- debug:
    msg: "vm-bhyve {{ ansible_facts.packages['vm-bhyve'][0].version }}"
  when: "'vm-bhyve' in ansible_facts.packages"`,
  needs: () => [packagesFact()],
  async observe(host) {
    const [packages] = await host.facts(packagesFact());
    return packages;
  },
  plan({ facts }): Plan {
    const result = { packages: facts };
    return { steps: [{ kind: 'noop', reason: `${Object.keys(facts).length} packages` }], values: { ansible_facts: result }, setFacts: result };
  },
});
