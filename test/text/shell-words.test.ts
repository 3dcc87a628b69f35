// Shell-style word splitting (src/text/shell-words.ts), shared by INI host lines (with comments)
// and ansible_ssh_*_args (without), as Python's shlex.split splits them.
import { describe, expect, it } from 'vitest';
import { splitShellWords, UnclosedQuoteError } from '../../src/text/shell-words.js';

const words = (line: string, comments = true) => splitShellWords(line, { comments }).map((word) => word.text);

describe('shell words', () => {
  it('group quoted text, keep escapes of double quotes only for " \\ $ `, and give each word its offset', () => {
    expect(splitShellWords(`h1  a='x y' b="q \\" \\n"`, { comments: false })).toEqual([
      { text: 'h1', offset: 0 },
      { text: 'a=x y', offset: 4 },
      { text: 'b=q " \\n', offset: 12 },
    ]);
    expect(words(`'' x\\ y 'it'\\''s'`)).toEqual(['', 'x y', "it's"]);
  });

  it('end the line at # with comments, even inside a word (shlex), and keep it without', () => {
    expect(words('h1 a=1 # note')).toEqual(['h1', 'a=1']);
    expect(words('h1 a=1#note')).toEqual(['h1', 'a=1']);
    expect(words("h1 a='#1'")).toEqual(['h1', 'a=#1']);
    expect(words('-o A=b#c # d', false)).toEqual(['-o', 'A=b#c', '#', 'd']);
  });

  it('keep a backslash that ends the line', () => {
    expect(words('a\\')).toEqual(['a\\']);
  });

  it('refuse an unclosed quote, naming the quote and where it opens', () => {
    const error = (() => {
      try {
        splitShellWords(`h1 a="x`, { comments: true });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnclosedQuoteError);
    expect(error).toMatchObject({ quote: '"', offset: 5 });
  });
});
