// Bundles beastie's CLI with esbuild: `node scripts/bundle.mjs [OUTDIR]` (default dist/bundle),
// one entry file plus one chunk per lazily loaded command. npm run bundle and the benchmark
// (bench/setup.ts) build it the same way. OUTDIR is emptied first: esbuild's chunk names carry a
// content hash, so a directory built over and over would keep every old chunk.
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle src/cli/entry.ts into `outdir`; returns the entry file's path. */
export async function bundle(outdir = join(root, 'dist', 'bundle')) {
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'src', 'cli', 'entry.ts')],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The dependencies go into the bundle too: Node then compiles a few chunks instead of ~300
    // files of zod, yaml, handlebars and the rest (about a tenth of a play's CPU on the
    // controller). ssh2 stays outside for its optional native addon (cpu-features), pino for
    // thread-stream, which finds its worker's file by path.
    external: ['ssh2', 'pino'],
    // CommonJS dependencies (handlebars) call require(), which an ES module does not have.
    banner: { js: "import { createRequire as beastieCreateRequire } from 'node:module'; const require = beastieCreateRequire(import.meta.url);" },
    outdir,
    logLevel: 'warning',
  });
  return join(outdir, 'entry.js');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
}
