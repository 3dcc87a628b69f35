// `node --cpu-prof` of one beastie second run, summarised: where the controller's CPU goes, by
// function (self time) and by package, so a missed target names its cause.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from './bench-fleet.js';
import { toolCommand, type ToolContext } from './tools.js';

/** One line of the summary. */
export interface ProfileEntry {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
}

/** The summary of a profiled run. */
export interface ProfileSummary {
  readonly hosts: number;
  readonly wallMs: number;
  readonly sampledMs: number;
  readonly functions: readonly ProfileEntry[];
  readonly packages: readonly ProfileEntry[];
}

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Run beastie's W1 second run on `hosts` hosts under the profiler and summarise it. */
export async function profileBeastie(context: ToolContext, hosts: number, log: (line: string) => void): Promise<ProfileSummary> {
  const dir = join(context.workDir, 'cpu-prof');
  await mkdir(dir, { recursive: true });
  const command = await toolCommand('beastie', hosts, { ...context, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command.argv[0] ?? 'node', command.argv.slice(1), { cwd: command.cwd, env: { ...command.env }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = Date.now() - started;
  if (code !== 0) throw new Error(`profiled beastie run exited ${code}: ${command.argv.join(' ')}`);
  const profiles = await Promise.all(
    (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as CpuProfile),
  );
  log(`profiled beastie second run on ${hosts} hosts: ${(wallMs / 1000).toFixed(2)} s`);
  return { hosts, wallMs, ...summariseProfiles(profiles) };
}

/** Self time per function and per package over the profiles. */
export function summariseProfiles(profiles: readonly CpuProfile[]): Omit<ProfileSummary, 'hosts' | 'wallMs'> {
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const node = nodes.get(id);
      if (node === undefined) return;
      total += ms;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url === '' ? '' : ` ${shortUrl(url)}:${lineNumber + 1}`;
      const name = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
      byPackage.set(packageOf(functionName, url), (byPackage.get(packageOf(functionName, url)) ?? 0) + ms);
    });
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, selfMs]) => ({ name, selfMs, share: total === 0 ? 0 : selfMs / total }));
  return { sampledMs: total, functions: top(byFunction, 15), packages: top(byPackage, 10) };
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) return path.slice(nodeModules + 1);
  return path.startsWith('/') ? relative(PROJECT_ROOT, path) : path;
}

/** Which package a frame belongs to: a dependency, beastie's own directories, Node's internals, or V8's pseudo-frames. */
function packageOf(functionName: string, url: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  const own = /\/(src\/[^/]+|modules)\//.exec(url);
  return own?.[1] ? `beastie ${own[1]}` : shortUrl(url);
}
