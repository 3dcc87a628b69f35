// Ansible's symbolic modes (`u=rw,g=r,o=`, `u+x`, `a-w`, `+X`, `g=u`), computed as
// module_utils/basic.py `_symbolic_mode_to_octal` computes them (ansible-core 2.14): every clause
// against the path's CURRENT mode, `X` and the copy letters u/g/o reading the mode before any
// clause, and a clause without users (`+x`) limited by the umask. Written in beastie's words.

/** One `USERS OP PERMS [OP PERMS…]` clause. */
interface Clause {
  readonly users: string;
  /** No users written: the umask limits r/w/x, as chmod(1) and Ansible do. */
  readonly useUmask: boolean;
  readonly operations: readonly { readonly operator: '+' | '-' | '='; readonly perms: string }[];
}

/** A parsed symbolic mode; `text` is what the playbook wrote. */
export interface SymbolicMode {
  readonly symbolic: string;
  readonly clauses: readonly Clause[];
}

/** The umask a symbolic clause without users is limited by: FreeBSD's default (login.conf umask=022). */
export const ASSUMED_UMASK = 0o022;

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;
const PERM_BITS = 0o7777;
const EXEC_BITS = 0o111;
const RWX = { u: 0o700, g: 0o070, o: 0o007 } as const;
const SHIFT = { u: 6, g: 3, o: 0 } as const;

/** Parse `text`; a string that is not a symbolic mode gets Ansible's message. */
export function parseSymbolicMode(text: string): SymbolicMode | { readonly error: string } {
  const clauses: Clause[] = [];
  for (const clause of text.split(',')) {
    const bad = { error: `mode must be in octal or symbolic form: bad symbolic permission for mode: ${clause}` };
    const match = /^(a|[ugo]*)((?:[+=-][rwxXstugo]*)+)$/.exec(clause);
    if (match === null) return bad;
    const written = match[1] ?? '';
    const operations = [...(match[2] ?? '').matchAll(/([+=-])([rwxXstugo]*)/g)].map((m) => ({ operator: m[1] as '+' | '-' | '=', perms: m[2] ?? '' }));
    clauses.push({ users: written === '' || written === 'a' ? 'ugo' : written, useUmask: written === '', operations });
  }
  return { symbolic: text, clauses };
}

/** The bits one permission letter means for one user class. */
function bitsOf(user: 'u' | 'g' | 'o', perm: string, original: number, isDirectory: boolean, useUmask: boolean, umask: number): number {
  const shift = SHIFT[user];
  const allowed = useUmask ? ~umask : PERM_BITS;
  // A copy letter moves that class's rwx bits of the ORIGINAL mode into this class's place.
  const copy = (from: 'u' | 'g' | 'o') => (((original & RWX[from]) >> SHIFT[from]) << shift) & RWX[user];
  switch (perm) {
    case 'r':
      return (0o4 << shift) & allowed;
    case 'w':
      return (0o2 << shift) & allowed;
    case 'x':
      return (0o1 << shift) & allowed;
    case 'X':
      return isDirectory || (original & EXEC_BITS) !== 0 ? 0o1 << shift : 0;
    case 's':
      return user === 'u' ? S_ISUID : user === 'g' ? S_ISGID : 0;
    case 't':
      return user === 'o' ? S_ISVTX : 0;
    default:
      return copy(perm as 'u' | 'g' | 'o');
  }
}

/** The mode `symbolic` gives a path whose mode is `current` (permission bits only). */
export function applySymbolicMode(symbolic: SymbolicMode, current: number, isDirectory: boolean, umask = ASSUMED_UMASK): number {
  const original = current & PERM_BITS;
  let mode = original;
  for (const clause of symbolic.clauses) {
    for (const { operator, perms } of clause.operations) {
      for (const user of clause.users as Iterable<'u' | 'g' | 'o'>) {
        const bits = [...perms].reduce((sum, perm) => sum | bitsOf(user, perm, original, isDirectory, clause.useUmask, umask), 0);
        if (operator === '+') mode |= bits;
        else if (operator === '-') mode &= ~bits;
        else {
          const mask = RWX[user] | (user === 'u' ? S_ISUID : user === 'g' ? S_ISGID : S_ISVTX);
          mode = (mode & ~mask) | bits;
        }
      }
    }
  }
  return mode & PERM_BITS;
}
