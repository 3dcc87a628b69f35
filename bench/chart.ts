// The benchmark's chart, written as SVG by hand: wall time against host count, log–log, one line
// per tool (median of the repetitions, whiskers from fastest to slowest), so the gap between
// beastie, Ansible and the OpenSSH floor reads at a glance.

/** One tool's points. */
export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly { readonly hosts: number; readonly seconds: number; readonly min: number; readonly max: number }[];
}

const WIDTH = 760;
const HEIGHT = 460;
const MARGIN = { left: 70, right: 150, top: 48, bottom: 56 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Powers of ten and their 2× and 5× between `low` and `high`. */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(low)); decade <= Math.ceil(Math.log10(high)); decade += 1) {
    for (const step of [1, 2, 5]) {
      const value = step * 10 ** decade;
      if (value >= low * 0.999 && value <= high * 1.001) ticks.push(value);
    }
  }
  return ticks;
}

function label(value: number): string {
  if (value >= 1) return String(Number(value.toPrecision(3)));
  return String(Number(value.toPrecision(2)));
}

/** The SVG document. */
export function renderChart(title: string, subtitle: string, series: readonly ChartSeries[]): string {
  const all = series.flatMap((s) => s.points);
  const hosts = all.map((p) => p.hosts);
  const seconds = all.flatMap((p) => [p.min, p.max, p.seconds]).filter((v) => v > 0);
  const xLow = Math.min(...hosts) / 1.25;
  const xHigh = Math.max(...hosts) * 1.25;
  const yLow = 10 ** Math.floor(Math.log10(Math.min(...seconds)));
  const yHigh = 10 ** Math.ceil(Math.log10(Math.max(...seconds)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + ((Math.log10(v) - Math.log10(xLow)) / (Math.log10(xHigh) - Math.log10(xLow))) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((Math.log10(v) - Math.log10(yLow)) / (Math.log10(yHigh) - Math.log10(yLow))) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${MARGIN.left}" y="38" fill="#555">${escapeXml(subtitle)}</text>`,
  ];
  for (const tick of logTicks(yLow, yHigh)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${label(tick)}</text>`);
  }
  for (const tick of [...new Set(hosts)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${x(tick).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${tick}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">hosts (log scale)</text>`);
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">wall time, seconds (log scale)</text>`);
  series.forEach((s, index) => {
    const points = [...s.points].sort((a, b) => a.hosts - b.hosts);
    if (points.length > 1) {
      const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.hosts).toFixed(1)},${y(p.seconds).toFixed(1)}`).join(' ');
      parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2.5"/>`);
    }
    for (const p of points) {
      parts.push(`<line x1="${x(p.hosts).toFixed(1)}" x2="${x(p.hosts).toFixed(1)}" y1="${y(p.min).toFixed(1)}" y2="${y(p.max).toFixed(1)}" stroke="${s.color}" stroke-width="1.5"/>`);
      parts.push(`<circle cx="${x(p.hosts).toFixed(1)}" cy="${y(p.seconds).toFixed(1)}" r="4" fill="${s.color}"/>`);
      parts.push(`<text x="${(x(p.hosts) + 7).toFixed(1)}" y="${(y(p.seconds) - 6).toFixed(1)}" fill="${s.color}" font-size="11">${label(p.seconds)} s</text>`);
    }
    const legendY = MARGIN.top + 14 + index * 22;
    parts.push(`<line x1="${MARGIN.left + plotW + 14}" x2="${MARGIN.left + plotW + 38}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.color}" stroke-width="2.5"/>`);
    parts.push(`<text x="${MARGIN.left + plotW + 44}" y="${legendY}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
