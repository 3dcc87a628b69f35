// Everything bastille_jail needs about one jail, in one command: Bastille's version and
// directories (from bastille.conf, as bastille itself sources it), the release, the jail's
// jail.conf and settings.conf, whether it runs (jls) with its live parameters, and rc.conf's
// bastille_enable / bastille_list (docs/freebsd/bastille.md).
import { raw, sh } from '../command/command.js';
import { defineFact, type Fact } from './fact.js';
import { parseShConf } from '../freebsd/sh-conf.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand } from './sections.js';

export interface BastilleState {
  /** `0.7.20200714`, `1.4.4`; undefined when bastille is not installed. */
  readonly version: string | undefined;
  readonly jailsDir: string;
  readonly releasePresent: boolean;
  readonly jailConf: string | undefined;
  readonly settingsConf: string | undefined;
  /** Parameters of the running jail (`jls -j NAME -n`), undefined when it is not running. */
  readonly running: ReadonlyMap<string, string> | undefined;
  readonly bastilleEnable: string | undefined;
  readonly bastilleList: string | undefined;
  /** Where Bastille keeps its jails: ZFS datasets (bastille.conf's bastille_zfs_*) or directories. */
  readonly storage: BastilleStorage;
  /**
   * The release the jail runs: for a thin jail the release its fstab nullfs-mounts on
   * root/.bastille (what `bastille upgrade` reads), else jail.conf's osrelease; undefined when
   * the jail does not exist or says neither.
   */
  readonly jailRelease?: string | undefined;
  /**
   * How the existing jail got its base, as `bastille list` (list.sh 1.4.4 get_jail_info) tells:
   * thin when its fstab nullfs-mounts the release on its root/.bastille, clone when its root
   * dataset has a ZFS origin, else thick; undefined when the jail does not exist.
   */
  readonly jailType?: JailType | undefined;
  /** A clone jail's origin snapshot and the datasets cloned from it (this jail's root among them). */
  readonly cloneOrigin?: { readonly snapshot: string; readonly clones: readonly string[] } | undefined;
}

/** The three kinds of FreeBSD jail Bastille makes. */
export type JailType = 'thin' | 'thick' | 'clone';

/** The thin jail's release from its fstab (`…/releases/REL …/root/.bastille nullfs …`), else jail.conf's osrelease. */
export function jailReleaseOf(fstab: string | undefined, jailConf: string | undefined): string | undefined {
  for (const line of (fstab ?? '').split('\n')) {
    const match = /\/releases\/([^/\s]+)\/?\s+\S*\/root\/\.bastille\s+nullfs\b/.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  const osrelease = /^\s*osrelease\s*=\s*"?([^";\s]+)"?\s*;/m.exec(jailConf ?? '');
  return osrelease?.[1];
}

/** bastille_zfs_enable and the jail's dataset POOL/PREFIX/jails/NAME, when ZFS is on. */
export type BastilleStorage =
  | { readonly kind: 'directories' }
  | { readonly kind: 'zfs'; readonly dataset: string; readonly datasetExists: boolean };

