// The hand-written SVG chart: log axes, one line and one point per cell, a legend per tool.
import { describe, expect, it } from 'vitest';
import { renderChart } from '../../bench/chart.js';

describe('renderChart', () => {
  const svg = renderChart('W1 second run', 'median of 3', [
    { name: 'Ansible', color: '#1f77b4', points: [{ hosts: 10, seconds: 20, min: 19, max: 22 }, { hosts: 500, seconds: 900, min: 900, max: 900 }] },
    { name: 'beastie <fast>', color: '#d62728', points: [{ hosts: 10, seconds: 0.8, min: 0.7, max: 0.9 }, { hosts: 500, seconds: 9, min: 8, max: 11 }] },
  ]);

  it('is a standalone SVG document with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('beastie &lt;fast&gt;');
  });

  it('draws a line per tool and a point per cell, with labels in seconds', () => {
    expect((svg.match(/<path /g) ?? []).length).toBe(2);
    expect((svg.match(/<circle /g) ?? []).length).toBe(4);
    expect(svg).toContain('>900 s<');
    expect(svg).toContain('>0.8 s<');
  });

  it('places a slower time higher up on a log axis spanning whole decades', () => {
    const cy = (label: string) => {
      const index = svg.indexOf(`>${label} s<`);
      const circle = svg.lastIndexOf('<circle', index);
      return Number(/cy="([\d.]+)"/.exec(svg.slice(circle))?.[1]);
    };
    expect(cy('900')).toBeLessThan(cy('20'));
    expect(cy('20')).toBeLessThan(cy('9'));
    expect(svg).toMatch(/>1000</);
    expect(svg).toMatch(/>0\.1</);
  });
});
