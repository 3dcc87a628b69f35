// The datetime and timedelta values of to_datetime: `(to_datetime(a) - to_datetime(b)).days`,
// `.total_seconds()`, `.strftime(fmt)` — and strftime/strptime for the common % codes.

const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A naive datetime (no zone), held as UTC fields. */
export class PyDateTime {
  constructor(readonly date: Date) {}

  toString(): string {
    return strftime('%Y-%m-%d %H:%M:%S', this.date, true) + (this.date.getUTCMilliseconds() !== 0 ? `.${pad(this.date.getUTCMilliseconds() * 1000, 6)}` : '');
  }
}

/** The difference of two datetimes. */
export class PyTimedelta {
  constructor(readonly milliseconds: number) {}

  get days(): number {
    return Math.floor(this.milliseconds / 86_400_000);
  }

  get seconds(): number {
    return Math.floor((this.milliseconds - this.days * 86_400_000) / 1000);
  }

  toString(): string {
    const d = this.days;
    const s = this.seconds;
    const clock = `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
    return d === 0 ? clock : `${d} day${Math.abs(d) === 1 ? '' : 's'}, ${clock}`;
  }
}

/** C's strftime for the codes Ansible content uses; `utc` reads the UTC fields. */
export function strftime(format: string, date: Date, utc: boolean): string {
  const f = utc
    ? { Y: date.getUTCFullYear(), m: date.getUTCMonth(), d: date.getUTCDate(), H: date.getUTCHours(), M: date.getUTCMinutes(), S: date.getUTCSeconds(), w: date.getUTCDay() }
    : { Y: date.getFullYear(), m: date.getMonth(), d: date.getDate(), H: date.getHours(), M: date.getMinutes(), S: date.getSeconds(), w: date.getDay() };
  const start = utc ? Date.UTC(f.Y, 0, 1) : new Date(f.Y, 0, 1).getTime();
  const dayOfYear = Math.floor((Date.UTC(f.Y, f.m, f.d) - (utc ? start : Date.UTC(f.Y, 0, 1))) / 86_400_000) + 1;
  const offset = utc ? 0 : -date.getTimezoneOffset();
  return format.replace(/%([a-zA-Z%])/g, (whole, code: string) => {
    switch (code) {
      case 'Y': return String(f.Y);
      case 'y': return pad(f.Y % 100);
      case 'm': return pad(f.m + 1);
      case 'd': return pad(f.d);
      case 'e': return String(f.d).padStart(2, ' ');
      case 'H': return pad(f.H);
      case 'I': return pad(f.H % 12 === 0 ? 12 : f.H % 12);
      case 'M': return pad(f.M);
      case 'S': return pad(f.S);
      case 'f': return pad(date.getUTCMilliseconds() * 1000, 6);
      case 'p': return f.H < 12 ? 'AM' : 'PM';
      case 'j': return pad(dayOfYear, 3);
      case 'a': return (days[f.w] ?? '').slice(0, 3);
      case 'A': return days[f.w] ?? '';
      case 'b': case 'h': return (months[f.m] ?? '').slice(0, 3);
      case 'B': return months[f.m] ?? '';
      case 'w': return String(f.w);
      case 'u': return String(f.w === 0 ? 7 : f.w);
      case 's': return String(Math.floor(date.getTime() / 1000));
      case 'z': return `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
      case 'Z': return utc ? 'UTC' : (Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '');
      case 'F': return `${f.Y}-${pad(f.m + 1)}-${pad(f.d)}`;
      case 'T': return `${pad(f.H)}:${pad(f.M)}:${pad(f.S)}`;
      case 'D': return `${pad(f.m + 1)}/${pad(f.d)}/${pad(f.Y % 100)}`;
      case 'c': return `${(days[f.w] ?? '').slice(0, 3)} ${(months[f.m] ?? '').slice(0, 3)} ${String(f.d).padStart(2, ' ')} ${pad(f.H)}:${pad(f.M)}:${pad(f.S)} ${f.Y}`;
      case '%': return '%';
      default: return whole;
    }
  });
}

/** Python's datetime.strptime for %Y %m %d %H %M %S %y %b %f %j and literal text; undefined when it does not match. */
export function strptime(text: string, format: string): Date | undefined {
  const fields: string[] = [];
  const source = format.replace(/%([a-zA-Z%])|([.*+?^${}()|[\]\\])/g, (_w, code: string | undefined, literal: string | undefined) => {
    if (literal !== undefined) return `\\${literal}`;
    if (code === '%') return '%';
    fields.push(code ?? '');
    return { Y: '(\\d{4})', y: '(\\d{2})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', f: '(\\d{1,6})', b: '([A-Za-z]{3})', B: '([A-Za-z]+)', j: '(\\d{1,3})', p: '(AM|PM|am|pm)', z: '([+-]\\d{4}|Z)' }[code ?? ''] ?? '(.+?)';
  });
  const match = new RegExp(`^${source}$`).exec(text);
  if (match === null) return undefined;
  const v = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, ms: 0 };
  let pm: boolean | undefined;
  fields.forEach((code, i) => {
    const raw = match[i + 1] ?? '';
    const n = Number(raw);
    if (code === 'Y') v.Y = n;
    else if (code === 'y') v.Y = n < 69 ? 2000 + n : 1900 + n;
    else if (code === 'm') v.m = n;
    else if (code === 'd') v.d = n;
    else if (code === 'H') v.H = n;
    else if (code === 'M') v.M = n;
    else if (code === 'S') v.S = n;
    else if (code === 'f') v.ms = Math.floor(Number(raw.padEnd(6, '0')) / 1000);
    else if (code === 'b' || code === 'B') v.m = months.findIndex((name) => name.toLowerCase().startsWith(raw.toLowerCase().slice(0, 3))) + 1;
    else if (code === 'p') pm = raw.toLowerCase() === 'pm';
  });
  if (pm === true && v.H < 12) v.H += 12;
  if (pm === false && v.H === 12) v.H = 0;
  return new Date(Date.UTC(v.Y, v.m - 1, v.d, v.H, v.M, v.S, v.ms));
}
