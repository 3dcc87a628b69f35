// Keeps DIR/tools/{bin,lib,libexec} equal to the project's sim/tools, so edits to a fake tool
// reach every running host without a new `up`. Each host sees DIR/tools through a read-only bind
// mount at /usr/local/freebsd; a bind mount shows renames and new files at once, whereas an
// overlayfs of sim/tools/host/bin + jail/bin keeps serving a replaced file's old inode (editors
// and git replace files by rename). Copies, not symlinks, so $0 and every path stay inside /usr/local/freebsd.
import { chmod, copyFile, mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

/** Which project directories feed which tools directory; earlier sources win a name clash. */
export const TOOL_SOURCES: readonly { readonly target: string; readonly sources: readonly string[] }[] = [
  { target: 'bin', sources: ['host/bin', 'jail/bin'] },
  { target: 'lib', sources: ['lib'] },
  { target: 'libexec', sources: ['host/libexec', 'jail/libexec'] },
  // What update.FreeBSD.org serves the simulated freebsd-update: per release, links into the
  // profile that is that release (its kernel, /usr/src and /etc/defaults).
  { target: 'releases', sources: ['releases'] },
];

/** What one pass changed, and names two sources both provide (only the first is used). */
export interface SyncReport {
  readonly copied: readonly string[];
  readonly removed: readonly string[];
  readonly clashes: readonly string[];
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/** Regular files under `dir`, as paths relative to it (missing dir → none); a link to a directory is followed. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    const linkedDirectory = entry.isSymbolicLink() && (await statOrUndefined(join(dir, relative)))?.isDirectory() === true;
    if (entry.isDirectory() || linkedDirectory) files.push(...(await listFiles(dir, relative)));
    else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative);
  }
  return files;
}

function sameFile(source: Stats, target: Stats | undefined): boolean {
  return (
    target !== undefined &&
    target.size === source.size &&
    Math.abs(target.mtimeMs - source.mtimeMs) < 1 &&
    (target.mode & 0o7777) === (source.mode & 0o7777)
  );
}

/** Copy to a temporary name, then rename: a host never runs half a file. */
async function copyAtomically(source: string, target: string, sourceStat: Stats): Promise<void> {
  const temporary = join(target, '..', `.sync.${process.pid}.tmp`);
  await copyFile(source, temporary);
  await chmod(temporary, sourceStat.mode & 0o7777);
  // Seconds as numbers keep sub-millisecond precision (Date objects would round it away).
  await utimes(temporary, sourceStat.atimeMs / 1000, sourceStat.mtimeMs / 1000);
  await rename(temporary, target);
}

/** One reconciliation pass from `toolsRoot` (sim/tools) into `targetRoot` (DIR/tools). */
export async function syncTools(toolsRoot: string, targetRoot: string): Promise<SyncReport> {
  const copied: string[] = [];
  const removed: string[] = [];
  const clashes: string[] = [];
  for (const { target, sources } of TOOL_SOURCES) {
    const targetDir = join(targetRoot, target);
    await mkdir(targetDir, { recursive: true });
    const wanted = new Map<string, string>();
    for (const source of sources) {
      for (const file of await listFiles(join(toolsRoot, source))) {
        if (wanted.has(file)) clashes.push(`${target}/${file}`);
        else wanted.set(file, join(toolsRoot, source, file));
      }
    }
    for (const [file, source] of wanted) {
      const sourceStat = await statOrUndefined(source);
      if (!sourceStat?.isFile()) continue;
      const targetFile = join(targetDir, file);
      if (sameFile(sourceStat, await statOrUndefined(targetFile))) continue;
      await mkdir(join(targetFile, '..'), { recursive: true });
      await copyAtomically(source, targetFile, sourceStat);
      copied.push(`${target}/${file}`);
    }
    for (const file of await listFiles(targetDir)) {
      if (wanted.has(file)) continue;
      await rm(join(targetDir, file), { force: true });
      removed.push(`${target}/${file}`);
    }
  }
  return { copied, removed, clashes };
}
