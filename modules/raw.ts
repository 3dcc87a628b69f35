// raw: a command line sent as it is to /bin/sh on the host (Ansible's raw). In Ansible it is the
// module that needs no Python; beastie's modules need none anyway, so raw is shell without
// creates/removes/chdir: run every time, changed every time.
import { z } from 'zod';
import { defineModule } from '../src/module-api/module.js';
import { planShell } from './shell.js';

const params = z.strictObject({
  cmd: z.string().min(1).describe('The command line, given free-form: `raw: pkg install -y python3`.'),
  executable: z.string().optional().describe('Another shell to run the line with (`/usr/local/bin/bash`); its -c takes the line.'),
});

export default defineModule({
  name: 'raw',
  summary: 'Run a command line on the host as it is, through /bin/sh',
  description:
    "Ansible's raw: the line runs through /bin/sh -c (or `executable -c`), always, and the task is changed. " +
    'Registers rc, stdout, stderr and their _lines. A non-zero exit fails the task. In --check nothing ' +
    'runs and the task reports changed (Ansible skips raw in check mode).',
  params,
  example: `- name: Bootstrap pkg on a fresh host
  raw: env ASSUME_ALWAYS_YES=yes pkg bootstrap`,
  needs: () => [],
  async observe() {
    return {};
  },
  plan({ params: p }) {
    return planShell({ ...p, stdin_add_newline: true, strip_empty_ends: true }, {});
  },
});
