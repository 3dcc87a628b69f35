// What the benchmark needs before it times anything: Ansible installed (CI machines start clean),
// beastie compiled (so its runs do not pay for TypeScript compilation), and every version recorded.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './bench-fleet.js';
import { MITOGEN_STRATEGY_DIR } from './tools.js';

/** Versions and machine facts for the report. */
export interface Environment {
  readonly node: string;
  readonly beastie: string;
  /** How beastie ran: bundled JavaScript (built at the start of the run; tsc's output for the profile), or TypeScript through tsx. */
  readonly beastieBuild: 'bundled' | 'compiled' | 'tsx';
  readonly ansible: string;
  readonly python: string;
  readonly openssh: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly commit: string;
}

/** Run and capture stdout+stderr, whatever the exit status. */
function capture(argv: readonly string[], env?: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] ?? 'false', argv.slice(1), { cwd: PROJECT_ROOT, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (error) => resolve({ code: null, output: error.message }));
    child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/**
 * Install from Debian what the timed tools need and the machine lacks: ansible-core when
 * `ansible-playbook` is missing, and ansible-mitogen (its strategy plugins, MITOGEN_STRATEGY_DIR)
 * when Mitogen is timed too. A clean machine otherwise fails Mitogen's first run with Ansible's
 * "Invalid play strategy specified: mitogen_linear".
 */
export async function ensureAnsible(log: (line: string) => void, mitogen: boolean): Promise<void> {
  const missing = [
    ...((await capture(['ansible-playbook', '--version'])).code === 0 ? [] : ['ansible-core']),
    ...(!mitogen || (await stat(MITOGEN_STRATEGY_DIR).then(() => true, () => false)) ? [] : ['ansible-mitogen']),
  ];
  if (missing.length === 0) return;
  log(`installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } as Record<string, string>;
  const update = await capture(['apt-get', 'update'], env);
  if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.output.slice(-2000)}`);
  const install = await capture(['apt-get', 'install', '-y', ...missing], env);
  if (install.code !== 0) throw new Error(`apt-get install -y ${missing.join(' ')} failed:\n${install.output.slice(-2000)}`);
}

/** beastie as the benchmark runs it: the bundle for timed runs, tsc's output for the profile. */
export interface BeastieBuild {
  /** The esbuild bundle's entry (scripts/bundle.mjs), what bin/beastie.js runs after `npm run build`. */
  readonly bundled: string;
  /** tsc's entry: one file per source module, so the profile can say which directory spent the time. */
  readonly compiled: string;
}

/**
 * Build the project into `outDir` (inside the project, so node_modules resolves) twice — bundled
 * and with tsc — and run beastie from there: the files then stay as built for the whole benchmark
 * even while the sources change, and no run pays for TypeScript compilation. tsc emits even where
 * a file does not type-check. Undefined when either build produced no entry (beastie then runs
 * through bin/beastie.js and tsx).
 */
export async function buildBeastie(outDir: string): Promise<BeastieBuild | undefined> {
  await capture([process.execPath, join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', outDir]);
  await capture([process.execPath, join(PROJECT_ROOT, 'scripts', 'bundle.mjs'), join(outDir, 'bundle')]);
  const bundled = join(outDir, 'bundle', 'entry.js');
  const compiled = join(outDir, 'src', 'cli', 'entry.js');
  const exists = (file: string) => stat(file).then(() => true, () => false);
  return (await exists(bundled)) && (await exists(compiled)) ? { bundled, compiled } : undefined;
}

/** Versions of everything timed, and the machine. */
export async function describeEnvironment(beastieBuild: Environment['beastieBuild']): Promise<Environment> {
  const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const first = (text: string) => text.split('\n')[0]?.trim() ?? '';
  const ansible = first((await capture(['ansible-playbook', '--version'])).output);
  const python = first((await capture(['/usr/bin/python3', '--version'])).output);
  const openssh = first((await capture(['ssh', '-V'])).output);
  const kernel = first((await capture(['uname', '-sr'])).output);
  const commit = first((await capture(['git', 'rev-parse', '--short', 'HEAD'])).output);
  return {
    node: process.version,
    beastie: pkg.version,
    beastieBuild,
    ansible,
    python,
    openssh,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel,
    commit,
  };
}
