// Splits a template into literal text and `{{ … }}` mustaches, and decides per mustache whether
// Handlebars reads it or — for Jinja habits such as `{{ x | default('y') }}` that Handlebars
// cannot parse — beastie's Jinja-like expression language does.
import { handlebarsLibrary } from './handlebars-library.js';
import { parseExpression } from '../expression/parse.js';

/** One piece of a template. */
export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  /** Handlebars syntax, kept as written. */
  | { readonly kind: 'handlebars'; readonly text: string }
  /** A Jinja-style expression, evaluated by the expression language. */
  | { readonly kind: 'expression'; readonly text: string; readonly expression: string };

/** Why a template cannot be read, and what to write instead. */
export interface TemplateSyntaxProblem {
  readonly message: string;
  readonly fix: string;
}

/** Whether a string holds a template at all (only those are rendered). */
export function hasTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

function handlebarsParses(text: string): string | undefined {
  try {
    handlebarsLibrary().parse(text);
    return undefined;
  } catch (error) {
    const lines = (error as Error).message.split('\n');
    return lines.length >= 3 ? `${lines[0] ?? ''} ${lines[1] ?? ''} (at ${String(lines[2]?.indexOf('^'))})` : (error as Error).message;
  }
}

/** The template split into segments, or the syntax problem that stops it. */
export function splitTemplate(text: string): { readonly segments: readonly Segment[] } | { readonly problem: TemplateSyntaxProblem } {
  if (text.includes('{%')) {
    return {
      problem: {
        message: 'Jinja statements ({% … %}) are not supported: beastie templates are Handlebars',
        fix: 'write {{#if cond}}…{{else}}…{{/if}} and {{#each list}}{{this}}{{/each}}',
      },
    };
  }
  const segments: Segment[] = [];
  const blocks: string[] = [];
  let rest = 0;
  while (rest < text.length) {
    const open = text.indexOf('{{', rest);
    if (open < 0) break;
    const triple = text.startsWith('{{{', open);
    const close = text.indexOf(triple ? '}}}' : '}}', open + 2);
    if (close < 0) return { problem: { message: `'{{' at offset ${open} is never closed`, fix: "close it with '}}'" } };
    const end = close + (triple ? 3 : 2);
    if (open > rest) segments.push({ kind: 'text', text: text.slice(rest, open) });
    const raw = text.slice(open, end);
    const inner = raw.slice(triple ? 3 : 2, triple ? -3 : -2).replace(/^~|~$/g, '');
    const handlebarsOnly = triple || /^\s*([#/^>!&{]|else\b)/.test(inner);
    const opens = /^\s*#\s*([A-Za-z_]+)/.exec(inner)?.[1];
    if (opens !== undefined) blocks.push(opens);
    else if (/^\s*\//.test(inner)) blocks.pop();
    if (handlebarsOnly || handlebarsParses(raw) === undefined) {
      segments.push({ kind: 'handlebars', text: raw });
    } else if (parseExpression(inner).ok) {
      // Expressions see the play's variables, not the item of an enclosing #each/#with.
      const scoped = blocks.find((block) => block === 'each' || block === 'with');
      if (scoped !== undefined) {
        return { problem: { message: `Jinja-style '${raw}' cannot be used inside {{#${scoped}}}`, fix: 'use the Handlebars form there, e.g. {{ upper name }} or {{ default name "x" }}' } };
      }
      segments.push({ kind: 'expression', text: raw, expression: inner.trim() });
    } else {
      const parsed = parseExpression(inner);
      // A `|` means a Jinja filter was meant: the expression's own complaint is the useful one.
      if (!parsed.ok && inner.includes('|') && parsed.fix !== undefined) {
        return { problem: { message: `${parsed.message} in '${raw}'`, fix: parsed.fix } };
      }
      const why = parsed.ok ? '' : `; as an expression: ${parsed.message}`;
      return {
        problem: {
          message: `cannot read template '${raw}': ${handlebarsParses(raw) ?? ''}${why}`,
          fix: 'use Handlebars: {{ var }}, {{ a.b }}, {{ list.[0] }}, {{ default var "x" }}, {{ join list "," }}',
        },
      };
    }
    rest = end;
  }
  if (rest < text.length) segments.push({ kind: 'text', text: text.slice(rest) });
  return { segments };
}
