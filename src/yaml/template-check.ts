// Load-time check of the template syntax of every string under a YAML node, each error located
// at the string that holds it. Used by the playbook loader and by the vars-file reader.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { checkTemplate } from '../template/render.js';
import type { Problems } from './problems.js';
import type { YamlSource } from './yaml-source.js';

/** Record a problem for each string under `node` whose template does not parse. */
export function checkTemplates(src: YamlSource, node: Node | null, problems: Problems): void {
  if (node === null) return;
  if (isScalar(node)) {
    if (typeof node.value !== 'string') return;
    const problem = checkTemplate(node.value);
    if (problem) problems.add(src.ref(node), `template: ${problem.message}`, problem.fix);
    return;
  }
  if (isSeq(node)) for (const item of node.items) checkTemplates(src, src.resolve(item as Node), problems);
  if (isMap(node)) for (const pair of node.items) checkTemplates(src, src.resolve((pair.value as Node | null) ?? null), problems);
}
