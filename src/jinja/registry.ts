// The shapes of filters, tests and globals the engine calls, and what they may know about the
// render that calls them (variables, search path, other templates).
import type { CallArgs } from './values.js';

/** What a filter, test or lookup may ask of the render calling it. */
/**
 * The key under which a runner's variable view (a host's `hostvars[name]`) offers a copy of itself
 * with more variables, its templated values then rendered over those too: a function
 * `(extra) => view`. community.general.merge_variables' `groups=` renders each host's variables
 * over them plus `hostvars`, as the plugin's copy_with_new_env(available_variables=…) does. A plain
 * mapping has no such key.
 */
export const WITH_VARS: unique symbol = Symbol('beastie.withVars');

export interface RenderScope {
  /** A variable by name, as the template sees it (undefined when missing). */
  variable(name: string): unknown;
  /** Every variable name visible at the top level. */
  variableNames(): readonly string[];
  /** Directories searched for `lookup('file')`, `lookup('template')`, includes: role dirs first, then the playbook's. */
  readonly searchDirs: readonly string[];
  /** Render another template text with the same variables (lookup('template')). */
  renderText(text: string, name: string, extraVars?: Readonly<Record<string, unknown>>): string;
  /**
   * Render a template text over `vars` alone — no other variable, no globals — as a filter plugin
   * that calls environment.from_string(text).render(**vars) gets it (ansible.utils get_path).
   */
  renderBare(text: string, vars: Readonly<Record<string, unknown>>): unknown;
  /**
   * Render a template text over `vars` as a plugin's own Templar renders it (available_variables =
   * `vars`, then template(text)): the globals too (`lookup`, `query`, `range`, `dict`, …), the same
   * search dirs, a whole value read back from its text as renderBare's (community.general dependent).
   */
  renderTemplar(text: string, vars: Readonly<Record<string, unknown>>): unknown;
}

/** A filter: the value before the `|`, then its arguments. */
export interface Filter {
  readonly fn: (value: unknown, call: CallArgs, scope: RenderScope) => unknown;
  /** `default`, `mandatory`: the filter itself decides what an undefined value means. */
  readonly acceptsUndefined?: boolean;
}

/** A test: `value is name(args)`. */
export interface Test {
  /** The test's answer; `is not` and select() read it as Python truthiness. */
  readonly fn: (value: unknown, call: CallArgs, scope: RenderScope) => unknown;
  /** `defined`, `undefined`: the test looks at undefined values without failing. */
  readonly acceptsUndefined?: boolean;
}

/** A function of the global namespace: `range(…)`, `lookup(…)`, `dict(…)`. */
export type GlobalFunction = (call: CallArgs, scope: RenderScope) => unknown;
