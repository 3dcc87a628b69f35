// `npx tsx bench/compat/jinja-corpus.ts [--out FILE] [--show N]`: how many of the Jinja expressions
// and templates of public Ansible content render with beastie as ansible-core 2.14 renders them.
// The files are those of jinja-corpus-manifest.json, read from git mirrors of their repositories
// (/work/.mirror/owner+name/repo, or BEASTIE_MIRRORS) at the listed commit; nothing of them is kept
// in this repository. Every templated YAML value (a string with `{{` or `{%`), every conditional
// (when, changed_when, failed_when, until, assert's that — rendered as Ansible's Conditional wraps
// them), and every .j2 file (as the template module renders it) is one case, with the variables of
// its role (defaults/main.yml, vars/main.yml). Both renderers get the same cases; the comparison is
// test/template/ansible-reference.ts's, the differential tests' own. Not a test: a figure for the
// notes, and a list of the differences to fix.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { agrees, renderWithAnsible, renderWithBeastie, type Case, type Outcome } from '../../test/template/ansible-reference.js';

interface Source {
  readonly repo: string;
  readonly commit: string;
  readonly paths: readonly string[];
}

/** One case of the corpus and where it came from. */
interface CorpusCase extends Case {
  readonly origin: string;
  readonly kind: 'value' | 'conditional' | 'file';
}

const manifestPath = fileURLToPath(new URL('./jinja-corpus-manifest.json', import.meta.url));
const mirrors = process.env['BEASTIE_MIRRORS'] ?? '/work/.mirror';

/** The `omit` variable of every case, standing for the token a play's variables carry. */
const OMIT_TOKEN = '__omit_place_holder__corpus';

/** Keys whose string values Ansible evaluates as bare expressions (playbook/conditional.py). */
const conditionalKeys = new Set(['when', 'changed_when', 'failed_when', 'until', 'that']);

/** Lookups that only read: run on the controller by both renderers without harm. */
const readingLookups = new Set([
  'file', 'env', 'vars', 'varnames', 'first_found', 'fileglob', 'template', 'items', 'list', 'dict', 'indexed_items',
  'together', 'nested', 'subelements', 'sequence', 'flattened', 'cartesian', 'dependent', 'merge_variables', 'config',
  'ansible.utils.index_of', 'ansible.utils.get_path', 'ansible.utils.to_paths',
]);

/**
 * Why a case is not rendered: a lookup that runs a command, writes a file or asks the network
 * (pipe, lines, password, url, dig, …: the oracle would run them here), or a value that changes from
 * one render to the next (now(), strftime of the current time, random, an unsalted password_hash).
 */
