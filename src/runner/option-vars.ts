// The variables Ansible gives every host from the command line (utils/vars.py load_options_vars)
// and the run itself: ansible_check_mode, ansible_diff_mode, ansible_forks, ansible_run_tags,
// ansible_skip_tags, ansible_limit (only with --limit), ansible_verbosity, ansible_version,
// playbook_dir and omit. Nothing overrides them.
import { ansibleVersionVar } from '../ansible-version.js';
import { OMIT } from '../template/render.js';
import type { TagSelection } from './tags.js';
import type { Vars } from './services.js';

/** The run options the variables come from (a part of PlaybookOptions, so this file needs nothing of the run). */
export interface OptionVarsSource {
  readonly check: boolean;
  readonly diff: boolean;
  readonly forks: number;
  readonly tags: TagSelection;
  readonly limit?: readonly string[] | undefined;
  readonly verbosity: number;
}

/** The run's option variables; `playbookDir` is absolute. */
export function optionVars(options: OptionVarsSource, playbookDir: string): Vars {
  return {
    ansible_check_mode: options.check,
    ansible_diff_mode: options.diff,
    ansible_forks: options.forks,
    // Ansible's defaults when no --tags / --skip-tags is given.
    ansible_run_tags: options.tags.only.length === 0 ? ['all'] : [...options.tags.only],
    ansible_skip_tags: [...options.tags.skip],
    ...(options.limit === undefined ? {} : { ansible_limit: options.limit.join(',') }),
    ansible_verbosity: options.verbosity,
    ansible_version: ansibleVersionVar(),
    playbook_dir: playbookDir,
    omit: OMIT,
  };
}
