// Python `re` patterns as JavaScript RegExps, for regex_search / regex_replace / the match test:
// named groups `(?P<n>…)` and `(?P=n)`, `\A` / `\Z`, leading inline flags `(?i)`, and Python's
// replacement syntax `\1`, `\g<1>`, `\g<name>`.
import { JinjaRenderError } from './errors.js';

const cache = new Map<string, RegExp>();

/** The RegExp for a Python pattern; `flags` are JavaScript flags (i, m, s, g). */
export function pythonRegExp(pattern: string, flags = ''): RegExp {
  const key = `${flags}\0${pattern}`;
  const cached = cache.get(key);
  if (cached !== undefined) {
    cached.lastIndex = 0;
    return cached;
  }
  let source = pattern;
  let allFlags = flags;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline !== null) {
    for (const flag of inline[1] ?? '') if ('ims'.includes(flag) && !allFlags.includes(flag)) allFlags += flag;
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\Z/g, '$1$(?![\\s\\S])');
  let regexp: RegExp;
  try {
    regexp = new RegExp(source, allFlags.includes('u') ? allFlags : `${allFlags}u`);
  } catch {
    try {
      regexp = new RegExp(source, allFlags);
    } catch (error) {
      throw new JinjaRenderError(`invalid regular expression '${pattern}': ${(error as Error).message}`);
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, regexp);
  return regexp;
}

/** Python's re.sub replacement template applied to one match. */
export function expandReplacement(template: string, match: RegExpExecArray | readonly string[], groups?: Readonly<Record<string, string | undefined>>): string {
  return template.replace(/\\(g<([^>]+)>|\d{1,2}|n|t|r|\\)/g, (_whole, what: string, name: string | undefined) => {
    if (what === 'n') return '\n';
    if (what === 't') return '\t';
    if (what === 'r') return '\r';
    if (what === '\\') return '\\';
    const ref = name ?? what;
    if (/^\d+$/.test(ref)) return match[Number(ref)] ?? '';
    const named = groups?.[ref];
    if (named === undefined && !(groups !== undefined && Object.hasOwn(groups, ref))) throw new JinjaRenderError(`unknown group name '${ref}'`);
    return named ?? '';
  });
}
