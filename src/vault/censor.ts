// Decrypted vault values never reach output, events, reports or the log: every string on its way
// out has each revealed value replaced by ***. This is beastie's addition — Ansible prints a
// vaulted variable that a task shows (`debug: var=...`) in clear.
import type { Reporter, RunEvent } from '../output/events.js';

/** `value` with every occurrence of each secret (strings, deep in lists and mappings) replaced by ***. */
export function censor<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  return censorValue(value, [...secrets].sort((a, b) => b.length - a.length)) as T;
}

function censorText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

function censorValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return censorText(value, secrets);
  if (Array.isArray(value)) return value.map((item: unknown) => censorValue(item, secrets));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, censorValue(item, secrets)]));
  }
  return value;
}

/** A reporter that censors every event before `inner` sees it. */
export class CensoringReporter implements Reporter {
  constructor(
    private readonly inner: Reporter,
    /** Read at each event: values decrypted later in the run (include_vars) count too. */
    private readonly secrets: () => ReadonlySet<string>,
  ) {}

  emit(event: RunEvent): void {
    this.inner.emit(censor(event, this.secrets()));
  }

  close(): void | Promise<void> {
    return this.inner.close?.();
  }
}

/** A serialised JSON log line censored: each secret as written and as JSON escapes it. */
export function censorJsonLine(line: string, secrets: ReadonlySet<string>): string {
  if (secrets.size === 0) return line;
  const forms = [...secrets].flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  return censorText(line, [...new Set(forms)].sort((a, b) => b.length - a.length));
}
