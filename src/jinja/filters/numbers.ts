// Ansible's number filters (plugins/filter/mathstuff.py, module_utils/common/text/formatters.py):
// human_readable, human_to_bytes, log, pow, root.
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { isNumber, makeFloat, numberOf, pyStr, truthy, type CallArgs } from '../values.js';

const sizeRanges: readonly (readonly [string, number])[] = [
  ['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1],
];

function arg(call: CallArgs, index: number, name: string, fallback?: unknown): unknown {
  return call.args[index] ?? call.kwargs[name] ?? fallback;
}

/** formatters.bytes_to_human. */
export function bytesToHuman(size: number, isbits: boolean, unit: string | undefined): string {
  const base = isbits ? 'bits' : 'Bytes';
  let suffix = 'B';
  let limit = 1;
  for ([suffix, limit] of sizeRanges) {
    if ((unit === undefined && size >= limit) || (unit !== undefined && unit.toUpperCase() === suffix[0])) break;
  }
  const label = limit !== 1 ? suffix + (base[0] ?? '') : base;
  return `${(size / limit).toFixed(2)} ${label}`;
}

/** formatters.human_to_bytes. */
export function humanToBytes(input: unknown, defaultUnit: string | undefined, isbits: boolean): number {
  const text = pyStr(input);
  const match = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  const num = match === null || match[1] === '' || match[1] === '.' ? Number.NaN : Number(match[1]);
  if (Number.isNaN(num)) throw new JinjaRenderError(`human_to_bytes() can't interpret following string: ${text}`);
  const unit = match?.[2] ?? defaultUnit;
  if (unit === undefined) return Math.round(num);
  const rangeKey = (unit[0] ?? '').toUpperCase();
  const limit = sizeRanges.find(([key]) => key === rangeKey)?.[1];
  if (limit === undefined) throw new JinjaRenderError(`human_to_bytes() failed to convert ${text} (unit = ${unit}). The suffix must be one of Y, Z, E, P, T, G, M, K, B`);
  const unitClass = isbits ? 'b' : 'B';
  const unitClassName = isbits ? 'bit' : 'byte';
  if (unit.length > 1 && !unit.toLowerCase().includes(unitClassName) && unit[1] !== unitClass) {
    const expect = rangeKey === 'B' ? `expect ${unitClass} or ${unitClassName}` : `expect ${rangeKey}${unitClass} or ${rangeKey}`;
    throw new JinjaRenderError(`human_to_bytes() failed to convert ${text}. Value is not a valid string (${expect})`);
  }
  return Math.round(num * limit);
}

function number(value: unknown, filter: string): number {
  if (!isNumber(value)) throw new JinjaRenderError(`${filter}() can only be used on numbers`);
  return numberOf(value);
}

export const numberFilters: Readonly<Record<string, Filter>> = {
  human_readable: {
    fn: (value, call) => {
      const unit = arg(call, 1, 'unit');
      const size = typeof value === 'string' ? Number(value) : number(value, 'human_readable');
      if (Number.isNaN(size)) throw new JinjaRenderError(`human_readable() can't interpret following string: ${pyStr(value)}`);
      return bytesToHuman(size, truthy(arg(call, 0, 'isbits', false)), unit === undefined || unit === null ? undefined : pyStr(unit));
    },
  },
  human_to_bytes: {
    fn: (value, call) => {
      const unit = arg(call, 0, 'default_unit');
      return humanToBytes(value, unit === undefined || unit === null ? undefined : pyStr(unit), truthy(arg(call, 1, 'isbits', false)));
    },
  },
  log: {
    fn: (value, call) => {
      const base = arg(call, 0, 'base');
      const x = number(value, 'log');
      if (base === undefined) return makeFloat(Math.log(x));
      const b = number(base, 'log');
      return makeFloat(b === 10 ? Math.log10(x) : Math.log(x) / Math.log(b));
    },
  },
  pow: { fn: (value, call) => makeFloat(number(value, 'pow') ** number(call.args[0], 'pow')) },
  root: {
    fn: (value, call) => {
      const base = number(arg(call, 0, 'base', 2), 'root');
      return makeFloat(base === 2 ? Math.sqrt(number(value, 'root')) : number(value, 'root') ** (1 / base));
    },
  },
};
