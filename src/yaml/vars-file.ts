// The one reader of YAML files of variables: vars_files, role defaults/ and vars/, include_vars,
// group_vars/ and host_vars/. A mapping of variable names, each value's templates checked.
import { isMap, isScalar } from 'yaml';
import { describeValue } from '../expression/values.js';
import type { SourceRef } from '../source.js';
import type { Problems } from './problems.js';
import { checkTemplates } from './template-check.js';
import { YamlSource } from './yaml-source.js';

/** A variable name as Ansible accepts it. */
export const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variables in `text` (the contents of `file`), or undefined with the problem recorded. */
export function parseVarsFile(file: string, text: string, problems: Problems): Record<string, unknown> | undefined {
  const src = YamlSource.parse(file, text, problems);
  return src === undefined ? undefined : varsOf(src, problems);
}

/** The variables in `file`, or undefined (with the problem recorded) when it is not a mapping of names. */
export function readVarsFile(file: string, problems: Problems, from?: SourceRef): Record<string, unknown> | undefined {
  const src = YamlSource.read(file, problems, from);
  return src === undefined ? undefined : varsOf(src, problems);
}

function varsOf(src: YamlSource, problems: Problems): Record<string, unknown> | undefined {
  const root = src.root;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) {
    problems.add(src.ref(root), `a vars file must be a mapping of variable names (got ${describeValue(src.value(root))})`, 'write one `name: value` per line at the top level of the file');
    return undefined;
  }
  const vars: Record<string, unknown> = {};
  for (const entry of src.entries(root, problems)) {
    if (!identifierPattern.test(entry.key)) {
      problems.add(src.ref(entry.keyNode), `invalid variable name '${entry.key}'`, 'use letters, digits and _, not starting with a digit');
      continue;
    }
    checkTemplates(src, entry.value, problems);
    vars[entry.key] = src.value(entry.value);
  }
  return vars;
}
