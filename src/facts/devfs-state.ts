// What devfs knows about one ruleset: the rules files that define rulesets, and whether the
// ruleset is loaded in the running kernel (`devfs rule -s N show`, docs/freebsd/devfs.md).
import { sh } from '../command/command.js';
import { defineFact, type Fact } from './fact.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand } from './sections.js';

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
  return defineFact(
    `devfs-state:${path}:${number}`,
    sectionedCommand([
      ['rules', catOrAbsent(path)],
      ['defaults', sh`cat /etc/defaults/devfs.rules`],
      ['loaded', sh`devfs rule -s ${number} show`],
    ]),
    (output) => {
      const sections = parseSections(output.stdout);
      return {
        rulesFile: fileSection(sections, 'rules'),
        defaultsFile: sections.get('defaults') ?? '',
        loadedRules: (sections.get('loaded') ?? '').split('\n').filter((line) => line.trim() !== ''),
      };
    },
  );
}
