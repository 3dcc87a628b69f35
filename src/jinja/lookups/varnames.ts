// lookup('varnames', REGEX, …): the names of the variables in scope that a Python regex finds
// anywhere in them (ansible.builtin.varnames: re.search per name; anchor with ^ as written),
// the terms' matches in order.
import { JinjaRenderError } from '../errors.js';
import { pythonRegExp } from '../python-regex.js';
import { pyStr } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';

export const varnamesLookup: Lookup = (terms, options, scope) => {
  checkOptions('varnames', options, []);
  const names = scope.variableNames();
  return terms.flatMap((term) => {
    if (typeof term !== 'string') throw new JinjaRenderError(`Invalid setting identifier, "${pyStr(term)}" is not a string, it is a ${typeof term}`);
    const pattern = pythonRegExp(term, '');
    return names.filter((name) => pattern.test(name));
  });
};
