// timezone: community.general's timezone module as it works on FreeBSD, its BSDTimezone class
// (plugins/modules/timezone.py, community.general 6.x–9.x): the zone is the name /etc/localtime
// resolves to under /usr/share/zoneinfo, and setting it makes /etc/localtime a symbolic link to
// /usr/share/zoneinfo/NAME, through a new link renamed over it. hwclock is not supported there.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { defineFact, fileSubject, type Fact } from '../src/facts/fact.js';
import { parseSections, sectionedCommand } from '../src/facts/sections.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

/** BSDTimezone's paths. */
export const LOCALTIME = '/etc/localtime';
export const ZONEINFO = '/usr/share/zoneinfo';

const params = z
  .strictObject({
    name: z.string().min(1).optional().describe('The zone, a file under /usr/share/zoneinfo: Europe/Berlin, UTC.'),
    hwclock: z.enum(['local', 'UTC']).optional().describe('Linux only: refused, as BSDTimezone fails it.'),
    rtc: z.enum(['local', 'UTC']).optional().describe('Alias of hwclock.'),
  })
  .superRefine((p, context) => {
    if (p.name === undefined && p.hwclock === undefined && p.rtc === undefined) context.addIssue({ code: 'custom', message: 'one of the following is required: hwclock, name' });
    if (p.hwclock !== undefined || p.rtc !== undefined) {
      context.addIssue({ code: 'custom', path: [p.hwclock !== undefined ? 'hwclock' : 'rtc'], message: "hwclock is not a supported option on target platform (community.general's BSDTimezone fails it on FreeBSD, which keeps no such setting: remove it)" });
    }
  });

type Params = z.output<typeof params>;

/** The zone as BSDTimezone reads it, the warning it gives, and whether the wanted zone file exists. */
export interface ZoneFacts {
  readonly current: string;
  readonly warning?: string;
  readonly valid: boolean;
}

/**
 * The read-only command. BSDTimezone's __get_timezone: /etc/localtime missing (os.path.exists,
 * links followed) → UTC with a warning; a link whose target starts with the zoneinfo directory →
 * that name; otherwise the first regular file (not a link) under it, in sorted os.walk order
 * (directories in order, then their files), with the same bytes (filecmp.cmp) — only files of the
 * same size are compared (find -size Nc), then cmp -s; none → UTC with a warning. `valid`:
 * os.path.isfile of the wanted zone file.
 */
export function zoneCommand(name: string | undefined, localtime = LOCALTIME, zoneinfo = ZONEINFO): Command {
  const current = sh`L=${localtime}; Z=${zoneinfo}
if [ ! -e "$L" ]; then echo missing
elif t=$(readlink "$L") && case $t in "$Z"/*) true ;; *) false ;; esac; then printf 'name %s' "\${t#"$Z"/}"
else
  size=$(wc -c < "$L" | tr -d ' ')
  tab=$(printf '\\t')
  found=$(find "$Z" -type f -size "\${size}c" 2>/dev/null | while IFS= read -r p; do printf '%s\\t%s\\n' "\${p%/*}" "\${p##*/}"; done | LC_ALL=C sort -t "$tab" -k1,1 -k2,2 | while IFS="$tab" read -r d f; do if cmp -s "$d/$f" "$L"; then printf '%s/%s' "$d" "$f"; break; fi; done)
  if [ -n "$found" ]; then printf 'name %s' "\${found#"$Z"/}"; else echo unknown; fi
fi`;
  const sections: [string, Command][] = [['current', current]];
  if (name !== undefined) sections.push(['valid', sh`if [ -f ${`${zoneinfo}/${name}`} ]; then echo yes; fi`]);
  return sectionedCommand(sections);
}

/** Parse the sections of {@link zoneCommand}. */
export function parseZone(stdout: string): ZoneFacts {
  const sections = parseSections(stdout);
  const current = sections.get('current') ?? '';
  const valid = (sections.get('valid') ?? '').trim() === 'yes';
  if (current.startsWith('name ')) return { current: current.slice('name '.length), valid };
  if (current.trim() === 'missing') return { current: 'UTC', warning: 'Could not read /etc/localtime. Assuming UTC.', valid };
  return { current: 'UTC', warning: 'Could not identify timezone name from /etc/localtime. Assuming UTC.', valid };
}

