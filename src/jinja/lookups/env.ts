// lookup('env', NAME): a variable of the controller's environment, or `default` ('' by default).
import { pyStr } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';

export const envLookup: Lookup = (terms, options) => {
  checkOptions('env', options, ['default']);
  return terms.map((term) => process.env[pyStr(term)] ?? options['default'] ?? '');
};
