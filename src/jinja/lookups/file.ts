// lookup('file', …): the contents of controller files, found on the search path, right-stripped
// unless rstrip=false (Ansible's plugins/lookup/file.py).
import { readFileSync } from 'node:fs';
import { JinjaRenderError } from '../errors.js';
import { pyStr, truthy } from '../values.js';
import { checkOptions, findInSearchPath, type Lookup } from './lookup.js';

export const fileLookup: Lookup = (terms, options, scope) => {
  checkOptions('file', options, ['rstrip', 'lstrip']);
  return terms.map((term) => {
    const name = pyStr(term);
    const found = findInSearchPath(name, 'files', scope);
    if (found === undefined) throw new JinjaRenderError(`could not locate file in lookup: ${name}`, `put it in the role's files/ or beside the playbook (searched: ${scope.searchDirs.join(', ') || 'nothing'})`);
    let text = readFileSync(found, 'utf8');
    if (truthy(options['rstrip'] ?? true)) text = text.trimEnd();
    if (truthy(options['lstrip'] ?? false)) text = text.trimStart();
    return text;
  });
};
