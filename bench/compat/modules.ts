// `npx tsx bench/compat/modules.ts [--out FILE] [--show N]`: how many tasks of public FreeBSD
// Ansible content call a module beastie knows, and how many of those pass only parameters the
// module knows. The files are those of modules-manifest.json's repositories, read from their git
// mirrors (/work/.mirror/owner+name/repo, or BEASTIE_MIRRORS) at the listed commit; nothing of them
// is kept in this repository. A task is every mapping of a task list: a play's pre_tasks, tasks,
// post_tasks and handlers, and every list in a tasks/ or handlers/ directory, blocks' rescue and
// always included. Modules are resolved and parameters read as the loader does (FQCNs, action: and
// local_action:, free-form and key=value strings, args:), and checked against the module's schema
// with templated values left for run time, as at load time. Not a test: the figures for the notes,
// and the lists of the unknown modules and parameters to build next.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { allModules } from '../../modules/all.js';
import { isMapping } from '../../src/expression/values.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { freeFormModules, parseFreeForm, parseKeyValues, rawParamModules } from '../../src/playbook/free-form.js';
import { actionKeywords, anyTaskKeyword } from '../../src/playbook/keywords.js';
import { resolveModuleName, withoutCollection } from '../../src/playbook/module-names.js';
import { paramIssues } from '../../src/playbook/validate-params.js';

interface Source {
  readonly repo: string;
  readonly commit: string;
}

const manifestPath = fileURLToPath(new URL('./modules-manifest.json', import.meta.url));
const mirrors = process.env['BEASTIE_MIRRORS'] ?? '/work/.mirror';
const registry = moduleRegistry(allModules);

/** Paths that are not content a user runs: tests, CI, molecule scenarios. */
const skippedPath = /(^|\/)(tests?|molecule|\.github|\.gitlab|docs?|changelogs?)\//;
/** Keys of a play holding task lists. */
const playLists = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'];
/** Keys of a block holding task lists. */
const blockLists = ['block', 'rescue', 'always'];

/** What one task is, for the count. */
type TaskVerdict =
  | { readonly kind: 'action' }
  | { readonly kind: 'unknown-module'; readonly module: string }
  | { readonly kind: 'module'; readonly module: string; readonly unknownParams: readonly string[]; readonly badValues: readonly string[] };

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', `${mirrors}/${repo.replace('/', '+')}/repo`, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** The text of each of `paths` at the source's commit, read in one `git cat-file --batch`. */
function blobs(source: Source, paths: readonly string[]): Map<string, string> {
  const input = paths.map((path) => `${source.commit}:${path}`).join('\n');
  const output = execFileSync('git', ['-C', `${mirrors}/${source.repo.replace('/', '+')}/repo`, 'cat-file', '--batch'], { input: `${input}\n`, maxBuffer: 256 * 1024 * 1024 });
  const texts = new Map<string, string>();
  let at = 0;
  for (const path of paths) {
    const newline = output.indexOf(10, at);
    const header = output.subarray(at, newline).toString('utf8');
    const size = Number(header.split(' ')[2]);
    at = newline + 1;
    if (!header.endsWith('missing') && Number.isFinite(size)) {
      texts.set(path, output.subarray(at, at + size).toString('utf8'));
      at += size + 1;
    }
  }
  return texts;
}

/** The module key and its written value after action:/local_action: are unfolded. */
function moduleCall(task: Record<string, unknown>): { key: string; value: unknown } | undefined {
  for (const key of ['action', 'local_action']) {
    const value = task[key];
    if (typeof value === 'string') {
      const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(value);
      if (match?.[1] !== undefined) return { key: match[1], value: match[2] === '' ? null : match[2] };
    }
    if (isMapping(value) && typeof value['module'] === 'string') {
      const { module, ...rest } = value;
      return { key: module as string, value: rest };
    }
  }
  const keys = Object.keys(task).filter((key) => !anyTaskKeyword.includes(key) && !anyTaskKeyword.includes(withoutCollection(key)) && key !== 'action' && key !== 'local_action');
  const [key] = keys;
  return key === undefined ? undefined : { key, value: task[key] };
}

/** The parameters as readParams reads them (the module line's win over args:). */
function taskParams(name: string, value: unknown, args: unknown): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  if (isMapping(value)) params = value;
  else if (typeof value === 'string' && freeFormModules.has(name)) params = parseFreeForm(value);
  else if (typeof value === 'string' && rawParamModules.has(name)) params = parseKeyValues(value) ?? { [rawParamModules.get(name) ?? '']: value.trim() };
  else if (typeof value === 'string') params = parseKeyValues(value) ?? {};
  return isMapping(args) ? { ...args, ...params } : params;
}

