// Collections on Python's sys.path, searched after collections_path as ansible-core 2.14's
// _AnsibleCollectionFinder does (utils/collection_loader/_collection_finder.py: `if
// scan_sys_paths: paths.extend(sys.path)`, COLLECTIONS_SCAN_SYS_PATH default true). Checked with
// Debian's ansible-playbook 2.14.18: `roles: [community.mongodb.mongodb_auth]` lists its tasks from
// /usr/lib/python3/dist-packages/ansible_collections, and with ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
// the role is not found. /usr/bin/python3's sys.path there: /usr/local/lib/python3.11/dist-packages,
// /usr/lib/python3/dist-packages (after the stdlib).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectionsPathSetting } from '../../src/cli/play-command.js';
import { ansibleSettings } from '../../src/config/ansible-settings.js';
import { pythonSysPath } from '../../src/config/python-sys-path.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'beastie-sys-path-'));
  const holding = ['usr/lib/python3/dist-packages', 'usr/local/lib/python3.9/site-packages', 'usr/local/lib/python3.11/dist-packages', 'usr/local/lib/python3.11/site-packages', 'usr/local/lib/python-other/site-packages', 'home/me/.local/lib/python3.11/site-packages', 'opt/py'];
  for (const dir of holding) mkdirSync(join(root, dir, 'ansible_collections'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/python3.11/site-packages'), { recursive: true });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("Python's sys.path as collection roots", () => {
  it("PYTHONPATH, the user site, then /usr/local's and /usr's site dirs, the newest python first; only those holding ansible_collections", () => {
    const home = join(root, 'home/me');
    expect(pythonSysPath({ PYTHONPATH: `${join(root, 'opt/py')}:/nonexistent/py`, HOME: home }, root)).toEqual([
      join(root, 'opt/py'),
      join(home, '.local/lib/python3.11/site-packages'),
      join(root, 'usr/local/lib/python3.11/dist-packages'),
      join(root, 'usr/local/lib/python3.11/site-packages'),
      join(root, 'usr/local/lib/python3.9/site-packages'),
      join(root, 'usr/lib/python3/dist-packages'),
    ]);
  });

  it('come after collections_path, unless collections_scan_sys_path is false', () => {
    const env = { HOME: '/home/me', ANSIBLE_COLLECTIONS_PATH: '/srv/colls' };
    const scanned = collectionsPathSetting(ansibleSettings(undefined, env, '/cwd'), env, root);
    expect(scanned.slice(0, 2)).toEqual(['/srv/colls', join(root, 'usr/local/lib/python3.11/dist-packages')]);
    expect(scanned).toContain(join(root, 'usr/lib/python3/dist-packages'));
    const off = { ...env, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'false' };
    expect(collectionsPathSetting(ansibleSettings(undefined, off, '/cwd'), off, root)).toEqual(['/srv/colls']);
  });
});
