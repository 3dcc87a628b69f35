// package: Ansible's generic package manager module; on FreeBSD it is pkg, so this is the pkg
// module under Ansible's name, taking Ansible's state aliases (installed, removed).
import { z } from 'zod';
import { defineModule } from '../src/module/module.js';
import pkg from './pkg.js';

const params = z
  .strictObject({
    name: z.union([z.string(), z.array(z.string())]).describe('Package names (a list, or one string separated by commas).'),
    state: z.enum(['present', 'installed', 'latest', 'absent', 'removed']).default('present').describe('present/installed, latest, absent/removed.'),
    use: z.enum(['auto', 'pkgng', 'pkg']).default('auto').describe('The package manager: on FreeBSD always pkg(8).'),
  })
  .transform(({ name, state }) => pkg.params.parse({ name, state: state === 'installed' ? 'present' : state === 'removed' ? 'absent' : state }));

export default defineModule({
  name: 'package',
  summary: 'Install or remove packages with the host\'s package manager (pkg on FreeBSD)',
  description: `Ansible's package module: on FreeBSD hosts it runs the pkg module. ${pkg.description ?? ''}`,
  params,
  example: `- name: Common tools
  package:
    name: [tmux, rsync]
    state: present`,
  needs: (p, context) => pkg.needs?.(p, context),
  observe: (host, p) => pkg.observe(host, p),
  plan: (input) => pkg.plan(input),
  ...(pkg.verify === undefined ? {} : { verify: pkg.verify }),
});
