// `--version`: beastie's version and the Ansible release whose playbooks, options and config it
// follows, laid out as `ansible-playbook --version` prints its lines.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ANSIBLE_VERSION_FOLLOWED } from '../ansible-version.js';

/** beastie's own version, from the package.json above this file (works from src/ and dist/). */
export function beastieVersion(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'beastie' && pkg.version !== undefined) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** The --version text of `beastie COMMAND`. */
export function versionText(command: string, configFile: string | undefined): string {
  return [
    `beastie ${command} [beastie ${beastieVersion()}, follows ansible-core ${ANSIBLE_VERSION_FOLLOWED}]`,
    `  config file = ${configFile ?? 'None'}`,
    '  configured module search path = built in (`beastie doc` lists the modules)',
    `  executable location = ${process.argv[1] ?? 'beastie'}`,
    `  node version = ${process.version}`,
    '',
  ].join('\n');
}
