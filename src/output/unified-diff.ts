// `--diff` is a renderer (STYLE.md principle 4): a change's {header, before, after} becomes a
// unified diff with three lines of context, as `diff -u` and Ansible print it.
import type { Diff } from '../module-api/module.js';

type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** Above this many line pairs the LCS table is too big: show the whole file replaced. */
const MAX_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Line edits from before to after by longest common subsequence. */
function edits(before: readonly string[], after: readonly string[]): Edit[] {
  const n = before.length;
  const m = after.length;
  if (n * m > MAX_CELLS) {
    return [...before.map((line) => ({ op: '-' as const, line })), ...after.map((line) => ({ op: '+' as const, line }))];
  }
  // lengths[i][j] = LCS length of before[i..] and after[j..], flattened row by row.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        before[i] === after[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const result: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      result.push({ op: ' ', line: before[i] ?? '' });
      i++;
      j++;
    } else if (i < n && (j >= m || (lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0))) {
      // Removals before additions, as diff -u prints a replaced line.
      result.push({ op: '-', line: before[i] ?? '' });
      i++;
    } else {
      result.push({ op: '+', line: after[j] ?? '' });
      j++;
    }
  }
  return result;
}

/** `--- before: HEADER` / `+++ after: HEADER` and `@@` hunks; empty when nothing differs. */
export function unifiedDiff(diff: Diff, context = 3): string {
  const all = edits(splitLines(diff.before), splitLines(diff.after));
  const changed = all.map((edit, index) => (edit.op === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  const out = [`--- before: ${diff.header}`, `+++ after: ${diff.header}`];
  let k = 0;
  while (k < changed.length) {
    const first = changed[k] ?? 0;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] ?? 0) - last <= context * 2 + 1) {
      k++;
      last = changed[k] ?? last;
    }
    k++;
    const start = Math.max(0, first - context);
    const end = Math.min(all.length, last + context + 1);
    // 1-based line numbers of the hunk in the old and new text.
    let oldLine = 1;
    let newLine = 1;
    for (const edit of all.slice(0, start)) {
      if (edit.op !== '+') oldLine++;
      if (edit.op !== '-') newLine++;
    }
    const hunk = all.slice(start, end);
    const oldCount = hunk.filter((e) => e.op !== '+').length;
    const newCount = hunk.filter((e) => e.op !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`);
    for (const edit of hunk) out.push(`${edit.op}${edit.line}`);
  }
  return `${out.join('\n')}\n`;
}
