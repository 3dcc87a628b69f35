// HTML built by a tagged template that escapes every interpolated value, so a task name or a
// host's stderr containing `<script>` stays text. Only fragments built the same way pass through.

/** A fragment of markup already escaped (built by `html` or by `joinHtml`). */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** Text as it may appear in element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** One interpolated value: fragments pass, arrays are joined, everything else is escaped text. */
function piece(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** `html\`<td>${name}</td>\`` — values are escaped unless they are SafeHtml themselves. */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += piece(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted constant markup written in this code base (the page's CSS and script), never data. */
export function trustedConstant(text: string): SafeHtml {
  return new SafeHtml(text);
}
