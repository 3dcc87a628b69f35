// The runner's Templates, backed by Handlebars rendering (src/template/render.ts).
import { hasTemplate, renderDeep } from '../template/render.js';
import type { Templates } from './services.js';

/** Templates whose `lookup "file"` searches `searchDirs`. */
export function handlebarsTemplates(searchDirs: readonly string[] = []): Templates {
  return {
    render: (value, vars, source) => renderDeep(value, vars, { source, searchDirs }),
    isTemplate: (text) => hasTemplate(text),
  };
}
