// Text from hosts (command output, error messages, facts) is printed to the operator's terminal;
// a host that prints escape sequences could otherwise retitle the window, clear the screen, hide
// or forge lines, or on some terminals answer back into the input. Every control character other
// than newline and tab (C0, DEL, C1, and a carriage return not ending a line) is shown as a visible
// escape instead: ESC becomes `\x1b`. JSON output needs none of this (JSON.stringify escapes them).

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with its control characters shown as `\xNN` (a CR before LF kept). */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (char, offset: number) => {
    if (char === '\r' && text[offset + 1] === '\n') return char;
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Every string inside `value` made terminal-safe (lists and plain objects walked). */
export function terminalSafeValue<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => terminalSafeValue(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, terminalSafeValue(item)])) as T;
  }
  return value;
}
