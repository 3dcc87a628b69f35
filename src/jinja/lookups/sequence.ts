// lookup('sequence', 'start=1 end=10 stride=2 format=host%02d') and the `1-10/2:fmt` shortcut
// (Ansible's plugins/lookup/sequence.py): a list of formatted numbers.
import { JinjaRenderError } from '../errors.js';
import { binary } from '../operators.js';
import { pyStr } from '../values.js';
import type { Lookup } from './lookup.js';

function number(text: string): number {
  const value = /^0x/i.test(text) ? parseInt(text, 16) : /^0o?\d/.test(text) && text.length > 1 ? parseInt(text.replace(/^0o?/, ''), 8) : Number(text);
  if (!Number.isInteger(value)) throw new JinjaRenderError(`can't parse ${text} as an integer`);
  return value;
}

export const sequenceLookup: Lookup = (terms, options) =>
  terms.flatMap((term) => {
    const text = pyStr(term).trim();
    const params: Record<string, string> = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, pyStr(v)]));
    const shortcut = /^(?:(-?\w+)-)?(-?\w+)(?:\/(-?\w+))?(?::(.+))?$/.exec(text);
    if (!text.includes('=') && shortcut !== null) {
      if (shortcut[1] !== undefined) params['start'] = shortcut[1];
      params['end'] = shortcut[2] ?? '';
      if (shortcut[3] !== undefined) params['stride'] = shortcut[3];
      if (shortcut[4] !== undefined) params['format'] = shortcut[4];
    } else {
      for (const pair of text.split(/\s+/).filter((p) => p !== '')) {
        const at = pair.indexOf('=');
        if (at < 0) throw new JinjaRenderError(`lookup sequence: can't parse arg '${pair}'`);
        params[pair.slice(0, at)] = pair.slice(at + 1);
      }
    }
    const start = number(params['start'] ?? '1');
    const stride = number(params['stride'] ?? '1');
    const format = params['format'] ?? '%d';
    let end: number;
    if (params['count'] !== undefined) {
      if (params['end'] !== undefined) throw new JinjaRenderError("can't specify both count and end in with_sequence");
      end = start + (number(params['count']) - 1) * stride;
    } else if (params['end'] !== undefined) end = number(params['end']);
    else throw new JinjaRenderError("must specify count or end in with_sequence");
    if (stride === 0) return [];
    if ((stride > 0 && end < start) || (stride < 0 && end > start)) throw new JinjaRenderError('to count backwards make stride negative');
    const out: string[] = [];
    for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(pyStr(binary('%', format, i)));
    return out;
  });