/** The zone now, and whether `name`'s zone file is there. */
export function zoneFact(name: string | undefined, localtime = LOCALTIME, zoneinfo = ZONEINFO): Fact<ZoneFacts> {
  return defineFact(`timezone:${localtime}:${zoneinfo}:${name ?? ''}`, zoneCommand(name, localtime, zoneinfo), (o) => parseZone(o.stdout), [fileSubject(localtime), fileSubject(zoneinfo)]);
}

/**
 * BSDTimezone.set: a new link next to /etc/localtime (Ansible's /etc/localtime.RANDOM; here
 * mktemp's), renamed over it, so a reader never finds it missing; removed again when that fails.
 */
export function setZoneCommand(name: string, localtime = LOCALTIME, zoneinfo = ZONEINFO): Command {
  return sh`t=$(mktemp ${`${localtime}.XXXXXXXXXX`}) && { ln -sf ${`${zoneinfo}/${name}`} "$t" && mv -f "$t" ${localtime} || { rm -f "$t"; echo 'Could not update /etc/localtime' >&2; exit 1; }; }`;
}

/** Link /etc/localtime to the zone when it names another; Ansible's messages. */
export function planTimezone(p: Params, facts: ZoneFacts, localtime = LOCALTIME, zoneinfo = ZONEINFO): Plan {
  const notes = facts.warning === undefined ? [] : [facts.warning];
  const name = p.name;
  if (name === undefined || facts.current === name) {
    return { steps: [{ kind: 'noop', reason: `the timezone is ${facts.current}` }], notes, values: { diff: { before: { name: facts.current }, after: { name: facts.current } } } };
  }
  if (!facts.valid) return { steps: [], failure: `${name} is not a recognized timezone`, notes };
  return {
    steps: [
      {
        kind: 'change',
        summary: `timezone ${facts.current} → ${name} (${localtime} → ${zoneinfo}/${name})`,
        actions: [{ kind: 'run', command: setZoneCommand(name, localtime, zoneinfo) }],
        diff: { header: 'timezone', before: `name: ${facts.current}\n`, after: `name: ${name}\n` },
      },
    ],
    notes,
    values: { diff: { before: { name: facts.current }, after: { name } } },
  };
}

export default defineModule({
  name: 'timezone',
  summary: 'The system time zone: /etc/localtime as a link into /usr/share/zoneinfo',
  description:
    "community.general's timezone with its BSDTimezone class, the one it uses on FreeBSD: the zone is read from " +
    '/etc/localtime (a link into /usr/share/zoneinfo, or else the first zone file with the same bytes, in sorted order; ' +
    'missing: UTC, with Ansible\'s warning), and set by making /etc/localtime a symbolic link to /usr/share/zoneinfo/NAME, ' +
    'a new link renamed over the old file. A name with no zone file fails "NAME is not a recognized timezone" (also in ' +
    '--check, where Ansible reports changed without looking). hwclock/rtc are refused at load time: BSDTimezone fails ' +
    'them. Registers diff.before.name and diff.after.name. Not done: tzsetup(8)\'s /var/db/zoneinfo, which BSDTimezone ' +
    'does not write either (docs/freebsd/timezone.md).',
  params,
  example: `- name: The hosts keep Berlin's time
  timezone:
    name: Europe/Berlin`,
  needs: (p) => [zoneFact(p.name)],
  async observe(host, p) {
    const [facts] = await host.facts(zoneFact(p.name));
    return facts;
  },
  plan({ params: p, facts }) {
    return planTimezone(p, facts);
  },
  verify({ params: p, facts }) {
    if (p.name === undefined || facts.current === p.name) return undefined;
    return `still not desired state, though changes have made - planned: {'name': '${p.name}'}, after: {'name': '${facts.current}'}`;
  },
});
