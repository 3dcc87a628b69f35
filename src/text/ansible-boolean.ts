// Ansible's boolean() (module_utils/parsing/convert_bool.py): the words it reads as true and as
// false, any case, surrounding blanks ignored. One table for every place a string may spell a
// boolean: module parameters, keywords, inventory connection variables, ansible.cfg, set_fact's
// cacheable.

const trueWords: ReadonlySet<string> = new Set(['yes', 'on', 'y', 'true', 't', '1']);
const falseWords: ReadonlySet<string> = new Set(['no', 'off', 'n', 'false', 'f', '0']);

/** The boolean `text` spells, or undefined when it is none of Ansible's spellings. */
export function ansibleBoolean(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  return trueWords.has(word) ? true : falseWords.has(word) ? false : undefined;
}