/** Split `jls -n` output (`key=value` words, values with spaces quoted) into a map; flags map to `true`/`false`. */
export function parseJlsParams(line: string): Map<string, string> {
  const params = new Map<string, string>();
  const words = line.match(/(?:[^\s"']+|"(?:\\.|[^"])*"|'[^']*')+/g) ?? [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      const dot = word.lastIndexOf('.');
      const leaf = word.slice(dot + 1);
      if (leaf.startsWith('no')) params.set(`${word.slice(0, dot + 1)}${leaf.slice(2)}`, 'false');
      params.set(word, 'true');
      continue;
    }
    const value = word.slice(eq + 1).replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1');
    params.set(word.slice(0, eq), value);
  }
  return params;
}

/** The zfs section: nothing (directories), or the dataset's name and, when it exists, again. */
function parseStorage(section: string): BastilleStorage {
  const [dataset, listed] = section.split('\n').map((line) => line.trim());
  if (dataset === undefined || dataset === '') return { kind: 'directories' };
  return { kind: 'zfs', dataset, datasetExists: listed === dataset };
}

/** The zfs section's `origin=` of the jail's root dataset and `clones=` of that snapshot. */
function parseCloneOrigin(section: string): BastilleState['cloneOrigin'] {
  const value = (key: string) => section.split('\n').find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1).trim();
  const snapshot = value('origin');
  if (snapshot === undefined || !snapshot.includes('@')) return undefined;
  const clones = (value('clones') ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== '-');
  return { snapshot, clones };
}

/** list.sh's jail type: thin by the fstab (grep -w JAILDIR/NAME/root/.bastille), clone by a ZFS origin, else thick. */
export function jailTypeOf(jailDir: string, fstab: string | undefined, cloneOrigin: BastilleState['cloneOrigin']): JailType {
  const mount = `${jailDir}/root/.bastille`;
  const thin = (fstab ?? '').split('\n').some((line) => line.split(/\s+/).includes(mount));
  return thin ? 'thin' : cloneOrigin !== undefined ? 'clone' : 'thick';
}

/** Read the state of jail `name` built from `release`. */
export function bastilleStateFact(name: string, release: string): Fact<BastilleState> {
  const conf = '/usr/local/etc/bastille/bastille.conf';
  // Bastille sources its config to find its directories; do the same in a subshell.
  const dirs = sh`( bastille_prefix=/usr/local/bastille; [ -f ${conf} ] && . ${conf}; echo "\${bastille_jailsdir:-$bastille_prefix/jails}"; echo "\${bastille_releasesdir:-$bastille_prefix/releases}" )`;
  return defineFact(
    `bastille-state:${name}:${release}`,
    sectionedCommand([
      ['version', sh`command -v bastille >/dev/null && bastille --version | sed ${raw("'s/\\x1b\\[[0-9;]*m//g'")}`],
      ['dirs', dirs],
      ['release', sh`d=$( ${dirs} | tail -n 1); [ -d "$d/"${release} ] && echo yes`],
      ['jail.conf', catOrAbsent(sh`"$d/"${name}/jail.conf`, { before: sh`d=$( ${dirs} | head -n 1)` })],
      ['settings.conf', catOrAbsent(sh`"$d/"${name}/settings.conf`, { before: sh`d=$( ${dirs} | head -n 1)` })],
      ['fstab', catOrAbsent(sh`"$d/"${name}/fstab`, { before: sh`d=$( ${dirs} | head -n 1)` })],
      ['jls', sh`jls -j ${name} -n`],
      ['rc', catOrAbsent('/etc/rc.conf')],
      // zfs(8) is asked only when bastille.conf turns ZFS on: on a UFS host it would load zfs.ko
      ['zfs', sh`( bastille_zfs_enable=; bastille_zfs_zpool=; bastille_zfs_prefix=bastille; [ -f ${conf} ] && . ${conf}; case $bastille_zfs_enable in [Yy][Ee][Ss]|[Tt][Rr][Uu][Ee]|[Oo][Nn]|1) [ -n "$bastille_zfs_zpool" ] || exit 0; d="$bastille_zfs_zpool/$bastille_zfs_prefix/jails/"${name}; echo "$d"; zfs list -H -o name "$d" 2>/dev/null; o=$(zfs get -H -o value origin "$d/root" 2>/dev/null); echo "origin=$o"; case $o in *@*) echo "clones=$(zfs get -H -o value clones "$o" 2>/dev/null)" ;; esac ;; esac )`],
    ]),
    (output) => {
      const sections = parseSections(output.stdout);
      const [jailsDir = '/usr/local/bastille/jails'] = (sections.get('dirs') ?? '').split('\n');
      const version = (sections.get('version') ?? '').trim().replace(/^-e /, '');
      const jls = (sections.get('jls') ?? '').trim();
      const rc = fileSection(sections, 'rc') ?? '';
      // rc.conf is sh: the last assignment of a key wins.
      const rcValue = (key: string) => parseShConf(rc).filter((a) => a.key === key).at(-1)?.value;
      const cloneOrigin = fileSection(sections, 'jail.conf') === undefined ? undefined : parseCloneOrigin(sections.get('zfs') ?? '');
      return {
        version: version === '' ? undefined : version,
        jailsDir,
        releasePresent: (sections.get('release') ?? '').trim() === 'yes',
        jailConf: fileSection(sections, 'jail.conf'),
        settingsConf: fileSection(sections, 'settings.conf'),
        running: jls === '' ? undefined : parseJlsParams(jls),
        bastilleEnable: rcValue('bastille_enable'),
        bastilleList: rcValue('bastille_list'),
        storage: parseStorage(sections.get('zfs') ?? ''),
        jailRelease: fileSection(sections, 'jail.conf') === undefined ? undefined : jailReleaseOf(fileSection(sections, 'fstab'), fileSection(sections, 'jail.conf')),
        jailType: fileSection(sections, 'jail.conf') === undefined ? undefined : jailTypeOf(`${jailsDir}/${name}`, fileSection(sections, 'fstab'), cloneOrigin),
        cloneOrigin,
      };
    },
  );
}
