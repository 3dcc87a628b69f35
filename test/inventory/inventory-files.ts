// Test helper: writes a throwaway inventory tree in a temporary directory and removes it afterwards.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidInputError, InvalidInputErrors } from '../../src/errors.js';
import { formatSourceRef } from '../../src/source.js';

/** Temporary directories created by {@link writeTree}, removed by {@link removeTrees}. */
const created: string[] = [];

/** Writes `files` (relative path → content) under a new temporary directory and returns it. */
export async function writeTree(files: Readonly<Record<string, string | Buffer>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'beastie-inventory-'));
  created.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** Removes every tree written so far (call from afterEach). */
export async function removeTrees(): Promise<void> {
  for (const root of created.splice(0)) await rm(root, { recursive: true, force: true });
}

/** The InvalidInputError a call throws, as `where: message — fix` with `root` shown as `ROOT`. */
export async function inputError(run: () => unknown, root = ''): Promise<string> {
  try {
    await run();
  } catch (thrown) {
    if (!(thrown instanceof InvalidInputError)) throw thrown;
    // The YAML front end collects; a file with one problem throws a list of one.
    const error = (thrown instanceof InvalidInputErrors && thrown.errors.length === 1 ? thrown.errors[0] : undefined) ?? thrown;
    const where = error.source ? `${formatSourceRef(error.source)}: ` : '';
    const text = `${where}${error.message}${error.fix ? ` — ${error.fix}` : ''}`;
    return root === '' ? text : text.replaceAll(root, 'ROOT');
  }
  throw new Error('expected an InvalidInputError, but nothing was thrown');
}
