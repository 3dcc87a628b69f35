// --tags / --skip-tags as Ansible evaluates them (Taggable.evaluate_tags): `always` runs unless
// skipped by name, `never` runs only when one of its other tags is asked for, `all`, `tagged`
// and `untagged` are the special selectors.

/** The tags asked for on the command line. `only` defaults to ["all"]. */
export interface TagSelection {
  readonly only: readonly string[];
  readonly skip: readonly string[];
}

/** Whether a task with these (inherited) tags runs under the selection. */
export function tagsSelected(taskTags: readonly string[], selection: TagSelection): boolean {
  const tags = new Set(taskTags.length === 0 ? ['untagged'] : taskTags);
  const tagged = !(tags.size === 1 && tags.has('untagged'));
  const only = new Set(selection.only.length === 0 ? ['all'] : selection.only);
  const skip = new Set(selection.skip);
  const intersects = (set: ReadonlySet<string>) => [...tags].some((tag) => set.has(tag));

  let run: boolean;
  if (tags.has('always')) run = true;
  else if (only.has('all') && !tags.has('never')) run = true;
  else if (intersects(only)) run = true;
  else run = only.has('tagged') && tagged && !tags.has('never');

  if (run && skip.size > 0) {
    if (skip.has('all')) {
      if (!tags.has('always') || skip.has('always')) run = false;
    } else if (intersects(skip)) run = false;
    else if (skip.has('tagged') && tagged) run = false;
  }
  return run;
}
