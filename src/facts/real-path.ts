// Where a path really is once every symbolic link in it is followed: FreeBSD's realpath(1)
// (bin/realpath/realpath.c prints realpath(3)'s answer and a newline), asked only when the path
// exists, as Ansible's copy module resolves a followed destination link (os.path.realpath after
// os.path.exists).
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { pathOperand } from '../command/path-operand.js';

/** The resolved path, or undefined when nothing is there (a dangling link) or realpath failed. */
export function parseRealPath(output: FactOutput): string | undefined {
  if (output.exitCode !== 0) return undefined;
  // realpath(1) ends what it prints with one newline of its own; a path may hold others.
  const path = output.stdout.replace(/\n$/, '');
  return path.startsWith('/') ? path : undefined;
}

/** realpath(1) of `path` when it exists (following links); undefined otherwise. */
export function realPathFact(path: string): Fact<string | undefined> {
  // Any link on the way can change the answer, so it is not tied to one file subject.
  return defineFact(`real-path:${pathOperand(path)}`, sh`[ -e ${pathOperand(path)} ] || exit 1
realpath -- ${path}`, parseRealPath);
}
