// A controller archive's entries (unarchive without remote_src): the same manifest command the
// host runs for remote_src, run by the controller's /bin/sh on the file found in files/, so both
// sides are read by one implementation.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { archiveManifestCommand, parseArchiveManifest, type ArchiveManifest } from '../../src/facts/archive-manifest.js';

const run = promisify(execFile);

/** The entries of the controller archive at `path` (an absolute, found path). */
export async function localArchiveManifest(path: string, exclude: readonly string[]): Promise<ArchiveManifest> {
  const command = archiveManifestCommand(path, exclude);
  try {
    const { stdout, stderr } = await run('/bin/sh', ['-c', command.text], { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 });
    return parseArchiveManifest({ exitCode: 0, stdout, stderr });
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return parseArchiveManifest({ exitCode: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) });
  }
}
