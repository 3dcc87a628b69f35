// `npx tsx bench/compat/sysrc-target.ts [--work DIR] [--keep-jail]`: issue 10's done-when, run
// again — community.general's own sysrc integration target (tests/integration/targets/sysrc, at
// the commit language-manifest.json lists, from the git mirror /work/.mirror or BEASTIE_MIRRORS)
// played by `beastie play` against one simulated host of the `current` profile. Only two pieces
// are taken out, each found by its own text so a changed target fails loudly instead of running
// something else: the docker guard (`ansible_facts.virtualization_type != 'docker'`, the hosts
// are not containers to Ansible's eyes either) and the "Enable nginx in testjail" block, which
// installs ezjail with pkg and builds a jail from the network. With --keep-jail only the guard
// goes (to see where the jail block stops). The target's files go to DIR (default
// $TMPDIR/beastie-compat-sysrc), outside this repository. Not a test: the figure for the notes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downFleet } from '../../sim/infra/down.js';
import { upFleet } from '../../sim/infra/up.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'beastie.js');
const mirrors = process.env['BEASTIE_MIRRORS'] ?? '/work/.mirror';
const argv = process.argv.slice(2);
const at = argv.indexOf('--work');
const work = at < 0 ? join(tmpdir(), 'beastie-compat-sysrc') : (argv[at + 1] ?? '');
const keepJail = argv.includes('--keep-jail');

const subject = (JSON.parse(readFileSync(join(here, 'language-manifest.json'), 'utf8')) as { subjects: { name: string; repo: string; commit: string }[] }).subjects.find(
  (s) => s.name === 'community.general/sysrc',
);
if (subject === undefined) throw new Error('language-manifest.json lists no community.general/sysrc');

/** Take `piece` out of `text`; throws when it is not there exactly once. */
function without(text: string, piece: string | readonly [string, string], what: string): string {
  const [start, end] = typeof piece === 'string' ? [piece, undefined] : piece;
  const from = text.indexOf(start);
  if (from < 0 || text.indexOf(start, from + 1) >= 0) throw new Error(`the target changed: ${what} is not there once`);
  const to = end === undefined ? from + start.length : text.indexOf(end, from);
  if (to < 0) throw new Error(`the target changed: the end of ${what} is not there`);
  return text.slice(0, from) + text.slice(to);
}

rmSync(work, { recursive: true, force: true });
const role = join(work, 'roles', 'sysrc');
mkdirSync(role, { recursive: true });
const gitDir = `${mirrors}/${subject.repo.replace('/', '+')}/repo`;
const archive = execFileSync('git', ['-C', gitDir, 'archive', '--format=tar', `${subject.commit}:tests/integration/targets/sysrc`], { maxBuffer: 64 * 1024 * 1024 });
execFileSync('tar', ['-x', '-C', role], { input: archive });
const mainPath = join(role, 'tasks', 'main.yml');
let main = readFileSync(mainPath, 'utf8');
main = without(main, "    - ansible_facts.virtualization_type != 'docker'\n", 'the docker guard');
if (!keepJail) main = without(main, ['    ##\n    ## sysrc - example - Enable nginx in testjail', '    ##\n    ## sysrc - Test Absent'], 'the testjail block');
writeFileSync(mainPath, main);
writeFileSync(join(work, 'site.yml'), '- hosts: all\n  roles:\n    - sysrc\n');
writeFileSync(join(work, 'none.cfg'), '[defaults]\n');

const fleetDir = join(work, 'fleet');
const fleet = await upFleet({ dir: fleetDir, hosts: 1, profile: 'current', quiet: true });
try {
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, 'play', join(work, 'site.yml'), '-i', fleet.inventory], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ANSIBLE_ROLES_PATH: join(work, 'roles'), ANSIBLE_CONFIG: join(work, 'none.cfg') },
    timeout: 600_000,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  writeFileSync(join(work, 'output.txt'), `${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.split('\n');
  const recap = lines.findIndex((line) => line.startsWith('PLAY RECAP'));
  const failure = lines.findIndex((line) => line.startsWith('fatal:'));
  process.stdout.write(`community.general sysrc target at ${subject.commit.slice(0, 10)}${keepJail ? ' (testjail block kept)' : ''}: exit ${String(run.status)} in ${seconds} s\n`);
  if (failure >= 0) process.stdout.write(`${lines.slice(failure, failure + 4).join('\n')}\n`);
  process.stdout.write(`${recap >= 0 ? lines.slice(recap, recap + 2).join('\n') : run.stderr.slice(-2000)}\n(whole output: ${join(work, 'output.txt')})\n`);
} finally {
  await downFleet(fleetDir);
}
