// The directories of Python's sys.path that ansible-core scans for installed collections after
// collections_path: utils/collection_loader/_collection_finder.py _AnsibleCollectionFinder.__init__
// appends sys.path when COLLECTIONS_SCAN_SYS_PATH (default true; $ANSIBLE_COLLECTIONS_SCAN_SYS_PATH,
// ansible.cfg [defaults] collections_scan_sys_path), keeping each entry that holds an
// ansible_collections directory. OS packages of Ansible put theirs there: Debian's ansible in
// /usr/lib/python3/dist-packages/ansible_collections (`ansible-galaxy collection list`), FreeBSD's
// py-ansible port in /usr/local/lib/pythonX.Y/site-packages, pip --user in
// ~/.local/lib/pythonX.Y/site-packages. beastie runs no Python, so it lists the entries a python3
// would have, in sys.path's order (PYTHONPATH, the user site, then the system's site dirs), for
// every python3.X found, the newest first.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The python3.X names under `dir`, the newest first. */
function pythonVersions(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const minor = (name: string) => Number(/^python3\.(\d+)$/.exec(name)?.[1] ?? -1);
  return names.filter((name) => minor(name) >= 0).sort((a, b) => minor(b) - minor(a));
}

/** Whether `entry` holds an ansible_collections directory (the finder keeps only those). */
function holdsCollections(entry: string): boolean {
  try {
    return statSync(join(entry, 'ansible_collections')).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The sys.path entries a python3 on this machine would have that hold collections (an
 * ansible_collections directory), as the finder keeps them. `root` is
 * where the file system starts (tests give a scratch tree); `env` gives PYTHONPATH and HOME.
 */
export function pythonSysPath(env: NodeJS.ProcessEnv, root = '/'): string[] {
  const fromEnv = (env['PYTHONPATH'] ?? '').split(':').filter((entry) => entry !== '');
  const home = env['HOME'];
  const userLib = home === undefined ? undefined : join(home, '.local', 'lib');
  const user = userLib === undefined ? [] : pythonVersions(userLib).map((python) => join(userLib, python, 'site-packages'));
  const local = join(root, 'usr', 'local', 'lib');
  const system = join(root, 'usr', 'lib');
  const entries = [
    ...fromEnv,
    ...user,
    ...pythonVersions(local).flatMap((python) => [join(local, python, 'dist-packages'), join(local, python, 'site-packages')]),
    join(system, 'python3', 'dist-packages'),
    ...pythonVersions(system).flatMap((python) => [join(system, python, 'site-packages'), join(system, python, 'dist-packages')]),
  ];
  return entries.filter(holdsCollections);
}
