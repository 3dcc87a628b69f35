// "Did you mean" suggestions for misspelt names: modules, keywords, parameters, filters, choices.

/**
 * Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions
 * and transpositions of neighbours each cost 1, so `nmae` is one edit from `name`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    const row = d[i];
    if (row === undefined) continue;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** Length of the longest common subsequence of two words. */
function commonLetters(a: string, b: string): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const ca of a) {
    const current = [0];
    for (let j = 1; j <= b.length; j++) current[j] = ca === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, current[j - 1] ?? 0);
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `name`, if it is close enough to be what was meant: at most one edit
 * for short names, up to a third of the length for longer ones. Ties go to the first candidate.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    // On a tie, prefer the candidate sharing more letters in order: a dropped letter (`taks` for
    // `tasks`) is a likelier typo than a changed one (`tags`).
    const better = distance < bestDistance || (distance === bestDistance && best !== undefined && commonLetters(lower, candidate.toLowerCase()) > commonLetters(lower, best.toLowerCase()));
    if (distance <= limit && better) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` — did you mean 'x'?` as a fix sentence, or the fallback when nothing is close. */
export function suggestion(name: string, candidates: Iterable<string>, fallback: string): string {
  const near = didYouMean(name, candidates);
  return near === undefined ? fallback : `did you mean '${near}'?`;
}
