// Small modules for loader tests, so the tests do not depend on the real registry being filled.
import { moduleRegistry } from '../../src/module-api/registry.js';
import { z } from 'zod';
import { defineModule, type ModuleDefinition } from '../../src/module-api/module.js';

const noop = { observe: async () => undefined, plan: () => ({ steps: [] }) };

const commandParams = z.strictObject({
  cmd: z.string(),
  chdir: z.string().optional(),
  creates: z.string().optional(),
  removes: z.string().optional(),
});

export const testModules: readonly ModuleDefinition[] = [
  defineModule({ name: 'command', summary: 'run a command', params: commandParams, example: 'command: ls', ...noop }),
  defineModule({ name: 'shell', summary: 'run a shell command', params: commandParams, example: 'shell: ls | wc -l', ...noop }),
  defineModule({ name: 'debug', summary: 'print', params: z.strictObject({ msg: z.string().optional(), var: z.string().optional() }), example: 'debug: msg=hi', ...noop }),
  defineModule({ name: 'ping', summary: 'ping', params: z.strictObject({}), example: 'ping:', ...noop }),
  defineModule({
    name: 'file',
    summary: 'files',
    params: z.strictObject({ path: z.string(), state: z.enum(['file', 'directory', 'absent', 'touch']).default('file'), mode: z.string().optional() }),
    example: 'file: path=/tmp/x state=touch',
    ...noop,
  }),
  defineModule({
    name: 'vm_guest',
    summary: 'a bhyve guest',
    params: z.strictObject({
      name: z.string(),
      state: z.enum(['present', 'running', 'stopped', 'absent']).default('present'),
      cpu: z.number().int().min(1).optional(),
      memory: z.string().optional(),
      autostart: z.boolean().optional(),
      disks: z.array(z.strictObject({ size: z.string(), type: z.enum(['virtio-blk', 'ahci-hd']).optional() })).optional(),
      mode: z.union([z.string(), z.number()]).optional(),
    }),
    example: 'vm_guest: {name: web01}',
    ...noop,
  }),
];

/** Loader options that use the test modules. */
export const testModuleOptions = { modules: moduleRegistry(testModules) };
