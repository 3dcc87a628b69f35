// sysctl: a kernel variable's value in /etc/sysctl.conf (ansible.posix.sysctl) and, when asked, in
// the running kernel with sysctl(8). /boot/loader.conf as sysctl_file holds loader tunables instead:
// written as loader.conf(5) `name="value"` lines and read by the loader at the next boot.
import { posix } from 'node:path';
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { defineFact, type Fact } from '../src/facts/fact.js';
import { fileContentFact, type FileContent } from '../src/facts/file-content.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Action, type Plan, type Step } from '../src/module-api/module.js';
import { isText, sha256 } from './support/diff-text.js';
import { planFileWrite } from './support/file-write.js';
import { splitLinesKeepEnds } from './support/lines.js';

const oid = z.string().regex(/^[A-Za-z0-9_.%-]+$/, 'a sysctl name such as net.inet.ip.forwarding');

/** A value as sysctl.conf holds it: booleans as 1/0, numbers as written. */
const sysctlValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v).trim()));

const params = withAliases(
  {
    name: oid.describe('The variable: kern.ipc.somaxconn, net.link.tap.up_on_open…'),
    value: sysctlValue.optional().describe('The value (state present).'),
    state: z.enum(['present', 'absent']).default('present'),
    sysctl_file: z.string().min(1).default('/etc/sysctl.conf').describe('The file: /etc/sysctl.conf, /etc/sysctl.conf.local, or /boot/loader.conf for loader tunables.'),
    reload: z.boolean().default(true).describe('When the file changed, apply the value to the running kernel (sysctl NAME=VALUE). Not for loader.conf.'),
    sysctl_set: z.boolean().default(false).describe('Compare with the running value (sysctl -n) and set it when it differs, even if the file is right.'),
    ignoreerrors: z.boolean().default(false).describe('An unknown variable is not an error.'),
  },
  { name: ['key'], value: ['val'] },
)
  .superRefine((p, context) => {
    if (p.state === 'present' && p.value === undefined) context.addIssue({ code: 'custom', path: ['value'], message: 'value cannot be None' });
    // A value never becomes syntax of the file it is written to (STYLE.md principle 16).
    if (p.value !== undefined && /[\n#"]/.test(p.value)) context.addIssue({ code: 'custom', path: ['value'], message: 'a value with a newline, # or " would not be read back as written' });
    if (isLoaderConf(p.sysctl_file) && p.sysctl_set) context.addIssue({ code: 'custom', path: ['sysctl_set'], message: 'loader tunables in /boot/loader.conf are read at boot; sysctl_set cannot apply them' });
  });

type Params = z.output<typeof params>;

/** /boot/loader.conf and its .local: loader(8) syntax, read at boot. */
export function isLoaderConf(path: string): boolean {
  return /^loader\.conf(\.local)?$/.test(posix.basename(path));
}

/** The running value: `sysctl -n NAME`, or undefined for an unknown OID. */
export function sysctlValueFact(name: string): Fact<{ readonly value: string | undefined; readonly error: string }> {
  return defineFact(`sysctl:${name}`, sh`sysctl -n ${name}`, (o) => ({ value: o.exitCode === 0 ? o.stdout.replace(/\n$/, '') : undefined, error: o.stderr.trim() }));
}

/** ansible.posix's _values_is_equal: whitespace-separated words compared one by one. */
export function sameValue(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
}

/** The value of NAME in the file (the last assignment), loader.conf quotes removed. */
export function fileValue(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const line of splitLinesKeepEnds(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';') || !trimmed.includes('=')) continue;
    const at = trimmed.indexOf('=');
    if (trimmed.slice(0, at).trim() === name) found = trimmed.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return found;
}

/** ansible.posix's fix_lines: NAME's first line replaced (or removed), its later ones dropped, appended when missing. */
export function fixLines(text: string, p: Params): string {
  const out: string[] = [];
  const quote = isLoaderConf(p.sysctl_file);
  const assignment = `${p.name}=${quote ? `"${p.value ?? ''}"` : (p.value ?? '')}\n`;
  let seen = false;
  for (const line of splitLinesKeepEnds(text)) {
    const trimmed = line.trim();
    const at = trimmed.indexOf('=');
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';') || at < 0 || trimmed.slice(0, at).trim() !== p.name) {
      out.push(line.endsWith('\n') ? line : `${line}\n`);
      continue;
    }
    if (seen) continue;
    seen = true;
    if (p.state === 'present') out.push(assignment);
  }
  if (!seen && p.state === 'present') out.push(assignment);
  return out.join('');
}

