// The functions of Jinja2's and Ansible's global namespace: range, dict, namespace, lipsum-free
// cycler / joiner, and Ansible's lookup / query / q, now, undef.
import { JinjaRenderError } from './errors.js';
import { runLookup } from './lookups/index.js';
import type { GlobalFunction } from './registry.js';
import { Callable, dictFrom, isDict, iterate, Namespace, pyStr, truthy, Undefined } from './values.js';
import { PyDateTime, strftime } from './datetime.js';

function range({ args }: { args: readonly unknown[] }): number[] {
  const numbers = args.map((a) => {
    if (typeof a !== 'number' || !Number.isInteger(a)) throw new JinjaRenderError(`'${pyStr(a)}' object cannot be interpreted as an integer`);
    return a;
  });
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0] ?? 0, 1] : [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 1];
  if (step === 0) throw new JinjaRenderError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) throw new JinjaRenderError('Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
  }
  return out;
}

const globals: Readonly<Record<string, GlobalFunction>> = {
  range,
  dict: ({ args, kwargs }) => dictFrom([...(isDict(args[0]) ? Object.entries(args[0]) : args[0] === undefined ? [] : iterate(args[0]).map((pair) => iterate(pair) as [string, unknown])), ...Object.entries(kwargs)].map(([k, v]) => [pyStr(k), v] as const)),
  namespace: ({ args, kwargs }) => {
    const ns = new Namespace();
    if (isDict(args[0])) for (const [k, v] of Object.entries(args[0])) ns.attrs.set(k, v);
    for (const [k, v] of Object.entries(kwargs)) ns.attrs.set(k, v);
    return ns;
  },
  cycler: ({ args }) => {
    let index = 0;
    const ns = new Namespace();
    ns.attrs.set('next', new Callable('next', () => args[index++ % args.length]));
    ns.attrs.set('reset', new Callable('reset', () => ((index = 0), null)));
    return ns;
  },
  joiner: ({ args }) => {
    let used = false;
    const separator = pyStr(args[0] ?? ', ');
    return new Callable('joiner', () => (used ? separator : ((used = true), '')));
  },
  lookup: (call, scope) => runLookup(call, scope, 'lookup'),
  query: (call, scope) => runLookup(call, scope, 'query'),
  q: (call, scope) => runLookup(call, scope, 'query'),
  now: ({ args, kwargs }) => {
    const utc = truthy(args[0] ?? kwargs['utc'] ?? false);
    const format = args[1] ?? kwargs['fmt'];
    const date = new Date();
    const value = new PyDateTime(utc ? date : new Date(date.getTime() - date.getTimezoneOffset() * 60_000));
    if (format !== undefined && format !== null) return strftime(pyStr(format), value.date, true);
    return value;
  },
  undef: ({ args }) => new Undefined('undef', args[0] === undefined ? 'Mandatory variable has not been overridden' : pyStr(args[0])),
};

/** Every global function, by name. */
export const allGlobals: ReadonlyMap<string, GlobalFunction> = new Map(Object.entries(globals));
