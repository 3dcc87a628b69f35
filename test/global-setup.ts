// Once per test run, before any test file: the simulator's profile layers get their generated
// files (the kern_jail.c stand-ins), which the tool sandboxes mount without going through `up`.
import { SIM_ROOT } from '../sim/infra/up.js';
import { writeKernJailStandIns } from '../sim/infra/kern-jail-standin.js';

export default async function setup(): Promise<void> {
  await writeKernJailStandIns(SIM_ROOT);
}
