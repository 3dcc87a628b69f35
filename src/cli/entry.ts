// The process entry: real stdio, environment and wiring (loaded by the commands that use it),
// then exit with main's code.
import { askLine } from './ask-line.js';
import { askSecret } from './ask-secret.js';
import { main } from './main.js';
import { readStdin } from './read-stdin.js';

process.exitCode = await main(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), ...(process.stdin.isTTY ? { askSecret, askLine } : {}), readStdin },
  async () => (await import('./wiring.js')).defaultWiring(),
);
