// timezone (modules/timezone.ts), community.general's BSDTimezone. Its reading is run on temp trees
// and compared with BSDTimezone's own __get_timezone, taken from the installed community.general
// (Debian's ansible) and run by python3 with the tree's paths put in for /etc/localtime and
// /usr/share/zoneinfo/. Its setting is run with /bin/sh on the same trees. Plans and the schema.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, link, mkdir, mkdtemp, readFile, readlink, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import timezone, { parseZone, planTimezone, setZoneCommand, zoneCommand } from '../../modules/timezone.js';

const SOURCE = '/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/timezone.py';

/** BSDTimezone.__get_timezone's body, as shipped, with the tree's paths. */
async function oracle(localtime: string, zoneinfo: string): Promise<{ name: string; warning: string | undefined }> {
  const text = await readFile(SOURCE, 'utf8').catch(() => {
    throw new Error(`community.general's timezone.py is the oracle here (${SOURCE}: scripts/setup-test-deps.sh installs ansible)`);
  });
  const start = text.indexOf('    def __get_timezone(self):');
  const end = text.indexOf('    def get(self, key, phase):', start);
  const body = text
    .slice(start, end)
    .replace('def __get_timezone(self):', 'def get_timezone(self):')
    .replaceAll("'/usr/share/zoneinfo/'", JSON.stringify(`${zoneinfo}/`))
    .replaceAll("'/etc/localtime'", JSON.stringify(localtime));
  const program = `import os, filecmp, sys\nclass M:\n    warning = None\n    def warn(self, m): M.warning = m\nclass T:\n    module = M()\n${body}\nprint(T().get_timezone()); print(M.warning or '')\n`;
  const [name = '', warning = ''] = execFileSync('python3', ['-c', program], { encoding: 'utf8' }).split('\n');
  return { name, warning: warning === '' ? undefined : warning };
}

const read = (localtime: string, zoneinfo: string, name?: string) => parseZone(execFileSync('/bin/sh', ['-c', zoneCommand(name, localtime, zoneinfo).text], { encoding: 'utf8' }));

let dir = '';
let zoneinfo = '';
beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'timezone-')));
  zoneinfo = join(dir, 'zoneinfo');
  for (const sub of ['Arctic', 'Etc', 'Europe']) await mkdir(join(zoneinfo, sub), { recursive: true });
  await writeFile(join(zoneinfo, 'UTC'), 'TZif-utc');
  await writeFile(join(zoneinfo, 'Zulu'), 'TZif-utc');
  await link(join(zoneinfo, 'UTC'), join(zoneinfo, 'Etc', 'UTC'));
  await writeFile(join(zoneinfo, 'Europe', 'Berlin'), 'TZif-berlin');
  await writeFile(join(zoneinfo, 'Europe', 'Oslo'), 'TZif-oslo!!');
  await writeFile(join(zoneinfo, 'Arctic', 'Longyearbyen'), 'TZif-berlin');
  await symlink('Berlin', join(zoneinfo, 'Europe', 'Busingen'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('timezone: reading /etc/localtime as BSDTimezone does', () => {
  it.each([
    ['missing', async (_l: string) => undefined, 'UTC'],
    ['a link into zoneinfo', async (l: string) => symlink(join(zoneinfo, 'Europe', 'Berlin'), l), 'Europe/Berlin'],
    ['a copy: the first match in sorted os.walk order', async (l: string) => copyFile(join(zoneinfo, 'Europe', 'Berlin'), l), 'Arctic/Longyearbyen'],
    ['a copy of UTC: top-level files before subdirectories', async (l: string) => copyFile(join(zoneinfo, 'UTC'), l), 'UTC'],
    ['bytes of no zone', async (l: string) => writeFile(l, 'TZif-nowhere'), 'UTC'],
    ['a same-sized file of other bytes', async (l: string) => writeFile(l, 'TZif-berlim'), 'UTC'],
  ])('%s', async (name, make, zone) => {
    const localtime = join(dir, `localtime-${name.replace(/\W+/g, '-')}`);
    await make(localtime);
    const expected = await oracle(localtime, zoneinfo);
    const got = read(localtime, zoneinfo);
    expect({ name: got.current, warning: got.warning }).toEqual(expected);
    expect(expected.name).toBe(zone);
  });

  it('says whether the wanted zone file is there (os.path.isfile: links followed)', () => {
    const localtime = join(dir, 'none');
    expect(read(localtime, zoneinfo, 'Europe/Berlin').valid).toBe(true);
    expect(read(localtime, zoneinfo, 'Europe/Busingen').valid).toBe(true);
    expect(read(localtime, zoneinfo, 'Europe/Atlantis').valid).toBe(false);
    expect(read(localtime, zoneinfo, 'Europe').valid).toBe(false);
  });
});

describe('timezone: setting', () => {
  it('makes /etc/localtime a link to the zone file over what was there, and reads back as the zone', async () => {
    const localtime = join(dir, 'set-localtime');
    await copyFile(join(zoneinfo, 'UTC'), localtime);
    execFileSync('/bin/sh', ['-c', setZoneCommand('Europe/Oslo', localtime, zoneinfo).text]);
    expect(await readlink(localtime)).toBe(join(zoneinfo, 'Europe', 'Oslo'));
    expect(read(localtime, zoneinfo).current).toBe('Europe/Oslo');
    execFileSync('/bin/sh', ['-c', setZoneCommand('Europe/Berlin', localtime, zoneinfo).text]);
    expect(read(localtime, zoneinfo).current).toBe('Europe/Berlin');
    // No temporary links left behind.
    expect(spawnSync('/bin/sh', ['-c', `ls ${dir} | grep -c set-localtime.`], { encoding: 'utf8' }).stdout.trim()).toBe('0');
  });

  it('plans the link only when the zone differs; a zone without a file fails as Ansible', () => {
    const p = (params: Record<string, unknown>) => timezone.params.parse(params);
    const berlin = planTimezone(p({ name: 'Europe/Berlin' }), { current: 'UTC', valid: true });
    expect(berlin.steps.map((s) => s.kind)).toEqual(['change']);
    expect(berlin.values).toEqual({ diff: { before: { name: 'UTC' }, after: { name: 'Europe/Berlin' } } });
    expect(planTimezone(p({ name: 'Europe/Berlin' }), { current: 'Europe/Berlin', valid: true }).steps.map((s) => s.kind)).toEqual(['noop']);
    expect(planTimezone(p({ name: 'Mars/Olympus' }), { current: 'UTC', valid: false }).failure).toBe('Mars/Olympus is not a recognized timezone');
    expect(planTimezone(p({ name: 'UTC' }), { current: 'UTC', warning: 'Could not read /etc/localtime. Assuming UTC.', valid: true }).notes).toEqual(['Could not read /etc/localtime. Assuming UTC.']);
  });

  it('takes name; refuses hwclock/rtc (BSDTimezone fails them) and neither', () => {
    expect(timezone.params.safeParse({ name: 'UTC' }).success).toBe(true);
    expect(JSON.stringify(timezone.params.safeParse({ name: 'UTC', hwclock: 'UTC' }).error?.issues)).toMatch(/hwclock is not a supported option on target platform/);
    expect(JSON.stringify(timezone.params.safeParse({ rtc: 'local' }).error?.issues)).toMatch(/hwclock is not a supported option/);
    expect(JSON.stringify(timezone.params.safeParse({}).error?.issues)).toMatch(/one of the following is required: hwclock, name/);
  });
});
