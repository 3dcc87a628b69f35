// Once per test run, before any test file: the simulator's profile layers get their generated
// files (the kern_jail.c stand-ins), which the tool sandboxes mount without going through `up`;
// and beastie is bundled (`npm run bundle`) unless a current build exists, so that each of the
// suite's command-line runs starts from the bundle (≈1 s of CPU less than through tsx).
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { currentBuild } from '../bin/current-build.js';
import { SIM_ROOT } from '../sim/infra/up.js';
import { writeKernJailStandIns } from '../sim/infra/kern-jail-standin.js';

export default async function setup(): Promise<void> {
  await writeKernJailStandIns(SIM_ROOT);
  const root = dirname(SIM_ROOT);
  if (currentBuild(root) === undefined) execFileSync('npm', ['run', '--silent', 'bundle'], { cwd: root, stdio: 'inherit' });
}
