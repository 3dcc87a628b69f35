// Ansible's to_datetime and strftime filters (plugins/filter/core.py).
import { PyDateTime, strftime, strptime } from '../datetime.js';
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { isNumber, numberOf, pyStr, truthy } from '../values.js';

export const dateFilters: Readonly<Record<string, Filter>> = {
  to_datetime: {
    fn: (value, call) => {
      const format = pyStr(call.args[0] ?? call.kwargs['format'] ?? '%Y-%m-%d %H:%M:%S');
      const date = strptime(pyStr(value), format);
      if (date === undefined) throw new JinjaRenderError(`time data '${pyStr(value)}' does not match format '${format}'`);
      return new PyDateTime(date);
    },
  },
  strftime: {
    fn: (value, call) => {
      const second = call.args[0] ?? call.kwargs['second'];
      const utc = truthy(call.args[1] ?? call.kwargs['utc'] ?? false);
      let epoch = Date.now() / 1000;
      if (second !== undefined && second !== null) {
        epoch = isNumber(second) ? numberOf(second) : Number(pyStr(second));
        if (Number.isNaN(epoch)) throw new JinjaRenderError(`Invalid value for epoch value (${pyStr(second)})`);
      }
      return strftime(pyStr(value), new Date(epoch * 1000), utc);
    },
  },
};
