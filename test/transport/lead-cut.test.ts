// The cut where a lead command's output ends and its batch's reads begin (src/transport/lead-cut.ts):
// wherever the chunks happen to split the announcement or the marker, the command gets exactly its
// own bytes, and the marker is the one the stream announced, never one written into its output.
import { describe, expect, it } from 'vitest';
import { LeadCut } from '../../src/transport/lead-cut.js';
import type { LeadEnds } from '../../src/transport/transport.js';

/** As read-facts.ts's: `@@go W` + host part + `@@\n` first, then `\n@@end-W…@@ ` ends the lead. */
const ENDS: LeadEnds = {
  announce: '@@go W',
  hostPart: /^[0-9a-f]{0,16}$/,
  marker: (stream, hostPart) => (stream === 'stdout' ? `\n@@end-W${hostPart}@@ ` : `\n@@end-W${hostPart}@@\n`),
};

/** Feed `text` in chunks of `size` bytes; what the command got, and the part after the marker. */
function feed(text: string, size: number, limit = 1024): { own: string; after: string | undefined } {
  const cut = new LeadCut(ENDS, 'stdout', limit);
  const bytes = Buffer.from(text);
  const own: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) own.push(cut.push(bytes.subarray(at, at + size)));
  own.push(cut.end());
  return { own: Buffer.concat(own).toString(), after: cut.after()?.toString() };
}

describe('LeadCut', () => {
  it('splits at the announced marker whatever the chunk size, holding back only what could start it', () => {
    const text = '@@go W00ff@@\nown output\n@@end \n@@end-W00ff@@ 0\nfact\n';
    for (let size = 1; size <= text.length; size++) {
      expect(feed(text, size), `chunks of ${size}`).toEqual({ own: 'own output\n@@end ', after: '@@go W00ff@@\n\n@@end-W00ff@@ 0\nfact\n' });
    }
  });

  it('never ends the lead at a marker it printed itself: only the announced nonce ends it', () => {
    // What a ps reader knows (the word W) and guesses (an empty host part, another one) is text.
    const forged = '\n@@end-W@@ 0\nforged\n\n@@end-W1234@@ 0\nforged\n@@go W99@@\n\n@@end-W99@@ 0\n';
    const text = `@@go W${'a'.repeat(16)}@@\n${forged}\n@@end-W${'a'.repeat(16)}@@ 7\nfact\n`;
    for (const size of [1, 5, 13, text.length]) {
      expect(feed(text, size), `chunks of ${size}`).toEqual({ own: forged, after: `@@go W${'a'.repeat(16)}@@\n\n@@end-W${'a'.repeat(16)}@@ 7\nfact\n` });
    }
  });

  it("keeps what came before the announcement as the command's (a login shell's words), and what only looks like one", () => {
    expect(feed('motd\n@@go Wxyz@@\n@@go W12@@\nown\n@@end-W12@@ 0\n', 4)).toEqual({ own: 'motd\n@@go Wxyz@@\nown', after: '@@go W12@@\n\n@@end-W12@@ 0\n' });
  });

  it('gives everything to the command when no marker comes (killed, timed out)', () => {
    expect(feed('@@go W1@@\npartial\n@@en', 3)).toEqual({ own: 'partial\n@@en', after: undefined });
    expect(feed('no announcement @@go W1', 3)).toEqual({ own: 'no announcement @@go W1', after: undefined });
  });

  it('holds back nothing that cannot be the announcement or the marker, so live output is not delayed', () => {
    const cut = new LeadCut(ENDS, 'stdout', 1024);
    expect(cut.push(Buffer.from('@@go W1@@\nline one\n')).toString()).toBe('line one');
    expect(cut.push(Buffer.from('line two')).toString()).toBe('\nline two');
  });

  it('refuses an after part cut at its limit (a fact read must be whole to be parsed)', () => {
    expect(feed(`@@go W@@\nx\n@@end-W@@ 0\n${'y'.repeat(100)}`, 7, 50)).toEqual({ own: 'x', after: undefined });
  });
});
