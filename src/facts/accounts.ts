// Users and groups as FreeBSD keeps them: one user's /etc/master.passwd entry (its password only
// as a SHA-256 of the hash, so no hash crosses the wire or reaches a log) and /etc/group. A host
// without master.passwd (Linux, a simulated host pw never touched) is read from /etc/passwd.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { parseSections, sectionedCommand } from './sections.js';

/** A user name or group name the facts and pw accept: no separators, no option-like leading dash. */
export const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

/** One user's entry, without its password. */
export interface UserEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly loginClass: string;
  readonly comment: string;
  readonly home: string;
  readonly shell: string;
  /** The password field began with pw(8)'s `*LOCKED*`. */
  readonly locked: boolean;
  /** SHA-256 of the password field without `*LOCKED*`: compared with the wanted hash's. */
  readonly passwordSha256: string;
  /** The home directory exists. */
  readonly homeExists: boolean;
}

/** One line of /etc/group. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** Parse /etc/group text. */
export function parseGroupFile(text: string): GroupEntry[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 3)
    .map(([name = '', , gid = '0', members = '']) => ({ name, gid: Number(gid), members: members.split(',').filter((m) => m !== '') }));
}

/** Every group on the host (/etc/group has no secrets). */
export function groupDbFact(): Fact<GroupEntry[]> {
  return defineFact('group-db', sh`cat /etc/group`, (output) => parseGroupFile(output.stdout));
}

/** Parse the user fact's sections; undefined when there is no such user. */
export function parseUserEntry(output: FactOutput): UserEntry | undefined {
  const sections = parseSections(output.stdout);
  const fields = (sections.get('user') ?? '').replace(/\n$/, '').split(':');
  if (fields.length !== 7) return undefined;
  const [name = '', uid = '0', gid = '0', loginClass = '', comment = '', home = '', shell = ''] = fields;
  const [lock = '', digest = ''] = (sections.get('password') ?? '').split('\n');
  return {
    name,
    uid: Number(uid),
    gid: Number(gid),
    loginClass,
    comment,
    home,
    shell,
    locked: lock === 'locked',
    passwordSha256: (digest.trim().split(/\s/)[0] ?? '').toLowerCase(),
    homeExists: (sections.get('home') ?? '').trim() === 'yes',
  };
}

/** `name`'s entry in master.passwd (or passwd), its password's digest, whether its home exists. */
export function userEntryFact(name: string): Fact<UserEntry | undefined> {
  // master.passwd has 10 fields (name:pw:uid:gid:class:change:expire:gecos:home:shell), passwd 7.
  const line = sh`f=/etc/master.passwd; [ -f "$f" ] || f=/etc/passwd; awk -F: -v n=${name} '$1 == n' "$f" | head -n 1`;
  return defineFact(
    `user-entry:${name}`,
    sh`line=$(${line}); [ -n "$line" ] || exit 0
${sectionedCommand([
  ['user', sh`printf '%s\\n' "$line" | awk -F: -v OFS=: '{ if (NF == 10) print $1, $3, $4, $5, $8, $9, $10; else print $1, $3, $4, "", $5, $6, $7 }'`],
  [
    'password',
    sh`p=$(printf '%s\\n' "$line" | cut -d: -f2); case $p in '*LOCKED*'*) echo locked; p=\${p#'*LOCKED*'} ;; *) echo open ;; esac; if command -v sha256 >/dev/null 2>&1; then printf '%s' "$p" | sha256; else printf '%s' "$p" | sha256sum; fi`,
  ],
  ['home', sh`h=$(printf '%s\\n' "$line" | awk -F: '{ print (NF == 10) ? $9 : $6 }'); if [ -d "$h" ]; then echo yes; else echo no; fi`],
])}`,
    parseUserEntry,
  );
}
