// lookup('pipe', CMD) and lookup('lines', CMD): a command run on the controller with /bin/sh, its
// output right-stripped (pipe) or split into lines (lines), as Ansible's plugins do.
import { spawnSync } from 'node:child_process';
import { JinjaRenderError } from '../errors.js';
import { pyStr } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';

function run(lookup: string, command: string): string {
  const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) throw new JinjaRenderError(`lookup '${lookup}': could not run '${command}': ${result.error.message}`);
  if (result.status !== 0) throw new JinjaRenderError(`lookup_plugin.${lookup}(${command}) returned ${String(result.status)}`);
  return result.stdout;
}

export const pipeLookup: Lookup = (terms, options) => {
  checkOptions('pipe', options, []);
  return terms.map((term) => run('pipe', pyStr(term)).trimEnd());
};

export const linesLookup: Lookup = (terms, options) => {
  checkOptions('lines', options, []);
  return terms.flatMap((term) => run('lines', pyStr(term)).split(/\r?\n/).filter((line, i, all) => i < all.length - 1 || line !== ''));
};