function judge(task: Record<string, unknown>): TaskVerdict {
  if (Object.keys(task).some((key) => Object.hasOwn(actionKeywords, withoutCollection(key)) || key === 'import_playbook')) return { kind: 'action' };
  const call = moduleCall(task);
  if (call === undefined) return { kind: 'action' };
  const name = resolveModuleName(call.key, (n) => registry.find(n) !== undefined);
  const module = name === undefined ? undefined : registry.find(name);
  if (name === undefined || module === undefined) return { kind: 'unknown-module', module: withoutCollection(call.key) };
  const issues = paramIssues(module, taskParams(name, call.value, task['args']), { deferTemplated: true, deferMissing: true });
  return {
    kind: 'module',
    module: name,
    unknownParams: issues.filter((issue) => issue.about === 'key').map((issue) => `${name}.${issue.path.join('.')}`),
    badValues: issues.filter((issue) => issue.about === 'value').map((issue) => issue.message),
  };
}

/** Every task mapping of a task list, through blocks. */
function* tasksOf(list: unknown): Generator<Record<string, unknown>> {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (!isMapping(item)) continue;
    if (blockLists.some((key) => Array.isArray(item[key]))) {
      for (const key of blockLists) yield* tasksOf(item[key]);
      continue;
    }
    yield item;
  }
}

/** The tasks of one YAML file: plays' task lists, or the file's list when it lies in tasks/ or handlers/. */
function* fileTasks(path: string, text: string): Generator<Record<string, unknown>> {
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: -1 });
    } catch {
      continue;
    }
    if (!Array.isArray(value)) continue;
    const plays = value.filter((item) => isMapping(item) && ('hosts' in item || 'import_playbook' in item));
    if (plays.length > 0) {
      for (const play of plays) for (const key of playLists) yield* tasksOf((play as Record<string, unknown>)[key]);
    } else if (/(^|\/)(tasks|handlers)\//.test(path)) {
      yield* tasksOf(value);
    }
  }
}

interface RepoFigures {
  repo: string;
  tasks: number;
  moduleKnown: number;
  paramsKnown: number;
  valuesValid: number;
}

function count(list: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function main(): void {
  const args = process.argv.slice(2);
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
  const show = args.includes('--show') ? Number(args[args.indexOf('--show') + 1]) : 20;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sources: Source[] };
  const repos: RepoFigures[] = [];
  const unknownModules: string[] = [];
  const unknownParams: string[] = [];
  const badValues: string[] = [];
  for (const source of manifest.sources) {
    const figures: RepoFigures = { repo: source.repo, tasks: 0, moduleKnown: 0, paramsKnown: 0, valuesValid: 0 };
    const files = git(source.repo, 'ls-tree', '-r', '--name-only', source.commit)
      .split('\n')
      .filter((path) => /\.ya?ml$/.test(path) && !skippedPath.test(path));
    const texts = blobs(source, files);
    for (const [path, text] of texts) {
      for (const task of fileTasks(path, text)) {
        const verdict = judge(task);
        if (verdict.kind === 'action') continue;
        figures.tasks++;
        if (verdict.kind === 'unknown-module') {
          unknownModules.push(verdict.module);
          continue;
        }
        figures.moduleKnown++;
        unknownParams.push(...new Set(verdict.unknownParams));
        if (verdict.unknownParams.length > 0) continue;
        figures.paramsKnown++;
        badValues.push(...verdict.badValues.map((message) => `${source.repo}/${path}: ${message}`));
        if (verdict.badValues.length === 0) figures.valuesValid++;
      }
    }
    repos.push(figures);
  }
  const total = repos.reduce((sum, r) => ({ tasks: sum.tasks + r.tasks, moduleKnown: sum.moduleKnown + r.moduleKnown, paramsKnown: sum.paramsKnown + r.paramsKnown, valuesValid: sum.valuesValid + r.valuesValid }), { tasks: 0, moduleKnown: 0, paramsKnown: 0, valuesValid: 0 });
  const result = { repos: repos.length, ...total, perRepo: repos, unknownModules: count(unknownModules), unknownParams: count(unknownParams), badValues };
  const pct = (n: number) => `${((100 * n) / Math.max(total.tasks, 1)).toFixed(1)} %`;
  console.log(`${repos.length} repositories, ${total.tasks} module tasks (blocks, includes, imports and meta not counted)`);
  console.log(`  module known:                 ${total.moduleKnown} (${pct(total.moduleKnown)})`);
  console.log(`  module and all params known:  ${total.paramsKnown} (${pct(total.paramsKnown)})`);
  console.log(`  … and every untemplated value valid: ${total.valuesValid} (${pct(total.valuesValid)})`);
  console.log(`unknown modules (tasks): ${result.unknownModules.slice(0, show).map(([m, n]) => `${m} ${n}`).join(', ') || 'none'}`);
  console.log(`unknown parameters (tasks): ${result.unknownParams.slice(0, show).map(([m, n]) => `${m} ${n}`).join(', ') || 'none'}`);
  for (const line of badValues.slice(0, show)) console.log(`  value: ${line}`);
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}

main();
