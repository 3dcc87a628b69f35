// shutdown: community.general.shutdown on FreeBSD — find shutdown(8) in search_paths, then
// `shutdown -p +DELAYs MSG` (the collection's action plugin: plugins/action/shutdown.py, its
// "freebsd" arguments). The host powers off; nothing waits for it, since it does not come back.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { UnreachableError } from '../src/errors.js';
import { fileStatFact } from '../src/facts/file-stat.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { pyRepr } from '../src/jinja/values.js';

/** search_paths' default, the action plugin's. */
export const DEFAULT_SEARCH_PATHS: readonly string[] = ['/sbin', '/usr/sbin', '/usr/local/sbin'];

const params = z.strictObject({
  delay: z
    .number()
    .int()
    .default(0)
    .transform((seconds) => Math.max(seconds, 0))
    .describe('Seconds before the power-off (shutdown -p +Ns); a negative delay is 0, as the collection does.'),
  msg: z.string().default('Shut down initiated by Ansible').describe('The message shutdown(8) shows logged-in users.'),
  search_paths: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .default([...DEFAULT_SEARCH_PATHS])
    .transform((paths) => (typeof paths === 'string' ? [paths] : paths))
    .describe('The only directories searched for shutdown (PATH is not used); a single string is a list of one.'),
});

type Params = z.output<typeof params>;

/** Which candidate paths exist, in search order. */
export interface ShutdownFacts {
  readonly found: string | undefined;
}

const candidates = (p: Params) => p.search_paths.map((dir) => `${dir.replace(/\/+$/, '')}/shutdown`);

/** The command run: the collection's FreeBSD arguments `-p +{delay_sec}s "{message}"`, with the message quoted for sh. */
export function shutdownCommand(path: string, p: Params): Command {
  return sh`${path} -p ${`+${p.delay}s`} ${p.msg}`;
}

/** Always a change (a shutdown is never done already); without a shutdown binary, the collection's failure. */
export function planShutdown(p: Params, facts: ShutdownFacts): Plan {
  if (facts.found === undefined) {
    return {
      steps: [],
      failure: `Could not find command "shutdown" in search paths: ${pyRepr(p.search_paths)}, unable to shutdown.`,
      values: { shutdown: false },
    };
  }
  const command = shutdownCommand(facts.found, p);
  return {
    steps: [{ kind: 'change', summary: `power off${p.delay > 0 ? ` in ${p.delay} s` : ''}`, actions: [{ kind: 'run', command }] }],
    values: { shutdown: true, shutdown_command: command.text },
  };
}

export default defineModule({
  name: 'shutdown',
  summary: 'Power the host off (community.general.shutdown: shutdown -p +DELAYs MSG)',
  description:
    "community.general.shutdown: looks for shutdown in search_paths only, runs `shutdown -p +DELAYs MSG` and reports " +
    'shutdown: true and shutdown_command (also in --check, where nothing runs). A connection that drops as the host goes ' +
    'down counts as success, as in the collection. Refused on a local connection (it would power off the controller). ' +
    'Differences: no systemctl fallback when shutdown is missing (FreeBSD has no systemd); the message is quoted for sh ' +
    '(the collection wraps it in double quotes), so shutdown_command shows it in single quotes.',
  params,
  example: `- name: Power off after a minute
  community.general.shutdown:
    delay: 60
    msg: Decommissioned`,
  needs: (p) => candidates(p).map((path) => fileStatFact(path)),
  async observe(host, p): Promise<ShutdownFacts> {
    const paths = candidates(p);
    const stats = await host.facts(...paths.map((path) => fileStatFact(path)));
    return { found: paths.find((_, index) => stats[index] !== undefined) };
  },
  plan({ params: p, facts }) {
    return planShutdown(p, facts);
  },
  async apply(context, { params: p, facts, vars }) {
    if (vars['ansible_connection'] === 'local') {
      return { changed: false, failure: 'Running community.general.shutdown with local connection would shutdown the control node.', values: { shutdown: false, elapsed: 0 } };
    }
    if (facts.found === undefined) return { changed: false, failure: 'shutdown was not found', values: { shutdown: false } };
    try {
      const result = await context.run(shutdownCommand(facts.found, p));
      if (result.exitCode !== 0) {
        return { changed: false, failure: `Shutdown command failed. Error was ${result.stdout.trim()}, ${result.stderr.trim()}`, values: { shutdown: false } };
      }
    } catch (error) {
      // The collection: "If the connection is closed too quickly due to the system being shutdown, carry on".
      if (!(error instanceof UnreachableError)) throw error;
    }
    return { changed: true };
  },
});
