// Jinja2's builtin filters on text and sequences (jinja2/filters.py), with Jinja2's defaults:
// sort, dictsort, min and max ignore case unless told; map / select / selectattr take a filter,
// a test or an attribute path (`a.b`, `0`).
import { JinjaRenderError } from '../errors.js';
import { attribute, formatSpec, item, pythonAttribute } from '../methods.js';
import { binary } from '../operators.js';
import type { Filter, RenderScope } from '../registry.js';
import { allTests } from '../tests.js';
import { isDict, isTuple, iterate, numberOf, pyCompare, pyEquals, pyRepr, pyStr, truthy, tuple, typeName, Undefined, type CallArgs } from '../values.js';

function arg(call: CallArgs, index: number, name: string, fallback?: unknown): unknown {
  return call.args[index] ?? call.kwargs[name] ?? fallback;
}

/** Jinja2's make_attrgetter: `a.b.0` walks mappings and list indexes. */
export function attributePath(value: unknown, path: unknown, fallback?: unknown): unknown {
  let current = value;
  const parts = typeof path === 'number' ? [path] : pyStr(path).split('.');
  for (const part of parts) {
    current = typeof part === 'number' || /^\d+$/.test(part) ? item(current, Number(part)) : attribute(current, part);
    if (current instanceof Undefined) break;
  }
  if (current instanceof Undefined && fallback !== undefined) return fallback;
  return current;
}

/** A sort key: strings ignore case unless `caseSensitive`. */
function key(value: unknown, caseSensitive: boolean): unknown {
  return !caseSensitive && typeof value === 'string' ? value.toLowerCase() : value;
}

function sorted(items: readonly unknown[], by: (v: unknown) => unknown, reverse: boolean): unknown[] {
  const out = [...items].sort((a, b) => pyCompare(by(a), by(b)));
  return reverse ? out.reverse() : out;
}

