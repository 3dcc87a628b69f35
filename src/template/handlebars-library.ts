// The Handlebars library, loaded the first time a template needs it: a play renders Handlebars
// only for `.hbs` files and texts Jinja cannot read (render.ts), and loading the library costs
// every command ~40 ms of CPU at start-up otherwise (it is CommonJS, with source-map inside).
import { createRequire } from 'node:module';
import type HandlebarsLibrary from 'handlebars';

let loaded: typeof HandlebarsLibrary | undefined;

/** The handlebars package, loaded on the first call. */
export function handlebarsLibrary(): typeof HandlebarsLibrary {
  loaded ??= createRequire(import.meta.url)('handlebars') as typeof HandlebarsLibrary;
  return loaded;
}
