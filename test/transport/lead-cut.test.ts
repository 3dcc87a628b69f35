// The cut where a lead command's output ends and its batch's reads begin (src/transport/lead-cut.ts):
// wherever the chunks happen to split the marker, the command gets exactly its own bytes.
import { describe, expect, it } from 'vitest';
import { LeadCut } from '../../src/transport/lead-cut.js';

/** Feed `text` in chunks of `size` bytes; what the command got, and the part after the marker. */
function feed(text: string, size: number, limit = 1024): { own: string; after: string | undefined } {
  const cut = new LeadCut('\n@@end@@ ', limit);
  const bytes = Buffer.from(text);
  const own: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) own.push(cut.push(bytes.subarray(at, at + size)));
  own.push(cut.end());
  return { own: Buffer.concat(own).toString(), after: cut.after()?.toString() };
}

describe('LeadCut', () => {
  it('splits at the marker whatever the chunk size, holding back only what could start it', () => {
    const text = 'own output\n@@end \n@@end@@ 0\nfact\n';
    for (let size = 1; size <= text.length; size++) {
      expect(feed(text, size), `chunks of ${size}`).toEqual({ own: 'own output\n@@end ', after: '\n@@end@@ 0\nfact\n' });
    }
  });

  it('gives everything to the command when no marker comes (killed, timed out)', () => {
    expect(feed('partial\n@@en', 3)).toEqual({ own: 'partial\n@@en', after: undefined });
  });

  it('holds back nothing that cannot be the marker, so live output is not delayed', () => {
    const cut = new LeadCut('\n@@end@@ ', 1024);
    expect(cut.push(Buffer.from('line one\n')).toString()).toBe('line one');
    expect(cut.push(Buffer.from('line two')).toString()).toBe('\nline two');
  });

  it('refuses an after part cut at its limit (a fact read must be whole to be parsed)', () => {
    expect(feed(`x\n@@end@@ 0\n${'y'.repeat(100)}`, 7, 50)).toEqual({ own: 'x', after: undefined });
  });
});
