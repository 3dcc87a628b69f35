// The PLAY RECAP table, laid out as ansible-playbook's default callback prints it:
// `"%-26s : ok=%-4s changed=%-4s …"` per host.
import type { RecapCounts } from './events.js';
import type { Painter } from './colour.js';

/** ansible-playbook's banner: the title, a space, and stars to column 80 (at least three). */
export function banner(title: string, columns = 80): string {
  return `${title} ${'*'.repeat(Math.max(3, columns - 1 - title.length))}`;
}

const columns = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

/** One recap line for a host. */
export function recapLine(host: string, counts: RecapCounts, paint: Painter): string {
  const tone = counts.unreachable > 0 ? 'unreachable' : counts.failed > 0 ? 'failed' : counts.changed > 0 ? 'changed' : 'ok';
  const cells = columns.map((column) => {
    const value = counts[column];
    const cell = `${column}=${String(value).padEnd(4)}`;
    if (value === 0) return cell;
    const cellTone = column === 'ok' || column === 'rescued' ? 'ok' : column === 'ignored' ? 'warning' : column;
    return paint(cellTone, cell);
  });
  return `${paint(tone, host.padEnd(26))} : ${cells.join(' ')}`;
}

/** The whole table with its banner, hosts in the order given. */
export function recapTable(hosts: Readonly<Record<string, RecapCounts>>, paint: Painter): string {
  const lines = ['', banner('PLAY RECAP'), ...Object.entries(hosts).map(([host, counts]) => recapLine(host, counts, paint))];
  return `${lines.join('\n')}\n`;
}