/** What sysctl reads: the file and the running value. */
export interface SysctlFacts {
  readonly content: FileContent;
  readonly stat: FileStat | undefined;
  readonly running: { readonly value: string | undefined; readonly error: string };
}

/** The facts sysctl reads, from its params alone. */
function sysctlFacts(p: Params) {
  return [fileContentFact(p.sysctl_file), fileStatFact(p.sysctl_file), sysctlValueFact(p.name)] as const;
}

/** The file edit, then the running value. */
export function planSysctl(p: Params, facts: SysctlFacts): Plan {
  const loader = isLoaderConf(p.sysctl_file);
  if (!loader && facts.running.value === undefined && !p.ignoreerrors) {
    return { steps: [], failure: `Invalid sysctl: ${p.name}${facts.running.error ? ` (${facts.running.error})` : ''}` };
  }
  if (facts.content.kind === 'not-a-file') return { steps: [], failure: `${p.sysctl_file} is not a regular file` };
  const before = facts.content.kind === 'file' ? facts.content.content : Buffer.alloc(0);
  if (!isText(before)) return { steps: [], failure: `${p.sysctl_file} is not a UTF-8 text file` };
  const text = before.toString('utf8');
  const inFile = fileValue(text, p.name);
  const fileRight = p.state === 'present' ? inFile !== undefined && sameValue(inFile, p.value) : inFile === undefined;
  const steps: Step[] = [];
  if (!fileRight) {
    const current = { stat: facts.stat, sha256: facts.content.kind === 'file' ? sha256(before) : undefined, content: facts.content.kind === 'file' ? before : undefined };
    const summary = p.state === 'present' ? `${p.sysctl_file}: ${p.name}=${p.value ?? ''}` : `${p.sysctl_file}: remove ${p.name}`;
    steps.push(...planFileWrite(p.sysctl_file, current, Buffer.from(fixLines(text, p), 'utf8'), {}, summary));
  } else {
    steps.push({ kind: 'noop', reason: p.state === 'present' ? `${p.name} is ${p.value ?? ''} in ${p.sysctl_file}` : `${p.sysctl_file} does not set ${p.name}` });
  }
  if (p.state === 'present' && !loader && p.value !== undefined) {
    const runningDiffers = facts.running.value !== undefined && !sameValue(facts.running.value, p.value);
    const wanted = (p.sysctl_set && runningDiffers) || (!fileRight && p.reload && runningDiffers);
    if (wanted) {
      const action: Action = { kind: 'run', command: sh`sysctl ${`${p.name}=${p.value}`}` };
      steps.push({ kind: 'change', summary: `set ${p.name}=${p.value} in the running kernel`, actions: [action], diff: { header: `sysctl ${p.name}`, before: `${facts.running.value ?? ''}\n`, after: `${p.value}\n` } });
    } else if (p.sysctl_set) {
      steps.push({ kind: 'noop', reason: `the kernel has ${p.name}=${facts.running.value ?? ''}` });
    }
  }
  return { steps };
}

export default defineModule({
  name: 'sysctl',
  summary: 'A kernel variable in /etc/sysctl.conf and, optionally, in the running kernel',
  description:
    "ansible.posix.sysctl: NAME=VALUE is written to sysctl_file (its first NAME line replaced, later ones " +
    'dropped, appended when missing; written atomically only when the value differs); when the file changed ' +
    'and reload is on, or with sysctl_set whenever the running value (sysctl -n) differs, `sysctl NAME=VALUE` ' +
    'sets the kernel. Values are compared word by word, as ansible.posix does. With sysctl_file /boot/loader.conf ' +
    'the variable is a loader tunable: written `name="value"`, applied at the next boot. An unknown variable ' +
    'fails (`Invalid sysctl`) unless ignoreerrors. Difference from Ansible: reload sets this variable with ' +
    'sysctl(8) rather than running /etc/rc.d/sysctl reload for the whole file.',
  params,
  example: `- name: vm-bhyve's taps come up when opened
  sysctl:
    name: net.link.tap.up_on_open
    value: "1"

- name: A loader tunable
  sysctl:
    name: vm.pmap.pti
    value: "0"
    sysctl_file: /boot/loader.conf`,
  needs: (p) => sysctlFacts(p),
  async observe(host, p) {
    const [content, stat, running] = await host.facts(...sysctlFacts(p));
    return { content, stat, running };
  },
  plan({ params: p, facts }) {
    return planSysctl(p, facts);
  },
  verify({ params: p, facts }) {
    const step = planSysctl({ ...p, reload: false }, facts).steps.find((s) => s.kind === 'change');
    return step?.kind === 'change' ? `sysctl: still needs ${step.summary}${facts.running.error ? `: ${facts.running.error}` : ''}` : undefined;
  },
});
