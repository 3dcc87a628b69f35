// Refuses a template that names a filter or test that does not exist, when it is parsed — as
// Jinja2's compiler does ("No filter named 'lenght'.") — with the nearest known name.
import { didYouMean } from '../text/did-you-mean.js';
import type { Expr, FilterCall, Node } from './ast.js';
import { JinjaSyntaxError } from './errors.js';

/** The names a template may use. */
export interface KnownNames {
  readonly filters: ReadonlyMap<string, unknown>;
  readonly tests: ReadonlyMap<string, unknown>;
}

function known(name: string, table: ReadonlyMap<string, unknown>): boolean {
  return table.has(name.startsWith('ansible.builtin.') ? name.slice('ansible.builtin.'.length) : name);
}

function unknown(kind: 'filter' | 'test', name: string, table: ReadonlyMap<string, unknown>, at: number): never {
  const near = didYouMean(name, [...table.keys()]);
  throw new JinjaSyntaxError(`No ${kind} named '${name}'.`, at, near === undefined ? `see the ${kind}s in src/template/TEMPLATES.md` : `did you mean '${near}'?`);
}

function expr(node: Expr | undefined, names: KnownNames): void {
  if (node === undefined) return;
  switch (node.k) {
    case 'const':
    case 'name':
      return;
    case 'getattr':
      expr(node.object, names);
      return;
    case 'getitem':
      expr(node.object, names);
      expr(node.key, names);
      return;
    case 'slice':
      [node.object, node.start, node.stop, node.step].forEach((e) => expr(e, names));
      return;
    case 'call':
      [node.callee, ...node.args, ...node.kwargs.map(([, e]) => e), node.star, node.dstar].forEach((e) => expr(e, names));
      return;
    case 'filter':
      if (!known(node.name, names.filters)) unknown('filter', node.name, names.filters, node.at);
      [node.subject, ...node.args, ...node.kwargs.map(([, e]) => e)].forEach((e) => expr(e, names));
      return;
    case 'test':
      if (!known(node.name, names.tests)) unknown('test', node.name, names.tests, node.at);
      [node.subject, ...node.args, ...node.kwargs.map(([, e]) => e)].forEach((e) => expr(e, names));
      return;
    case 'list':
    case 'tuple':
      node.items.forEach((e) => expr(e, names));
      return;
    case 'dict':
      node.pairs.forEach(([k, v]) => (expr(k, names), expr(v, names)));
      return;
    case 'cond':
      [node.test, node.then, node.otherwise].forEach((e) => expr(e, names));
      return;
    case 'binary':
      expr(node.left, names);
      expr(node.right, names);
      return;
    case 'unary':
      expr(node.operand, names);
      return;
    case 'compare':
      expr(node.first, names);
      node.rest.forEach(([, e]) => expr(e, names));
      return;
  }
}

function filters(calls: readonly FilterCall[], names: KnownNames): void {
  for (const call of calls) {
    if (!known(call.name, names.filters)) unknown('filter', call.name, names.filters, call.at);
    [...call.args, ...call.kwargs.map(([, e]) => e)].forEach((e) => expr(e, names));
  }
}

/** Throws JinjaSyntaxError at the first unknown filter or test of `nodes`. */
export function checkNames(nodes: readonly Node[], names: KnownNames): void {
  for (const node of nodes) {
    switch (node.k) {
      case 'text':
        break;
      case 'print':
        expr(node.expr, names);
        break;
      case 'if':
        expr(node.test, names);
        checkNames(node.body, names);
        checkNames(node.otherwise, names);
        break;
      case 'for':
        expr(node.iter, names);
        expr(node.filter, names);
        checkNames(node.body, names);
        checkNames(node.otherwise, names);
        break;
      case 'set':
        expr(node.expr, names);
        break;
      case 'setblock':
        filters(node.filters, names);
        checkNames(node.body, names);
        break;
      case 'macro':
        node.params.forEach((p) => expr(p.default, names));
        checkNames(node.body, names);
        break;
      case 'callblock':
        expr(node.call, names);
        checkNames(node.body, names);
        break;
      case 'include':
      case 'import':
      case 'fromimport':
        expr(node.template, names);
        break;
      case 'filterblock':
        filters(node.filters, names);
        checkNames(node.body, names);
        break;
      case 'with':
        node.assigns.forEach(([, e]) => expr(e, names));
        checkNames(node.body, names);
        break;
    }
  }
}

/** The same check for a bare expression. */
export function checkExpressionNames(node: Expr, names: KnownNames): void {
  expr(node, names);
}
