// The order test files start in. vitest starts the longest files first when its cache
// (node_modules/.vite) knows every file's duration; a clean clone has no cache, and then vitest
// keeps the order it found the files in, so an eight-minute file may start last and run alone
// at the end. test/long-files.txt lists the files known to take long: they start first, longest
// first, and the short files fill the other worker around them.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** test/long-files.txt as path (relative to the repository) → seconds. */
export function readLongFiles(path: string): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^(\d+)\s+(\S+)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) seconds.set(match[2], Number(match[1]));
  }
  return seconds;
}

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const cached = sorted.every((spec) => this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`) !== undefined);
    if (cached) return sorted;
    const long = readLongFiles(join(root, 'test', 'long-files.txt'));
    const seconds = (spec: TestSpecification) => long.get(relative(root, spec.moduleId)) ?? 0;
    // Array.prototype.sort is stable: the files not listed keep vitest's order.
    return sorted.sort((a, b) => seconds(b) - seconds(a));
  }
}
