// bastille etcupdate (etcupdate.sh of BastilleBSD/bastille tag 1.4.4, docs/freebsd/bastille.md):
// Bastille's own checks before it calls etcupdate(8): the three-line usage with its options for
// fewer than 2 or more than 3 arguments or an update without RELEASE, "Unknown Option" without
// [ERROR], one TARGET (no ALL), the [TARGET]: line, the unknown action, -d refused by diff and
// resolve, and update refused until the release's tarball is bootstrapped. All on stderr.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT } from './seed-steps.js';

const USAGE = {
  stdout:
    '\n    Options:\n\n    -d | --dry-run     Show output, but do not apply.\n    -f | --force       Force a re-bootstrap of a RELEASE.\n' +
    '    -x | --debug       Enable debug mode.\n\n',
  stderr:
    'Usage: bastille etcupdate [option(s)] bootstrap RELEASE\n                                      TARGET update RELEASE\n' +
    '                                      TARGET diff|resolve\n',
  code: 1,
};

describe('bastille etcupdate (current profile, Bastille 1.4.4)', () => {
  const r = scenarioBox('current', [
    BOOT,
    step('jail', 'bastille bootstrap 14.3-RELEASE >/dev/null 2>&1 && bastille create a 14.3-RELEASE 10.1.1.5 em0 >/dev/null 2>&1; jls name'),
    step('one', 'bastille etcupdate a'),
    step('four', 'bastille etcupdate a update 14.3-RELEASE x'),
    step('norelease', 'bastille etcupdate a update'),
    step('option', 'bastille etcupdate -q a diff'),
    step('all', 'bastille etcupdate ALL diff'),
    step('action', 'bastille etcupdate a merge'),
    step('drydiff', 'bastille etcupdate -d a diff'),
    step('dryresolve', 'bastille etcupdate --dry-run a resolve'),
    step('untarred', 'bastille etcupdate a update 14.3-RELEASE'),
    step('pkgbase', 'bastille etcupdate bootstrap 16.0-RELEASE'),
  ], 120_000);

  it('prints its three-line usage with the options for a wrong count or an update without RELEASE', () => {
    expect(r['jail']?.stdout).toBe('a\n');
    expect(r['one']).toEqual(USAGE);
    expect(r['four']).toEqual(USAGE);
    expect(r['norelease']).toEqual({ ...USAGE, stderr: `\n[a]:\n${USAGE.stderr}` });
  });

  it('refuses an unknown option, ALL, an unknown action, and -d for diff and resolve', () => {
    expect(r['option']).toEqual({ stdout: '\n', stderr: 'Unknown Option: "-q"\n', code: 1 });
    expect(r['all']).toEqual({ stdout: '\n', stderr: '[all|ALL] not supported with this command.\n', code: 1 });
    expect(r['action']).toEqual({ stdout: '\n', stderr: '\n[a]:\n[ERROR]: Unknown action: "merge"\n', code: 1 });
    expect(r['drydiff']).toEqual({ stdout: '\n', stderr: '\n[a]:\n[ERROR]: diff mode does not support [-d|--dryrun]\n', code: 1 });
    expect(r['dryresolve']).toEqual({ stdout: '\n', stderr: '\n[a]:\n[ERROR]: resolve mode does not support [-d|--dryrun]\n', code: 1 });
  });

  it('refuses update until the release is bootstrapped, and a pkgbase release not bootstrapped', () => {
    expect(r['untarred']).toEqual({
      stdout: '\n',
      stderr: "\n[a]:\n[ERROR]: Please run 'bastille etcupdate bootstrap RELEASE' first.\n",
      code: 1,
    });
    expect(r['pkgbase']).toEqual({
      stdout: '\n',
      stderr: '\nAttempting to bootstrap etcupdate release: 16.0-RELEASE...\n[ERROR]: Release not found: 16.0-RELEASE\n',
      code: 1,
    });
  });
});
