// Reads a YAML file of variables (vars_files, role defaults/ and vars/, -e @file): a mapping of
// variable names, each located for errors.
import { isMap, isScalar } from 'yaml';
import { describeValue } from '../expression/values.js';
import type { SourceRef } from '../source.js';
import { Fields, identifierPattern } from './fields.js';
import type { Problems } from './problems.js';
import { YamlSource } from './yaml-source.js';

/** The variables in `file`, or undefined (with the problem recorded) when it is not a mapping of names. */
export function readVarsFile(file: string, problems: Problems, from?: SourceRef): Record<string, unknown> | undefined {
  const src = YamlSource.read(file, problems, from);
  if (src === undefined) return undefined;
  const root = src.root;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) {
    problems.add(src.ref(root), `a vars file must be a mapping of variable names (got ${describeValue(src.value(root))})`, 'write one `name: value` per line');
    return undefined;
  }
  const fields = new Fields(src, problems);
  const vars: Record<string, unknown> = {};
  for (const entry of src.entries(root, problems)) {
    if (!identifierPattern.test(entry.key)) {
      problems.add(src.ref(entry.keyNode), `invalid variable name '${entry.key}'`, 'use letters, digits and _, not starting with a digit');
      continue;
    }
    fields.templates(entry.value);
    vars[entry.key] = src.value(entry.value);
  }
  return vars;
}
