// lookup('vars', NAME, …): variables by (templated) name, with `default` for missing ones.
import { JinjaRenderError } from '../errors.js';
import { pyStr } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';

export const varsLookup: Lookup = (terms, options, scope) => {
  checkOptions('vars', options, ['default']);
  return terms.map((term) => {
    const name = pyStr(term);
    const value = scope.variable(name);
    if (value !== undefined) return value;
    if (Object.hasOwn(options, 'default')) return options['default'];
    throw new JinjaRenderError(`No variable found with this name: ${name}`, `define '${name}' or pass default=`);
  });
};
