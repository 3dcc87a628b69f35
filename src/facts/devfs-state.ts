// What devfs knows about one ruleset: the rules files that define rulesets, and whether the
// ruleset is loaded in the running kernel (`devfs rule -s N show`, docs/freebsd/devfs.md).
import { sh } from '../command/command.js';
import { defineFact, type Fact } from './fact.js';

export interface DevfsState {
  /** The text of the rules file, or undefined when it does not exist. */
  readonly rulesFile: string | undefined;
  /** The system defaults (`/etc/defaults/devfs.rules`), for number clashes with its rulesets. */
  readonly defaultsFile: string;
  /** `devfs rule -s N show` lines: the ruleset as loaded now (empty when not loaded). */
  readonly loadedRules: readonly string[];
}

/** Read `path`, the defaults file and the loaded ruleset `number`, in one command. */
export function devfsStateFact(path: string, number: number): Fact<DevfsState> {
  const mark = '@@devfs-section@@';
  return defineFact(
    `devfs-state:${path}:${number}`,
    sh`if [ -f ${path} ]; then echo present; cat ${path}; else echo absent; fi; echo ${mark}; cat /etc/defaults/devfs.rules 2>/dev/null; echo ${mark}; devfs rule -s ${number} show 2>/dev/null`,
    (output) => {
      const [file = '', defaults = '', loaded = ''] = output.stdout.split(`${mark}\n`);
      const present = file.startsWith('present\n');
      return {
        rulesFile: present ? file.slice('present\n'.length) : undefined,
        defaultsFile: defaults,
        loadedRules: loaded.split('\n').filter((line) => line.trim() !== ''),
      };
    },
  );
}
