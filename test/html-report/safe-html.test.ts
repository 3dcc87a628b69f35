import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from '../../src/html-report/safe-html.js';

describe('safe-html', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it('escapes values, passes fragments, joins arrays, drops undefined and false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(inner).toBeInstanceOf(SafeHtml);
    expect(html`<p>${inner}${['<', html`<br>`]}${undefined}${false}${0}</p>`.text).toBe('<p><b>&#60;i&#62;</b>&#60;<br>0</p>');
  });

  it('treats a string that looks like markup as text, never as a fragment', () => {
    const value: unknown = '<script>x</script>';
    expect(html`${value}`.text).toBe('&#60;script&#62;x&#60;/script&#62;');
  });
});
