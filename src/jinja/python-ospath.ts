// Python's posixpath.realpath and expanduser (CPython 3.11, Lib/posixpath.py), for the realpath and
// expanduser filters: realpath resolves each component's symbolic link even where its target is
// missing (a dangling link becomes its target; Node's realpathSync fails there), leaves missing
// components as written, and stops at a loop; expanduser reads ~user's home from the password
// database (here /etc/passwd, what pwd.getpwnam finds on a controller without NSS modules).
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** posixpath.split: the head without its trailing slashes (unless all slashes), and the tail. */
function split(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head !== '' && !/^\/+$/.test(head)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

/** posixpath.join. */
function join(a: string, ...parts: string[]): string {
  let out = a;
  for (const part of parts) {
    if (part.startsWith('/')) out = part;
    else if (out === '' || out.endsWith('/')) out += part;
    else out += `/${part}`;
  }
  return out;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** _joinrealpath(path, rest, strict=False, seen). */
function joinRealpath(start: string, restIn: string, seen: Map<string, string | undefined>): [string, boolean] {
  let p = start;
  let rest = restIn;
  if (rest.startsWith('/')) {
    rest = rest.slice(1);
    p = '/';
  }
  while (rest !== '') {
    const cut = rest.indexOf('/');
    const name = cut < 0 ? rest : rest.slice(0, cut);
    rest = cut < 0 ? '' : rest.slice(cut + 1);
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (p !== '') {
        const [head, tail] = split(p);
        p = tail === '..' ? join(head, '..', '..') : head;
      } else p = '..';
      continue;
    }
    const newpath = join(p, name);
    if (!isLink(newpath)) {
      p = newpath;
      continue;
    }
    if (seen.has(newpath)) {
      const cached = seen.get(newpath);
      if (cached !== undefined) {
        p = cached;
        continue;
      }
      // A symlink loop: the part resolved, then the rest unchanged.
      return [join(newpath, rest), false];
    }
    seen.set(newpath, undefined);
    const [resolved, ok] = joinRealpath(p, readlinkSync(newpath), seen);
    if (!ok) return [join(resolved, rest), false];
    p = resolved;
    seen.set(newpath, resolved);
  }
  return [p, true];
}

/** os.path.realpath(p) (strict=False). */
export function pyRealpath(p: string): string {
  const [resolved] = joinRealpath('', p, new Map());
  // abspath: joined to the working directory, then normpath.
  return path.posix.normalize(path.posix.isAbsolute(resolved) ? resolved : join(process.cwd(), resolved)).replace(/(.)\/+$/, '$1');
}

/** pwd.getpwnam(name).pw_dir from /etc/passwd, or undefined. */
function homeOf(name: string): string | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 7 && fields[0] === name) return fields[5];
  }
  return undefined;
}

/** os.path.expanduser(p). */
export function pyExpanduser(p: string): string {
  if (!p.startsWith('~')) return p;
  let i = p.indexOf('/', 1);
  if (i < 0) i = p.length;
  const home = i === 1 ? (process.env['HOME'] ?? homedir()) : homeOf(p.slice(1, i));
  if (home === undefined) return p;
  return `${home.replace(/\/+$/, '')}${p.slice(i)}` || '/';
}
