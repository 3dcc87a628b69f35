// POSIX sh quoting: the only way a value enters a command string.

/** Quote one word for /bin/sh: `it's` → `'it'\''s'`. Safe words are left bare for readable logs. */
export function quoteShellWord(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
