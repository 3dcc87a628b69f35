// Variables whose values are templates are rendered when read, against the same variables, as
// Ansible does (`a: "{{ b }}"` sees the b of the host and task using it). Rendering is memoised
// per variable set and a self-referencing chain is an error, not a hang.
import { InvalidInputError } from '../errors.js';
import { WITH_VARS } from '../jinja/registry.js';
import type { SourceRef } from '../source.js';
import type { Templates, Vars } from './services.js';

/** Whether a value holds a template anywhere inside it. */
function holdsTemplate(value: unknown, templates: Templates): boolean {
  if (typeof value === 'string') return templates.isTemplate(value);
  if (Array.isArray(value)) return value.some((v) => holdsTemplate(v, templates));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).some((v) => holdsTemplate(v, templates));
  }
  return false;
}

/** How deep templated variables may refer to each other before it is called a loop. */
const MAX_DEPTH = 50;

/**
 * A read-only view of `merged` whose templated values render on first read. `source` is where
 * errors point when a variable's own template fails (the task using it); names in `final` are
 * returned as they are.
 */
export function lazyVars(merged: Record<string, unknown>, templates: Templates, source: SourceRef, final: ReadonlySet<string> = new Set()): Vars {
  const rendered = new Map<string, unknown>();
  const rendering = new Set<string>();
  let depth = 0;
  const view: Vars = new Proxy(merged, {
    get(target, key) {
      if (key === WITH_VARS) {
        return (extra: Readonly<Record<string, unknown>>): Vars => lazyVars({ ...target, ...extra }, templates, source, new Set([...final, ...Object.keys(extra)]));
      }
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return Reflect.get(target, key);
      if (rendered.has(key)) return rendered.get(key);
      const raw = target[key];
      // `final` values came from a host (facts, registered output): data, never a template.
      if (final.has(key) || !holdsTemplate(raw, templates)) {
        // Remember plain values too: large ones (groups, hostvars) are walked only once.
        rendered.set(key, raw);
        return raw;
      }
      if (rendering.has(key) || depth > MAX_DEPTH) {
        throw new InvalidInputError(`variable '${key}' refers to itself through its template`, {
          source,
          fix: `give '${key}' a value that does not depend on '${key}'`,
        });
      }
      rendering.add(key);
      depth++;
      try {
        const value = templates.render(raw, view, source);
        rendered.set(key, value);
        return value;
      } finally {
        rendering.delete(key);
        depth--;
      }
    },
    getOwnPropertyDescriptor(target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      if (descriptor === undefined || typeof key !== 'string') return descriptor;
      return { ...descriptor, value: view[key] };
    },
    set() {
      return false;
    },
    deleteProperty() {
      return false;
    },
  });
  return view;
}
