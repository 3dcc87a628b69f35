// Rewrites a parsed Handlebars template so strict mode holds everywhere, which Handlebars itself
// does not do: a helper's arguments and `{{#if x}}`/`{{#each x}}` are looked up leniently by
// Handlebars (a missing `x` is silently undefined). Every variable reference becomes
// `(__var "a" "b" name="a.b")`, which fails with the full dotted name; every output goes through
// `__str` (lists and mappings print as JSON, not "[object Object]"), or `__capture` when the
// template is one whole value whose type the caller keeps.
import { didYouMean } from '../text/did-you-mean.js';
import { builtinBlockHelpers, helperNames } from './helpers.js';
import type { TemplateSyntaxProblem } from './segments.js';

type Loc = hbs.AST.SourceLocation;

/** How the single value of a whole-value template is returned, or that output is a string. */
export type OutputMode = 'string' | 'capture';

const knownHelpers: ReadonlySet<string> = new Set(helperNames);

function stringLiteral(value: string, loc: Loc): hbs.AST.StringLiteral {
  return { type: 'StringLiteral', value, original: value, loc };
}

function pathTo(name: string, loc: Loc): hbs.AST.PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

function hashOf(pairs: readonly [string, hbs.AST.Expression][], loc: Loc): hbs.AST.Hash {
  return { type: 'Hash', pairs: pairs.map(([key, value]) => ({ type: 'HashPair', key, value, loc })), loc };
}

function call(helper: string, params: hbs.AST.Expression[], hash: hbs.AST.Hash, loc: Loc): hbs.AST.SubExpression {
  return { type: 'SubExpression', path: pathTo(helper, loc), params, hash, loc };
}

class Rewriter {
  readonly problems: TemplateSyntaxProblem[] = [];

  constructor(private readonly mode: OutputMode) {}

  program(program: hbs.AST.Program, blockParams: ReadonlySet<string>): void {
    const scope = new Set([...blockParams, ...(program.blockParams ?? [])]);
    program.body = program.body.map((statement) => this.statement(statement, scope));
  }

  private statement(statement: hbs.AST.Statement, scope: ReadonlySet<string>): hbs.AST.Statement {
    switch (statement.type) {
      case 'MustacheStatement':
        return this.mustache(statement as hbs.AST.MustacheStatement, scope);
      case 'BlockStatement': {
        const block = statement as hbs.AST.BlockStatement;
        const name = block.path.original;
        if (!builtinBlockHelpers.includes(name)) {
          this.problems.push({ message: `unknown block helper '#${name}'`, fix: `use one of ${builtinBlockHelpers.map((h) => `#${h}`).join(', ')}` });
        }
        block.params = block.params.map((param) => this.expression(param, scope, false));
        if (block.hash) block.hash.pairs.forEach((pair) => (pair.value = this.expression(pair.value, scope, false)));
        if (block.program) this.program(block.program, scope);
        if (block.inverse) this.program(block.inverse, scope);
        return block;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        this.problems.push({ message: 'Handlebars partials and decorators are not supported', fix: 'use lookup "file" or a template task' });
        return statement;
      default:
        return statement;
    }
  }

  private checkHelper(name: string): void {
    if (knownHelpers.has(name)) return;
    const near = didYouMean(name, [...knownHelpers]);
    this.problems.push({
      message: `unknown helper '${name}'`,
      fix: near ? `did you mean '${near}'?` : `helpers: ${[...knownHelpers].join(', ')}`,
    });
  }

  /** A helper call's arguments, with `default`'s first argument allowed to be undefined. */
  private helperCall(name: string, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, scope: ReadonlySet<string>, loc: Loc): hbs.AST.SubExpression {
    this.checkHelper(name);
    const rewritten = params.map((param, i) => this.expression(param, scope, name === 'default' && i === 0));
    if (hash) hash.pairs.forEach((pair) => (pair.value = this.expression(pair.value, scope, false)));
    return call(name, rewritten, hash ?? hashOf([], loc), loc);
  }

  private expression(expression: hbs.AST.Expression, scope: ReadonlySet<string>, lenient: boolean): hbs.AST.Expression {
    if (expression.type === 'SubExpression') {
      const sub = expression as hbs.AST.SubExpression;
      return this.helperCall(sub.path.original, sub.params, sub.hash, scope, sub.loc);
    }
    if (expression.type !== 'PathExpression') return expression;
    const path = expression as hbs.AST.PathExpression;
    const loc = path.loc;
    const extra: [string, hbs.AST.Expression][] = [['name', stringLiteral(path.original, loc)]];
    if (lenient) extra.push(['lenient', { type: 'BooleanLiteral', value: true, original: true, loc } as hbs.AST.BooleanLiteral]);
    if (path.data) {
      if (path.parts[0] !== 'root') return path;
      extra.push(['root', { type: 'BooleanLiteral', value: true, original: true, loc } as hbs.AST.BooleanLiteral]);
      return call('__var', path.parts.slice(1).map((part) => stringLiteral(part, loc)), hashOf(extra, loc), loc);
    }
    // `../x` and block params are resolved by Handlebars itself (leniently).
    if (path.depth > 0 || (path.parts[0] !== undefined && scope.has(path.parts[0]))) return path;
    return call('__var', path.parts.map((part) => stringLiteral(part, loc)), hashOf(extra, loc), loc);
  }

  private mustache(mustache: hbs.AST.MustacheStatement, scope: ReadonlySet<string>): hbs.AST.MustacheStatement {
    const loc = mustache.loc;
    const hasArguments = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0;
    let value: hbs.AST.Expression;
    const words = mustache.params.map((param) => (param.type === 'PathExpression' ? (param as hbs.AST.PathExpression).original : ''));
    if (words.includes('if') && !knownHelpers.has((mustache.path as hbs.AST.PathExpression).original ?? '')) {
      // `{{ a if b else c }}` reads to Handlebars as a call of helper `a`.
      this.problems.push({ message: "Jinja's inline 'a if b else c' is not supported", fix: 'write {{#if b}}{{ a }}{{else}}{{ c }}{{/if}}' });
      value = mustache.path as hbs.AST.Expression;
    } else if (mustache.path.type === 'PathExpression' && hasArguments) {
      value = this.helperCall((mustache.path as hbs.AST.PathExpression).original, mustache.params, mustache.hash, scope, loc);
    } else {
      // A bare name is a variable, even where a helper has the same name (`{{ quote }}`).
      value = this.expression(mustache.path as hbs.AST.Expression, scope, false);
    }
    return { ...mustache, path: pathTo(this.mode === 'capture' ? '__capture' : '__str', loc), params: [value], hash: hashOf([], loc) };
  }
}

/** Rewrite `program` in place; returns the problems found (unknown helpers, partials). */
export function rewriteTemplate(program: hbs.AST.Program, mode: OutputMode): readonly TemplateSyntaxProblem[] {
  const rewriter = new Rewriter(mode);
  rewriter.program(program, new Set());
  return rewriter.problems;
}