function unsafeReason(template: string): string | undefined {
  for (const match of template.matchAll(/\b(?:lookup|query|q)\s*\(\s*(?:(['"])([\w.]+)\1)?/g)) {
    const name = match[2];
    if (name === undefined) return 'a lookup named by a variable';
    const short = name.replace(/^(?:ansible\.builtin|community\.general)\./, '');
    if (!readingLookups.has(short)) return `the ${name} lookup`;
  }
  // strftime with no `second` formats the time of the render: the two renders are seconds apart.
  if (/\|\s*(?:ansible\.builtin\.)?strftime\b(?!\s*\(\s*[^)\s])/.test(template)) return 'a value that changes between renders';
  if (/\bwith_|\bnow\s*\(|\|\s*(?:random|shuffle|random_mac)\b|password_hash\s*\(\s*['"][^'"]+['"]\s*\)|\bansible_date_time\b|to_uuid\s*$/.test(template)) return 'a value that changes between renders';
  return undefined;
}

function git(repoDir: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', repoDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** YAML as Ansible's loader reads it: YAML 1.1 (yes/no booleans, 0755 octal), merge keys, tags kept as their text. */
function loadYaml(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1', merge: true, prettyErrors: false, uniqueKeys: false, logLevel: 'silent' }).flatMap((doc) =>
    'errors' in doc && doc.errors.length > 0 ? [] : [doc.toJS({ maxAliasCount: -1 }) as unknown],
  );
}

/** The role (or integration target) a file belongs to: the directory above its tasks/, templates/, … */
function roleRoot(file: string): string | undefined {
  const parts = file.split('/');
  // i = 0 too: a role at the top of its repository (vbotka/ansible-freebsd-*) is the root, ''.
  for (let i = parts.length - 2; i >= 0; i--) {
    if (['tasks', 'templates', 'handlers', 'defaults', 'vars', 'meta'].includes(parts[i] ?? '')) return parts.slice(0, i).join('/');
  }
  return undefined;
}

function templated(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}

/** Every case in one YAML value: templated strings, and conditionals under their keys. */
function yamlCases(value: unknown, emit: (template: string, kind: 'value' | 'conditional') => void): void {
  if (typeof value === 'string') {
    if (templated(value)) emit(value, 'value');
  } else if (Array.isArray(value)) {
    for (const item of value) yamlCases(item, emit);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (conditionalKeys.has(key) && (typeof item === 'string' || Array.isArray(item))) {
        for (const condition of Array.isArray(item) ? item : [item]) {
          if (typeof condition === 'string' && condition.trim() !== '') {
            // playbook/conditional.py (2.14): a bare expression, wrapped in an if that prints True or False.
            emit(`{% if ${condition} %} True {% else %} False {% endif %}`, 'conditional');
          } else if (typeof condition !== 'boolean') yamlCases(condition, emit);
        }
      } else {
        yamlCases(item, emit);
      }
    }
  }
}

function readCorpus(sources: readonly Source[]): { cases: CorpusCase[]; skipped: Map<string, number>; files: number } {
  const cases: CorpusCase[] = [];
  const seen = new Set<string>();
  const skipped = new Map<string, number>();
  let files = 0;
  for (const source of sources) {
    const repoDir = path.join(mirrors, source.repo.replace('/', '+'), 'repo');
    const names = git(repoDir, ['ls-tree', '-r', '--name-only', source.commit, '--', ...source.paths]).split('\n').filter((name) => /\.(ya?ml|j2)$/.test(name));
    const show = (name: string): string | undefined => {
      try {
        return git(repoDir, ['show', `${source.commit}:${name}`]);
      } catch {
        return undefined;
      }
    };
    const roleVars = new Map<string, Record<string, unknown>>();
    const varsOf = (root: string | undefined): Record<string, unknown> => {
      if (root === undefined) return {};
      let vars = roleVars.get(root);
      if (vars === undefined) {
        vars = {};
        const at = (file: string): string => (root === '' ? file : `${root}/${file}`);
        // main.yml, or a main/ directory's YAML files in sorted order (roles/role.py's
        // _load_role_yaml with allow_dir: vbotka's roles keep their defaults in defaults/main/).
        const mainFiles = (dir: string): string[] => {
          const listed = git(repoDir, ['ls-tree', '-r', '--name-only', source.commit, '--', `${at(dir)}/main/`]).split('\n');
          const inDir = listed.filter((name) => /\.ya?ml$/.test(name)).sort();
          return [`${at(dir)}/main.yml`, `${at(dir)}/main.yaml`, ...inDir];
        };
        for (const file of [...mainFiles('defaults'), ...mainFiles('vars')]) {
          const text = show(file);
          const doc = text === undefined ? undefined : loadYaml(text)[0];
          if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) Object.assign(vars, JSON.parse(JSON.stringify(doc)));
        }
        roleVars.set(root, vars);
      }
      return vars;
    };
    for (const name of names) {
      const text = show(name);
      if (text === undefined) continue;
      files++;
      const root = roleRoot(name);
      const origin = `${source.repo}/${name}`;
      const add = (template: string, kind: CorpusCase['kind']): void => {
        const key = `${kind}\0${root ?? ''}\0${template}`;
        if (seen.has(key)) return;
        seen.add(key);
        const reason = unsafeReason(template);
        if (reason !== undefined) {
          const label = reason.startsWith('the ') ? 'a lookup that runs a command, writes a file or asks the network' : reason;
          skipped.set(label, (skipped.get(label) ?? 0) + 1);
          return;
        }
        // A play defines `omit` (VariableManager's omit token); Templar alone does not: both get one.
        cases.push({ template, vars: { omit: OMIT_TOKEN, ...varsOf(root) }, mode: kind === 'file' ? 'file' : 'value', origin, kind });
      };
      if (name.endsWith('.j2')) add(text, 'file');
      else for (const doc of loadYaml(text)) yamlCases(doc, add);
    }
  }
  return { cases, skipped, files };
}

/** How a case came out: the same value, the same failure (undefined, or any other), or different. */
type Verdict = 'same value' | 'same undefined failure' | 'both failed' | 'different';

function verdict(ansible: Outcome, beastie: Outcome): Verdict {
  if (!agrees(ansible, beastie)) return 'different';
  if (ansible.ok) return 'same value';
  return /is undefined|has no attribute|object has no element/.test(ansible.error) ? 'same undefined failure' : 'both failed';
}

function main(): void {
  const args = process.argv.slice(2);
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
  const show = args.includes('--show') ? Number(args[args.indexOf('--show') + 1]) : 20;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sources: Source[] };
  const { cases, skipped, files } = readCorpus(manifest.sources);
  // Relative file lookups resolve against the working directory in both renderers: an empty one.
  process.chdir(mkdtempSync(path.join(tmpdir(), 'jinja-corpus-')));
  const ansible = renderWithAnsible(cases.map(({ template, vars, mode }) => ({ template, vars: vars ?? {}, mode: mode ?? 'value' })));
  const counts = new Map<Verdict, number>();
  const byKind = new Map<string, { same: number; all: number }>();
  const differences: { origin: string; kind: string; template: string; ansible: Outcome; beastie: Outcome }[] = [];
  cases.forEach((item, i) => {
    const reference = ansible[i];
    if (reference === undefined) throw new Error(`the oracle returned ${ansible.length} results for ${cases.length} cases`);
    const beastie = renderWithBeastie(item);
    const result = verdict(reference, beastie);
    counts.set(result, (counts.get(result) ?? 0) + 1);
    const kind = byKind.get(item.kind) ?? { same: 0, all: 0 };
    kind.all++;
    if (result !== 'different') kind.same++;
    byKind.set(item.kind, kind);
    if (result === 'different') differences.push({ origin: item.origin, kind: item.kind, template: item.template, ansible: reference, beastie });
  });
  const same = cases.length - differences.length;
  console.log(`${files} files of ${manifest.sources.length} repositories: ${cases.length} distinct cases rendered, ${[...skipped.values()].reduce((a, b) => a + b, 0)} not rendered`);
  for (const [reason, n] of skipped) console.log(`  not rendered: ${n} (${reason})`);
  console.log(`${same} of ${cases.length} render as Ansible renders them (${differences.length} differ)`);
  for (const [result, n] of counts) console.log(`  ${result}: ${n}`);
  for (const [kind, { same: s, all }] of byKind) console.log(`  ${kind}: ${s} of ${all}`);
  for (const difference of differences.slice(0, show)) {
    console.log(`\n${difference.origin} (${difference.kind}): ${difference.template.length > 300 ? `${difference.template.slice(0, 300)}…` : difference.template}`);
    console.log(`  ansible: ${JSON.stringify(difference.ansible).slice(0, 400)}`);
    console.log(`  beastie: ${JSON.stringify(difference.beastie).slice(0, 400)}`);
  }
  if (out !== undefined) writeFileSync(out, JSON.stringify(differences, null, 2));
}

main();