/** Jinja2's title(): every word starts upper case, the rest lower. */
function title(text: string): string {
  return text
    .split(/([-\s({[<]+)/)
    .filter((part) => part !== '')
    .map((part) => (part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()))
    .join('');
}

/** A value Python cannot put in a set: a list or a dict, or a tuple holding one. */
function isUnhashable(value: unknown): boolean {
  if (isDict(value)) return true;
  if (Array.isArray(value)) return !isTuple(value) || value.some(isUnhashable);
  return false;
}

function selectOrReject(scope: RenderScope, value: unknown, call: CallArgs, byAttribute: boolean, keep: boolean): unknown[] {
  // Jinja2's select_or_reject starts with `if value:`, so none (a json_query that found nothing) selects nothing.
  if (!truthy(value)) return [];
  const items = iterate(value);
  const args = [...call.args];
  const attr = byAttribute ? args.shift() : undefined;
  const testName = args.shift();
  const subject = (entry: unknown): unknown => (byAttribute ? attributePath(entry, attr) : entry);
  if (testName === undefined) return items.filter((entry) => truthy(subject(entry)) === keep);
  const test = allTests.get(pyStr(testName).replace(/^ansible\.builtin\./, ''));
  if (test === undefined) throw new JinjaRenderError(`No test named '${pyStr(testName)}'.`);
  return items.filter((entry) => {
    const v = subject(entry);
    if (v instanceof Undefined && test.acceptsUndefined !== true) v.fail();
    return truthy(test.fn(v, { args, kwargs: call.kwargs }, scope)) === keep;
  });
}

function wordwrap(text: string, width: number, breakLongWords: boolean, wrapstring: string): string {
  return text
    .split(/\r?\n/)
    .map((paragraph) => {
      const words = paragraph.split(/\s+/).filter((w) => w !== '');
      const lines: string[] = [];
      let line = '';
      for (let word of words) {
        while (breakLongWords && word.length > width) {
          if (line !== '') {
            lines.push(line);
            line = '';
          }
          lines.push(word.slice(0, width));
          word = word.slice(width);
        }
        if (line === '') line = word;
        else if (line.length + 1 + word.length <= width) line += ` ${word}`;
        else {
          lines.push(line);
          line = word;
        }
      }
      if (line !== '') lines.push(line);
      return lines.join(wrapstring);
    })
    .join(wrapstring);
}

export function builtinFilters(filterByName: (name: string) => Filter | undefined): Readonly<Record<string, Filter>> {
  return {
    attr: { fn: (value, call) => pythonAttribute(value, pyStr(call.args[0])) },
    batch: {
      fn: (value, call) => {
        const size = numberOf(arg(call, 0, 'linecount') as number);
        const fill = arg(call, 1, 'fill_with');
        const items = iterate(value);
        const out: unknown[][] = [];
        for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
        const last = out.at(-1);
        if (fill !== undefined && last !== undefined) while (last.length < size) last.push(fill);
        return out;
      },
    },
    capitalize: { fn: (value) => { const s = pyStr(value); return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(); } },
    center: { fn: (value, call) => { const s = pyStr(value); const width = numberOf((arg(call, 0, 'width', 80)) as number); const pad = Math.max(0, width - s.length); const left = Math.floor(pad / 2) + (pad & width & 1); return ' '.repeat(left) + s + ' '.repeat(pad - left); } },
    length: { fn: (value) => (typeof value === 'string' ? [...value].length : iterate(value).length) },
    dictsort: {
      fn: (value, call) => {
        if (!isDict(value)) throw new JinjaRenderError('You can only sort by either "key" or "value"');
        const caseSensitive = truthy(arg(call, 0, 'case_sensitive', false));
        const by = pyStr(arg(call, 1, 'by', 'key'));
        const index = by === 'key' ? 0 : by === 'value' ? 1 : -1;
        if (index < 0) throw new JinjaRenderError('You can only sort by either "key" or "value"');
        const pairs = Object.entries(value).map(([k, v]) => tuple([k, v]));
        return sorted(pairs, (pair) => key((pair as unknown[])[index], caseSensitive), truthy(arg(call, 2, 'reverse', false)));
      },
    },
    escape: { fn: (value) => pyStr(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] ?? c) },
    first: { fn: (value) => { const items = iterate(value); return items.length > 0 ? items[0] : new Undefined('first', 'No first item, sequence was empty.'); } },
    last: { fn: (value) => { const items = iterate(value); return items.length > 0 ? items.at(-1) : new Undefined('last', 'No last item, sequence was empty.'); } },
    format: { fn: (value, call) => binary('%', pyStr(value), Object.keys(call.kwargs).length > 0 ? call.kwargs : tuple([...call.args])) },
    groupby: {
      fn: (value, call) => {
        const attr = arg(call, 0, 'attribute');
        const fallback = arg(call, 1, 'default');
        const caseSensitive = truthy(arg(call, 2, 'case_sensitive', false));
        const items = sorted(iterate(value), (entry) => key(attributePath(entry, attr, fallback), caseSensitive), false);
        const groups: [unknown, unknown[]][] = [];
        for (const entry of items) {
          const grouper = attributePath(entry, attr, fallback);
          const last = groups.at(-1);
          if (last !== undefined && pyEquals(key(last[0], caseSensitive), key(grouper, caseSensitive))) last[1].push(entry);
          else groups.push([grouper, [entry]]);
        }
        return groups.map((group) => tuple(group));
      },
    },
    indent: {
      fn: (value, call) => {
        const width = arg(call, 0, 'width', 4);
        const pad = typeof width === 'string' ? width : ' '.repeat(numberOf(width as number));
        const first = truthy(arg(call, 1, 'first', false));
        const blank = truthy(arg(call, 2, 'blank', false));
        const text = pyStr(value);
        const lines = text.split('\n');
        const out = lines.map((line, i) => (i === 0 && !first) || (!blank && line.trim() === '') ? line : pad + line);
        return out.join('\n');
      },
    },
    items: { fn: (value) => (value instanceof Undefined ? [] : isDict(value) ? Object.entries(value).map((pair) => tuple(pair)) : (() => { throw new JinjaRenderError(`Can only get item pairs from a mapping.`); })()) },
    join: {
      fn: (value, call) => {
        const separator = pyStr(arg(call, 0, 'd', ''));
        const attr = arg(call, 1, 'attribute');
        return iterate(value).map((entry) => pyStr(attr === undefined ? entry : attributePath(entry, attr))).join(separator);
      },
    },
    lower: { fn: (value) => pyStr(value).toLowerCase() },
    upper: { fn: (value) => pyStr(value).toUpperCase() },
    map: {
      fn: (value, call, scope) => {
        // Jinja2's map starts with `if value:`: none maps to nothing.
        if (!truthy(value)) return [];
        const items = iterate(value);
        if (call.kwargs['attribute'] !== undefined) return items.map((entry) => attributePath(entry, call.kwargs['attribute'], call.kwargs['default']));
        const [name, ...rest] = call.args;
        if (name === undefined) return items;
        const filter = filterByName(pyStr(name));
        if (filter === undefined) throw new JinjaRenderError(`No filter named '${pyStr(name)}'.`);
        const kwargs = call.kwargs;
        return items.map((entry) => {
          if (entry instanceof Undefined && filter.acceptsUndefined !== true) entry.fail();
          return filter.fn(entry, { args: rest, kwargs }, scope);
        });
      },
    },
    max: {
      fn: (value, call) => {
        const items = iterate(value);
        if (items.length === 0) return new Undefined('max', 'No aggregated item, sequence was empty.');
        const caseSensitive = truthy(arg(call, 0, 'case_sensitive', false));
        const attr = arg(call, 1, 'attribute');
        const by = (v: unknown): unknown => key(attr === undefined ? v : attributePath(v, attr), caseSensitive);
        return items.reduce((best, entry) => (pyCompare(by(entry), by(best)) > 0 ? entry : best));
      },
    },
    min: {
      fn: (value, call) => {
        const items = iterate(value);
        if (items.length === 0) return new Undefined('min', 'No aggregated item, sequence was empty.');
        const caseSensitive = truthy(arg(call, 0, 'case_sensitive', false));
        const attr = arg(call, 1, 'attribute');
        const by = (v: unknown): unknown => key(attr === undefined ? v : attributePath(v, attr), caseSensitive);
        return items.reduce((best, entry) => (pyCompare(by(entry), by(best)) < 0 ? entry : best));
      },
    },
    pprint: { fn: (value) => pyRepr(value) },
    reject: { fn: (value, call, scope) => selectOrReject(scope, value, call, false, false) },
    rejectattr: { fn: (value, call, scope) => selectOrReject(scope, value, call, true, false) },
    select: { fn: (value, call, scope) => selectOrReject(scope, value, call, false, true) },
    selectattr: { fn: (value, call, scope) => selectOrReject(scope, value, call, true, true) },
    replace: {
      fn: (value, call) => {
        const text = pyStr(value);
        const old = pyStr(arg(call, 0, 'old'));
        const replacement = pyStr(arg(call, 1, 'new'));
        const count = arg(call, 2, 'count');
        if (count === undefined || count === null) return text.split(old).join(replacement);
        let out = text;
        let at = 0;
        for (let i = 0; i < numberOf(count as number); i++) {
          const found = out.indexOf(old, at);
          if (found < 0) break;
          out = out.slice(0, found) + replacement + out.slice(found + old.length);
          at = found + replacement.length;
        }
        return out;
      },
    },
    reverse: { fn: (value) => (typeof value === 'string' ? [...value].reverse().join('') : [...iterate(value)].reverse()) },
    safe: { fn: (value) => value },
    slice: {
      fn: (value, call) => {
        const items = iterate(value);
        const slices = numberOf(arg(call, 0, 'slices') as number);
        const fill = arg(call, 1, 'fill_with');
        const perSlice = Math.floor(items.length / slices);
        const withExtra = items.length % slices;
        const out: unknown[][] = [];
        let offset = 0;
        for (let i = 0; i < slices; i++) {
          const start = offset + i * perSlice;
          if (i < withExtra) offset++;
          const end = offset + (i + 1) * perSlice;
          const part = items.slice(start, end);
          if (fill !== undefined && i >= withExtra) part.push(fill);
          out.push(part);
        }
        return out;
      },
    },
    sort: {
      fn: (value, call) => {
        const reverse = truthy(arg(call, 0, 'reverse', false));
        const caseSensitive = truthy(arg(call, 1, 'case_sensitive', false));
        const attr = arg(call, 2, 'attribute');
        return sorted(iterate(value), (v) => key(attr === undefined ? v : attributePath(v, attr), caseSensitive), reverse);
      },
    },
    striptags: { fn: (value) => pyStr(value).replace(/<!--[\s\S]*?-->|<[^>]*>/g, '').replace(/\s+/g, ' ').trim() },
    sum: {
      fn: (value, call) => {
        const attr = arg(call, 0, 'attribute');
        const start = arg(call, 1, 'start', 0);
        return iterate(value).reduce((total, entry) => binary('+', total, attr === undefined ? entry : attributePath(entry, attr)), start);
      },
    },
    title: { fn: (value) => title(pyStr(value)) },
    trim: {
      fn: (value, call) => {
        const chars = arg(call, 0, 'chars');
        const text = pyStr(value);
        if (chars === undefined || chars === null) return text.trim();
        const set = new Set([...pyStr(chars)]);
        const letters = [...text];
        let from = 0;
        let to = letters.length;
        while (from < to && set.has(letters[from] ?? '')) from++;
        while (to > from && set.has(letters[to - 1] ?? '')) to--;
        return letters.slice(from, to).join('');
      },
    },
    truncate: {
      fn: (value, call) => {
        const text = pyStr(value);
        const length = numberOf(arg(call, 0, 'length', 255) as number);
        const killwords = truthy(arg(call, 1, 'killwords', false));
        const end = pyStr(arg(call, 2, 'end', '...'));
        const leeway = numberOf(arg(call, 3, 'leeway', 5) as number);
        if (text.length <= length + leeway) return text;
        if (killwords) return text.slice(0, length - end.length) + end;
        const cut = text.slice(0, length - end.length);
        const space = cut.lastIndexOf(' ');
        return (space < 0 ? cut : cut.slice(0, space)) + end;
      },
    },
    unique: {
      fn: (value, call) => {
        const given = arg(call, 0, 'case_sensitive');
        const caseSensitive = truthy(given ?? false);
        const attr = arg(call, 1, 'attribute');
        const seen: unknown[] = [];
        const out: unknown[] = [];
        const items = iterate(value);
        for (const entry of items) {
          const k = key(attr === undefined ? entry : attributePath(entry, attr), caseSensitive);
          if (isUnhashable(k)) {
            // Ansible's unique (plugins/filter/mathstuff.py, 2.14): Jinja2's fails on an unhashable
            // key (its `seen` is a set); with case_sensitive=False or an attribute that is the
            // failure, else Ansible's own loop keeps each item not equal to one kept before.
            if (given === false || truthy(attr ?? null)) {
              throw new JinjaRenderError(`Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied. unhashable type: '${typeName(k)}'`);
            }
            const kept: unknown[] = [];
            for (const item of items) if (!kept.some((other) => pyEquals(other, item))) kept.push(item);
            return kept;
          }
          if (seen.some((s) => pyEquals(s, k))) continue;
          seen.push(k);
          out.push(entry);
        }
        return out;
      },
    },
    urlencode: {
      fn: (value) => {
        // Jinja2's url_quote: '/' kept in a string, a query's pairs quoted fully with spaces as '+'.
        const quote = (v: unknown): string => encodeURIComponent(pyStr(v)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%7E/g, '~');
        const pair = (v: unknown): string => quote(v).replace(/%20/g, '+');
        if (isDict(value)) return Object.entries(value).map(([k, v]) => `${pair(k)}=${pair(v)}`).join('&');
        if (Array.isArray(value)) return value.map((entry) => iterate(entry).map(pair).join('=')).join('&');
        return quote(value).replace(/%2F/g, '/');
      },
    },
    wordcount: { fn: (value) => (pyStr(value).match(/\w+/gu) ?? []).length },
    wordwrap: {
      fn: (value, call) => wordwrap(pyStr(value), numberOf(arg(call, 0, 'width', 79) as number), truthy(arg(call, 1, 'break_long_words', true)), pyStr(arg(call, 2, 'wrapstring', '\n'))),
    },
    xmlattr: {
      fn: (value, call) => {
        if (!isDict(value)) throw new JinjaRenderError('xmlattr needs a mapping');
        const autospace = truthy(arg(call, 0, 'autospace', true));
        const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] ?? c);
        const parts = Object.entries(value).filter(([, v]) => v !== null && !(v instanceof Undefined)).map(([k, v]) => `${esc(k)}="${esc(pyStr(v))}"`);
        return (autospace && parts.length > 0 ? ' ' : '') + parts.join(' ');
      },
    },
    filesizeformat: {
      fn: (value, call) => {
        const bytes = numberOf(value as number);
        const binaryUnits = truthy(arg(call, 0, 'binary', false));
        const base = binaryUnits ? 1024 : 1000;
        const units = binaryUnits ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
        if (bytes === 1) return '1 Byte';
        if (bytes < base) return `${bytes} Bytes`;
        let unit = '';
        let size = bytes;
        for (let i = 0; i < units.length; i++) {
          unit = units[i] ?? '';
          size = bytes / base ** (i + 2);
          if (bytes < base ** (i + 2)) return `${formatSpec(bytes / base ** (i + 1), '.1f')} ${unit}`;
        }
        return `${formatSpec(size * base, '.1f')} ${unit}`;
      },
    },
    forceescape: { fn: (value) => pyStr(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] ?? c) },
  };
}
