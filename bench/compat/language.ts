// `npx tsx bench/compat/language.ts [--work DIR] [--only NAME]`: how many public Ansible roles and
// playbooks load in beastie as they are — `beastie play --syntax-check`, then `--list-tasks` — and
// why the others do not, grouped by reason. The subjects are language-manifest.json's, extracted
// with `git archive` from their git mirrors (/work/.mirror/owner+name/repo, or BEASTIE_MIRRORS) at
// the listed commit into a scratch directory outside this repository (default
// $TMPDIR/beastie-compat-language), nothing of them kept here. A role is played by a one-play
// wrapper (`hosts: all`, `gather_facts: false`, `roles: [NAME]`) with the role's tree as roles_path;
// a playbook is checked where it lies. Not a test: the figures for BENCHMARKS.md and the notes, and
// the list of reasons to fix next.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Subject {
  readonly name: string;
  readonly repo: string;
  readonly commit: string;
  /** Directory of the tree holding the roles ('' = the repository is one role). */
  readonly roles?: string;
  readonly role?: string;
  readonly playbook?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'beastie.js');
const mirrors = process.env['BEASTIE_MIRRORS'] ?? '/work/.mirror';
const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv[at + 1];
};
const work = option('--work') ?? join(tmpdir(), 'beastie-compat-language');
const only = option('--only');
const subjects = (JSON.parse(readFileSync(join(here, 'language-manifest.json'), 'utf8')) as { subjects: Subject[] }).subjects.filter(
  (s) => only === undefined || s.name === only,
);

/** `git archive COMMIT:TREE` of the mirror, unpacked into `dest`. */
function extract(subject: Subject, tree: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  const gitDir = `${mirrors}/${subject.repo.replace('/', '+')}/repo`;
  const archive = execFileSync('git', ['-C', gitDir, 'archive', '--format=tar', tree === '' ? subject.commit : `${subject.commit}:${tree}`], {
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dest], { input: archive });
}

/** One beastie run's verdict: loaded, or the reason in a form that groups alike failures. */
function check(args: readonly string[], cwd: string, rolesPath: string): { ok: boolean; reason: string; detail: string } {
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ANSIBLE_ROLES_PATH: rolesPath, ANSIBLE_CONFIG: join(work, 'none.cfg') },
    timeout: 120_000,
  });
  if (run.status === 0) return { ok: true, reason: '', detail: '' };
  const text = `${run.stderr}\n${run.stdout}`;
  const line = text.split('\n').find((l) => /error|unknown|not |cannot|refus|undefined|must|invalid/i.test(l)) ?? text.split('\n').find((l) => l.trim() !== '') ?? `exit ${String(run.status)}`;
  const reason = line
    .replace(/\S*\/[^\s:]+(:\d+)*(:)?/g, 'FILE$2')
    .replace(/"[^"]*"|'[^']*'|«[^»]*»/g, 'X')
    .replace(/\d+/g, 'N')
    .trim()
    .slice(0, 160);
  return { ok: false, reason, detail: line.trim().slice(0, 400) };
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(join(work, 'none.cfg'), '[defaults]\n');
writeFileSync(join(work, 'inventory.ini'), 'testhost ansible_connection=local\n');
const extracted = new Set<string>();
const rows: { name: string; syntax: ReturnType<typeof check>; list: ReturnType<typeof check> }[] = [];
for (const subject of subjects) {
  const root = join(work, subject.repo.replace('/', '+'));
  let rolesPath: string;
  let playbook: string;
  if (subject.roles === undefined) {
    // The repository is one role: it goes under roles/NAME, NAME being the role's name in the manifest.
    rolesPath = join(root, 'roles');
    extract(subject, '', join(rolesPath, subject.role ?? 'role'));
    playbook = join(root, 'site.yml');
    writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  roles:\n    - ${subject.role ?? 'role'}\n`);
  } else {
    rolesPath = join(root, subject.roles);
    if (!extracted.has(root)) extract(subject, subject.roles, rolesPath);
    extracted.add(root);
    if (subject.playbook !== undefined) playbook = join(rolesPath, subject.playbook);
    else {
      playbook = join(root, `site-${subject.role ?? ''}.yml`);
      writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  roles:\n    - ${subject.role ?? ''}\n`);
    }
  }
  const inventory = join(work, 'inventory.ini');
  const syntax = check(['play', playbook, '-i', inventory, '--syntax-check'], dirname(playbook), rolesPath);
  const list = check(['play', playbook, '-i', inventory, '--list-tasks'], dirname(playbook), rolesPath);
  rows.push({ name: subject.name, syntax, list });
  process.stdout.write(`${syntax.ok ? 'loads ' : 'FAILS '} ${list.ok ? 'lists ' : 'NOLIST'} ${subject.name}${syntax.ok ? '' : `\n         ${syntax.detail}`}\n`);
}

const loaded = rows.filter((r) => r.syntax.ok).length;
const listed = rows.filter((r) => r.list.ok).length;
const reasons = new Map<string, string[]>();
for (const row of rows.filter((r) => !r.syntax.ok)) reasons.set(row.syntax.reason, [...(reasons.get(row.syntax.reason) ?? []), row.name]);
process.stdout.write(`\n${loaded} of ${rows.length} load (--syntax-check), ${listed} of ${rows.length} list (--list-tasks)\n`);
for (const group of ['vbotka/', 'community.general/', 'ansible-core/']) {
  const of = rows.filter((r) => r.name.startsWith(group));
  if (of.length > 0) process.stdout.write(`  ${group.replace('/', '')}: ${of.filter((r) => r.syntax.ok).length} of ${of.length} load\n`);
}
process.stdout.write('Reasons, most common first:\n');
for (const [reason, names] of [...reasons].sort((a, b) => b[1].length - a[1].length)) process.stdout.write(`  ${names.length}  ${reason}\n      ${names.join(', ')}\n`);
