// Ansible's path filters (os.path on the controller, POSIX): basename, dirname, expanduser,
// expandvars, realpath, relpath, splitext, path_join, fileglob.
import { statSync } from 'node:fs';
import { glob } from '../glob.js';
import path from 'node:path';
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { pyExpanduser, pyRealpath } from '../python-ospath.js';
import { iterate, pyStr, tuple } from '../values.js';

/** Python's os.path.splitext: the extension keeps its dot; leading dots are not extensions. */
function splitext(p: string): [string, string] {
  const base = path.posix.basename(p);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
  const cut = p.length - (base.length - dot);
  return [p.slice(0, cut), p.slice(cut)];
}

/** Python's os.path.join: an absolute part restarts the path. */
export function pathJoin(parts: readonly string[]): string {
  let out = '';
  for (const part of parts) {
    if (part.startsWith('/')) out = part;
    else if (out === '' || out.endsWith('/')) out += part;
    else out += `/${part}`;
  }
  return out;
}


/** Python's os.path.dirname: everything before the last slash, trailing slashes kept off unless all slashes. */
function dirname(p: string): string {
  const cut = p.lastIndexOf('/') + 1;
  const head = p.slice(0, cut);
  return head !== '' && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}

export const pathFilters: Readonly<Record<string, Filter>> = {
  basename: { fn: (value) => { const p = pyStr(value); return p.slice(p.lastIndexOf('/') + 1); } },
  dirname: { fn: (value) => dirname(pyStr(value)) },
  expanduser: { fn: (value) => pyExpanduser(pyStr(value)) },
  expandvars: { fn: (value) => pyStr(value).replace(/\$(\w+)|\$\{([^}]+)\}/g, (whole, a: string | undefined, b: string | undefined) => process.env[a ?? b ?? ''] ?? whole) },
  realpath: { fn: (value) => pyRealpath(pyStr(value)) },
  relpath: { fn: (value, call) => path.posix.relative(path.posix.resolve(pyStr(call.args[0] ?? call.kwargs['start'] ?? '.')), path.posix.resolve(pyStr(value))) || '.' },
  splitext: { fn: (value) => tuple(splitext(pyStr(value))) },
  path_join: {
    fn: (value) => {
      if (typeof value === 'string') return value;
      if (!Array.isArray(value)) throw new JinjaRenderError(`|path_join expects string or sequence, got ${typeof value} instead.`);
      return pathJoin(iterate(value).map(pyStr));
    },
  },
  fileglob: {
    fn: (value) =>
      glob(pyStr(value)).filter((file: string) => {
        try {
          return statSync(file).isFile();
        } catch {
          return false;
        }
      }),
  },
};
