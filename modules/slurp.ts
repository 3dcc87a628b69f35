// slurp: the bytes of a host file, base64-encoded, for use on the controller (Ansible's slurp).
// The bytes travel as od(1) hex (file-content fact) and are encoded on the controller, so the host
// needs no base64 tool. Reading changes nothing: never changed.
import { z } from 'zod';
import { fileContentFact, type FileContent } from '../src/facts/file-content.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const params = withAliases({ src: z.string().min(1).describe('The file on the host.') }, { src: ['path'] });

type Params = z.output<typeof params>;

/** content (base64), encoding and source, or Ansible's failure messages. */
export function planSlurp(p: Params, content: FileContent): Plan {
  if (content.kind === 'absent') return { steps: [], failure: `file not found: ${p.src}` };
  if (content.kind === 'not-a-file') return { steps: [], failure: `source is a directory and must be a file: ${p.src}` };
  return {
    steps: [{ kind: 'noop', reason: `read ${content.content.length} bytes of ${p.src}` }],
    values: { content: content.content.toString('base64'), encoding: 'base64', source: p.src },
  };
}

export default defineModule({
  name: 'slurp',
  summary: 'Read a host file into a base64 string',
  description:
    "Ansible's slurp: registers `content` (base64 — decode it with `b64decode`), `encoding: base64` and " +
    '`source`. Fails with `file not found: PATH` for a missing file. Never changed. Difference from ' +
    'Ansible: any path that is not a regular file (a device, a FIFO) is refused like a directory.',
  params,
  example: `- name: Read the host's hostid
  slurp:
    src: /etc/hostid
  register: hostid`,
  needs: (p) => [fileContentFact(p.src)],
  async observe(host, p) {
    const [content] = await host.facts(fileContentFact(p.src));
    return content;
  },
  plan({ params: p, facts }) {
    return planSlurp(p, facts);
  },
});
