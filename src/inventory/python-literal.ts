// INI inventory values are Python literals: Ansible passes each through ast.literal_eval and keeps
// the text as a string when that fails (plugins/inventory/ini.py _parse_value), so `port=22` is a
// number, `b=True` a boolean, `l="[1, 2]"` a list, and `YES`, `07` or `a b` stay strings. The
// reader is the one rendered values are read back with (src/jinja/python-literal.ts), without
// the JSON names Templar adds.
import { pythonLiteralEval } from '../jinja/python-literal.js';
import { toPlain } from '../jinja/values.js';

/** The value Ansible would give an INI inventory value: a Python literal, or the text itself. */
export function parseIniValue(text: string): unknown {
  const read = pythonLiteralEval(text, { jsonNames: false });
  // Plain values, as inventory variables are everywhere else (a float 5.0 is the number 5).
  return read === undefined ? text : toPlain(read.value);
}
