// Which build of beastie is current: the bundle (`npm run build` / `npm run bundle`) or tsc's
// dist/, when it is newer than every source file. bin/beastie.js runs it; the test run's global
// set-up builds the bundle only when this finds none current.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

/** Whether `file` exists and is newer than every source file under `root`. */
function isCurrent(root, file) {
  try {
    const built = statSync(file).mtimeMs;
    return built >= Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'modules')));
  } catch {
    return false;
  }
}

/** The entry file of the current build under the project `root`, or undefined (run the sources through tsx). */
export function currentBuild(root) {
  const bundled = join(root, 'dist', 'bundle', 'entry.js');
  const compiled = join(root, 'dist', 'src', 'cli', 'entry.js');
  return [bundled, compiled].find((file) => isCurrent(root, file));
}

