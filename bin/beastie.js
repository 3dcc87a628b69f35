#!/usr/bin/env node
// `npx beastie …`: runs the bundle (`npm run build`: dist/bundle/, one file per command, loaded
// when that command runs) or else tsc's dist/ when it is newer than every source file; otherwise
// registers tsx and runs the TypeScript sources directly (a fresh clone after `npm ci`).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundled = join(root, 'dist', 'bundle', 'entry.js');
const compiled = join(root, 'dist', 'src', 'cli', 'entry.js');

/** Newest modification time of the .ts files under `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether `file` exists and is newer than every source file. */
function isCurrent(file) {
  try {
    const built = statSync(file).mtimeMs;
    return built >= Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'modules')));
  } catch {
    return false;
  }
}

const current = [bundled, compiled].find(isCurrent);
if (current !== undefined) {
  await import(pathToFileURL(current).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'entry.ts')).href);
}
