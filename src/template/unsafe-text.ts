// Ansible's `!unsafe`: a string that is never templated. beastie keeps plain strings everywhere
// (variables, parameters), so an unsafe string is written as the Jinja that renders to exactly
// its text — `{% raw +%}…{%+ endraw %}` (the `+` keep trim_blocks and lstrip_blocks off) — and
// rendering it, however often, gives the text back; the rendered text is data and never
// rendered again.

/** Text that has no template markers needs no wrapping. */
const MARKERS = /\{[{%#]/;

/** A string whose rendering is `text`, whatever it holds. */
export function unsafeText(text: string): string {
  if (!MARKERS.test(text)) return text;
  // A raw block ends at the first endraw tag, so every `{%` inside is given as a literal instead.
  return text
    .split('{%')
    .map((part) => `{% raw +%}${part}{%+ endraw +%}`)
    .join("{{ '{%' }}");
}
