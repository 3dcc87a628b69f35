import { defineConfig } from 'vitest/config';
import LongFilesFirst from './test/sequencer.js';

// Tests that drive real sshd processes and the simulated fleet take seconds each;
// the two cores are shared with those processes, so keep the pool small.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the simulator's generated profile files (sim/infra/kern-jail-standin.ts), once per run
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    // the files known to take minutes start first (test/sequencer.ts)
    sequence: { sequencer: LongFilesFirst },
  },
});
