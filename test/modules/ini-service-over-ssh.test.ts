// ini_file and service with a hyphenated rc.d script (issue 12) on the simulated FreeBSD fleet over
// the real SSH transport: three ways (apply → changed, --check on a fresh host → changed and nothing
// written, apply again → ok), with the registered results Ansible documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iniFile from '../../modules/ini_file.js';
import service from '../../modules/service.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
const hosts = { applied: 'sim01', fresh: 'sim02' };

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
}, 180_000);
afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
});

const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;

describe('ini_file on the fleet', () => {
  it('three ways, then a changed value with backup_file, then the option absent', async () => {
    for (const host of ['sim01', 'sim02']) await sh(host, "mkdir -p /usr/local/etc && printf '[PHP]\\nmemory_limit = 128M\\n\\n[Session]\\n;session.save_path = \"/tmp\"\\n' > /usr/local/etc/php.ini");
    const params = { path: '/usr/local/etc/php.ini', section: 'Session', option: 'session.save_path', value: '/var/tmp' };
    const { first } = await threeWayOverSsh(sessions, fleet, iniFile, params, hosts);
    expect(first.values).toMatchObject({ path: '/usr/local/etc/php.ini', msg: 'option changed' });
    expect(await sh('sim01', 'cat /usr/local/etc/php.ini')).toBe('[PHP]\nmemory_limit = 128M\n\n[Session]\nsession.save_path = /var/tmp\n');
    const changed = await sessions.run(iniFile, 'sim01', { ...params, section: 'PHP', option: 'memory_limit', value: '256M', backup: true });
    expect(changed).toMatchObject({ status: 'changed', values: { msg: 'option changed' } });
    expect(await sh('sim01', `cat '${String(changed.values['backup_file'])}'`)).toContain('memory_limit = 128M');
    const absent = { path: '/usr/local/etc/php.ini', section: 'Session', option: 'session.save_path', state: 'absent' };
    expect(await sessions.run(iniFile, 'sim01', absent)).toMatchObject({ status: 'changed', values: { msg: 'option changed' } });
    expect(await sh('sim01', 'cat /usr/local/etc/php.ini')).toBe('[PHP]\nmemory_limit = 256M\n\n[Session]\n');
    expect((await sessions.run(iniFile, 'sim01', absent)).status).toBe('ok');
  });
});

/**
 * A port's rc.d script whose file name is no variable name (older lang/php* ports' php-fpm, with
 * name=php_fpm). The simulated hosts have no /etc/rc.subr, so the script prints rc.subr's rcvar
 * listing and status lines itself (docs/freebsd/pkg-service.md).
 */
const phpFpm = `#!/bin/sh
name=php_fpm
v=$(sysrc -n php_fpm_enable 2>/dev/null); : "\${v:=NO}"
pidf=/var/run/php-fpm.pid
case $1 in
rcvar) printf '# %s\\n#\\n%s_enable="%s"\\n#   (default: "")\\n\\n' "$name" "$name" "$v" ;;
onestatus) if [ -f $pidf ]; then echo "$name is running as pid $(cat $pidf)."; else echo "$name is not running."; exit 1; fi ;;
onestart) echo "Starting $name."; echo $$ > $pidf ;;
onestop) rm -f $pidf ;;
esac
`;

describe('service with a hyphenated rc.d script on the fleet', () => {
  it("enables php-fpm through the rcvar it lists (php_fpm_enable) and starts it, three ways", async () => {
    for (const host of ['sim01', 'sim02']) {
      const result = await fleet.ssh(host, `mkdir -p /usr/local/etc/rc.d && cat > /usr/local/etc/rc.d/php-fpm <<'EOF'\n${phpFpm}EOF\nchmod 555 /usr/local/etc/rc.d/php-fpm`);
      expect(result.exitCode, result.stderr).toBe(0);
    }
    await threeWayOverSsh(sessions, fleet, service, { name: 'php-fpm', enabled: true, state: 'started' }, hosts);
    expect(await sh('sim01', 'sysrc -n php_fpm_enable; service php-fpm onestatus')).toMatch(/^YES\nphp_fpm is running as pid \d+\.\n$/);
    expect((await fleet.ssh('sim01', 'sysrc -n php-fpm_enable')).exitCode).not.toBe(0);
  });
});
