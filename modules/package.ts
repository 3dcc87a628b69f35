// package: Ansible's generic package manager module; on FreeBSD it is pkg, so this is the pkg
// module under Ansible's name, taking Ansible's state aliases (installed, removed).
import { z } from 'zod';
import { defineModule } from '../src/module-api/module.js';
import pkg from './pkg.js';

const params = z.strictObject({
  name: z.union([z.string(), z.array(z.string())]).describe('Package names (a list, or one string separated by commas).'),
  state: z.enum(['present', 'installed', 'latest', 'absent', 'removed']).default('present').describe('present/installed, latest, absent/removed.'),
  use: z.enum(['auto', 'pkgng', 'pkg']).default('auto').describe('The package manager: on FreeBSD always pkg(8).'),
});

type Params = z.output<typeof params>;

/**
 * pkg's parameters for the rendered ones. Done when the task runs, not in the schema, so a templated
 * name (`{{ item }}`) is checked by pkg's own rules once it has its value.
 */
export function pkgParams(p: Params) {
  return pkg.params.parse({ name: p.name, state: p.state === 'installed' ? 'present' : p.state === 'removed' ? 'absent' : p.state });
}

export default defineModule({
  name: 'package',
  summary: 'Install or remove packages with the host\'s package manager (pkg on FreeBSD)',
  description: `Ansible's package module: on FreeBSD hosts it runs the pkg module. ${pkg.description ?? ''}`,
  params,
  example: `- name: Common tools
  package:
    name: [tmux, rsync]
    state: present`,
  needs: (p, context) => pkg.needs?.(pkgParams(p), context),
  observe: (host, p) => pkg.observe(host, pkgParams(p)),
  plan: (input) => pkg.plan({ ...input, params: pkgParams(input.params) }),
  ...(pkg.verify === undefined ? {} : { verify: (input: { params: Params; facts: Parameters<NonNullable<typeof pkg.verify>>[0]['facts']; results: Parameters<NonNullable<typeof pkg.verify>>[0]['results'] }) => pkg.verify?.({ ...input, params: pkgParams(input.params) }) }),
});
