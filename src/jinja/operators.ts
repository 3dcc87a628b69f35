// Python's arithmetic, `~` and `in`, as Jinja2 evaluates them: int and float stay apart (`7 // 2`
// is 3, `7 / 2` is 3.5, `4 / 2` is 2.0), strings and lists concatenate and repeat, `%` formats.
import type { BinaryOp } from './ast.js';
import { JinjaRenderError } from './errors.js';
import { PyDateTime, PyTimedelta } from './datetime.js';
import { isDict, isFloat, isNumber, isTuple, makeFloat, numberOf, pyEquals, pyFixed, pyRepr, pyStr, typeName, Undefined } from './values.js';

function unsupported(op: string, left: unknown, right: unknown): never {
  throw new JinjaRenderError(`unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'`, typeof left === 'string' || typeof right === 'string' ? 'convert with | int or | float (registered stdout is a string)' : undefined);
}

function numeric(op: string, left: unknown, right: unknown, compute: (a: number, b: number) => number, forceFloat = false): unknown {
  if (!isNumber(left) || !isNumber(right)) return unsupported(op, left, right);
  const result = compute(numberOf(left), numberOf(right));
  return forceFloat || isFloat(left) || isFloat(right) ? makeFloat(result) : result;
}

/** Python's `%` on a string: printf-style formatting with %s %r %d %i %f %x %o %e %%. */
function formatPercent(format: string, values: unknown): string {
  const args = isTuple(values) ? [...(values as unknown[])] : [values];
  const named = isDict(values) ? values : undefined;
  let next = 0;
  const text = format.replace(/%(\(([^)]*)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdirfFxXoeEgGc%])/g, (_whole, _n, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, kind: string) => {
    if (kind === '%') return '%';
    const value = key !== undefined && named !== undefined ? named[key] : args[next++];
    let out: string;
    switch (kind) {
      case 's':
        out = pyStr(value);
        break;
      case 'r':
        out = pyRepr(value);
        break;
      case 'd':
      case 'i':
        out = String(Math.trunc(numberOf(value as number)));
        break;
      case 'f':
      case 'F':
        out = pyFixed(numberOf(value as number), precision === undefined ? 6 : Number(precision));
        break;
      case 'e':
      case 'E':
        out = numberOf(value as number).toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2');
        if (kind === 'E') out = out.toUpperCase();
        break;
      case 'x':
      case 'X':
        out = Math.trunc(numberOf(value as number)).toString(16);
        if (kind === 'X') out = out.toUpperCase();
        break;
      case 'o':
        out = Math.trunc(numberOf(value as number)).toString(8);
        break;
      case 'c':
        out = typeof value === 'string' ? value : String.fromCodePoint(Number(value));
        break;
      default:
        out = String(numberOf(value as number));
    }
    const size = width === undefined || width === '*' ? 0 : Number(width);
    if (out.length >= size) return out;
    if (flags.includes('-')) return out.padEnd(size);
    return flags.includes('0') && kind !== 's' ? out.padStart(size, '0') : out.padStart(size);
  });
  if (!named && next < args.length) throw new JinjaRenderError('not all arguments converted during string formatting');
  return text;
}

/** The value of `left op right` for the arithmetic operators and `~`. */
export function binary(op: BinaryOp | '+', left: unknown, right: unknown): unknown {
  if (left instanceof Undefined) left.fail();
  if (right instanceof Undefined) right.fail();
  switch (op) {
    case '~':
      return pyStr(left) + pyStr(right);
    case '+':
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
      if (typeof left === 'string' && !isNumber(right)) throw new JinjaRenderError(`can only concatenate str (not "${typeName(right)}") to str`);
      if (typeof left === 'string') throw new JinjaRenderError(`can only concatenate str (not "${typeName(right)}") to str`, 'use ~ to join text and numbers');
      if (Array.isArray(left)) throw new JinjaRenderError(`can only concatenate list (not "${typeName(right)}") to list`);
      return numeric('+', left, right, (a, b) => a + b);
    case '-':
      if (left instanceof PyDateTime && right instanceof PyDateTime) return new PyTimedelta(left.date.getTime() - right.date.getTime());
      return numeric('-', left, right, (a, b) => a - b);
    case '*':
      if (typeof left === 'string' && typeof right === 'number') return left.repeat(Math.max(0, right));
      if (typeof right === 'string' && typeof left === 'number') return right.repeat(Math.max(0, left));
      if (Array.isArray(left) && typeof right === 'number') return Array.from({ length: Math.max(0, right) }, () => left).flat();
      return numeric('*', left, right, (a, b) => a * b);
    case '/':
      return numeric('/', left, right, (a, b) => {
        if (b === 0) throw new JinjaRenderError('division by zero');
        return a / b;
      }, true);
    case '//':
      return numeric('//', left, right, (a, b) => {
        if (b === 0) throw new JinjaRenderError('integer division or modulo by zero');
        return Math.floor(a / b);
      });
    case '%':
      if (typeof left === 'string') return formatPercent(left, right);
      return numeric('%', left, right, (a, b) => {
        if (b === 0) throw new JinjaRenderError('integer division or modulo by zero');
        return ((a % b) + b) % b;
      });
    case '**':
      return numeric('**', left, right, (a, b) => a ** b, isNumber(right) && numberOf(right) < 0);
    default:
      throw new JinjaRenderError(`unknown operator ${op}`);
  }
}

/** Python's `item in container`. */
export function contains(container: unknown, value: unknown): boolean {
  if (container instanceof Undefined) container.fail();
  // A list compares each item with the value, item first (list_contains: an undefined item fails
  // before an undefined value, with its own name); an empty one compares nothing.
  if (value instanceof Undefined && !Array.isArray(container)) value.fail();
  if (typeof container === 'string') {
    if (typeof value !== 'string') throw new JinjaRenderError(`'in <string>' requires string as left operand, not ${typeName(value)}`);
    return container.includes(value);
  }
  if (Array.isArray(container)) return container.some((entry) => pyEquals(entry, value));
  if (isDict(container)) return typeof value === 'string' && Object.hasOwn(container, value);
  throw new JinjaRenderError(`argument of type '${typeName(container)}' is not iterable`);
}
