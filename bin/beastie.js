#!/usr/bin/env node
// `npx beastie …`: runs the bundle (`npm run build`: dist/bundle/, one file per command, loaded
// when that command runs) or else tsc's dist/ when it is newer than every source file; otherwise
// registers tsx and runs the TypeScript sources directly (a fresh clone after `npm ci`).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentBuild } from './current-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const current = currentBuild(root);
if (current !== undefined) {
  await import(pathToFileURL(current).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'entry.ts')).href);
}
