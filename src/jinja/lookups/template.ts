// lookup('template', FILE): a template file from the search path (templates/ first) rendered with
// the current variables plus `template_vars`.
import { readFileSync } from 'node:fs';
import { JinjaRenderError } from '../errors.js';
import { isDict, pyStr } from '../values.js';
import { checkOptions, findInSearchPath, type Lookup } from './lookup.js';

export const templateLookup: Lookup = (terms, options, scope) => {
  checkOptions('template', options, ['template_vars', 'convert_data']);
  const extra = options['template_vars'];
  return terms.map((term) => {
    const name = pyStr(term);
    const found = findInSearchPath(name, 'templates', scope);
    if (found === undefined) throw new JinjaRenderError(`the template file ${name} could not be found for the lookup`, `put it in the role's templates/ or beside the playbook`);
    return scope.renderText(readFileSync(found, 'utf8'), found, isDict(extra) ? extra : {});
  });
};
